package org.atsassessments.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.repository.api.EventNames;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The calls this service makes to an ATS when an order of a connector account changes (docs/connectors.md): what
 * each ATS's partner API expects, built from the order's own exchange (where the ATS said results go), the
 * latest result and the account's settings. Pure: the deliverer sends them and records them.
 *
 * <p>Greenhouse: on a result whose value its {@code partner_status} table makes {@code complete}, an empty
 * {@code PATCH} to the order's {@code url}, Basic with the partner user name and password (Greenhouse then reads
 * {@code test_status}). Teamtailor: on the order, {@code PUT update-url} with status {@code sent} (only where the
 * account's {@code sent_status} is {@code put}: by default the webhook's answer says it); on a result, the
 * status of its {@code result_status} table and, once {@code completed}, the summary, the report URL, the score
 * normalised to 0–100 and the grade of its {@code grade} table, as JSON:API with {@code X-Api-Version: 20180828}
 * and the account's API key.
 */
public final class PushBacks {

  public static final String TEAMTAILOR_API_VERSION = "20180828";
  public static final String JSON_API = "application/vnd.api+json";

  private PushBacks() {
  }

  /**
   * One call to an ATS: {@code authorization} is the header's value (a credential: never shown; {@link #toJson}
   * redacts it), {@code body} null for none.
   */
  public record Call(String method, String url, String contentType, Map<String, String> headers, String body,
                     Secret authorization, JsonObject bodyJson) {

    /** {@code bodyJson}: the body as built (what {@code raw} shows), {@code body} its text (what is sent). */
    public Call(String method, String url, String contentType, Map<String, String> headers, JsonObject bodyJson,
                Secret authorization) {
      this(method, url, contentType, headers, bodyJson == null ? null : bodyJson.encode(), authorization, bodyJson);
    }

    /** As {@code raw} shows it: every header but the credential's value. */
    public JsonObject toJson() {
      JsonObject shown = new JsonObject();
      headers.forEach(shown::put);
      if (contentType != null) shown.put("content-type", contentType);
      if (authorization != null) shown.put("authorization", "***");
      JsonObject json = new JsonObject().put("method", method).put("url", url).put("headers", shown);
      if (bodyJson != null) json.put("body", bodyJson);
      else if (body != null) json.put("body", new JsonObject(body));
      return json;
    }
  }

  /**
   * The call an event of an order of this account makes to its ATS; null when the event asks for none (a
   * Greenhouse order, or a Greenhouse result not yet complete). {@code result}: the result the event reports
   * (the event's record), null for an order's event; {@code proxy}: query parameters to add.
   */
  public static Call call(ProviderSettings provider, String eventType, JsonObject orderExchange, JsonObject result,
                          Map<String, String> proxy) {
    String target = callbackUrl(provider.type(), orderExchange);
    if (target == null) return null;
    String url = withQuery(target, proxy);
    return switch (provider.type()) {
      case ProviderSettings.GREENHOUSE -> greenhouse(provider, eventType, result, url);
      case ProviderSettings.TEAMTAILOR -> teamtailor(provider, eventType, orderExchange, result, url);
      default -> null;
    };
  }

  private static Call greenhouse(ProviderSettings provider, String eventType, JsonObject result, String url) {
    if (!EventNames.ORDER_UPDATED.equals(eventType) || result == null) return null;
    String value = resultValue(result);
    if (value == null || !"complete".equals(provider.statusMap().outbound("partner_status", value, value))) return null;
    String user = provider.secret("partner_username").value();
    String password = provider.secret("partner_password").value();
    Secret basic = new Secret("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    return new Call("PATCH", url, null, Map.of(), (JsonObject) null, basic);
  }

  private static Call teamtailor(ProviderSettings provider, String eventType, JsonObject orderExchange, JsonObject result,
                                 String url) {
    JsonObject attributes = new JsonObject();
    if (EventNames.ORDER_CREATED.equals(eventType)) {
      // told in the webhook's answer (an older subscription may still ask for the order's event)
      if (!provider.sentByPut()) return null;
      attributes.put("status", "sent");
    } else if (EventNames.ORDER_UPDATED.equals(eventType) && result != null) {
      String value = resultValue(result);
      String status = value == null ? "pending" : provider.statusMap().outbound("result_status", value, "pending");
      attributes.put("status", status);
      if ("completed".equals(status)) {
        if (result.getValue("summary") != null) attributes.put("summary", result.getValue("summary"));
        if (result.getValue("result_url") != null) attributes.put("url", result.getValue("result_url"));
        JsonObject assessment = new JsonObject();
        Integer score = normalizedScore(result);
        if (score != null) assessment.put("score", score);
        assessment.put("grade", provider.statusMap().outbound("grade", value, "unknown"));
        attributes.put("assessment", assessment);
        JsonArray attachments = new JsonArray();
        if (result.getValue("attachments") instanceof JsonArray sent) {
          for (Object item : sent) {
            if (item instanceof JsonObject attachment && attachment.getValue("url") instanceof String link) {
              attachments.add(new JsonObject().put("url", link).put("description",
                attachment.getValue("content_type") instanceof JsonObject type && type.getValue("value") instanceof String name
                  ? name : "Assessment report"));
            }
          }
        }
        if (!attachments.isEmpty()) attributes.put("attachments", attachments);
      }
    } else {
      return null;
    }
    JsonObject data = new JsonObject().put("type", "partner-results").put("attributes", attributes);
    Object id = teamtailorResult(orderExchange) == null ? null : teamtailorResult(orderExchange).getValue("id");
    if (id != null) data.put("id", String.valueOf(id));
    Secret key = new Secret("Bearer " + provider.secret("api_key").value());
    return new Call("PUT", url, JSON_API, Map.of("x-api-version", TEAMTAILOR_API_VERSION),
      new JsonObject().put("data", data), key);
  }

  /** Where the ATS said results go, as the order's exchange recorded the ATS's call; null when it said nowhere. */
  public static String callbackUrl(String providerType, JsonObject orderExchange) {
    if (orderExchange == null || !(orderExchange.getValue("received") instanceof JsonObject received)) return null;
    Object url = switch (providerType) {
      case ProviderSettings.GREENHOUSE -> received.getValue("url");
      case ProviderSettings.TEAMTAILOR -> teamtailorResult(orderExchange) == null ? null
        : teamtailorResult(orderExchange).getValue("update-url");
      default -> null;
    };
    return url instanceof String text ? text : null;
  }

  private static JsonObject teamtailorResult(JsonObject orderExchange) {
    if (!(orderExchange.getValue("received") instanceof JsonObject received)) return null;
    if (!(received.getValue("partner-event") instanceof JsonObject event)) return null;
    return event.getValue("partner-result") instanceof JsonObject result ? result : null;
  }

  /** The host of an http or https URL; null for anything else. */
  public static String host(String url) {
    try {
      java.net.URI uri = java.net.URI.create(url);
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) return null;
      return uri.getHost();
    } catch (IllegalArgumentException | NullPointerException notAUri) {
      return null;
    }
  }

  /** The result's {@code result.value}; null when it has none. */
  public static String resultValue(JsonObject result) {
    Object value = result.getValue("result");
    if (value instanceof JsonObject object && object.getValue("value") instanceof String text) return text;
    return null;
  }

  /** The score's value as a number (StackOne sends it as a string); null when absent or not a number. */
  public static Double score(JsonObject result) {
    if (!(result.getValue("score") instanceof JsonObject score)) return null;
    return number(score.getValue("value"));
  }

  /**
   * The score on 0–100: {@code (value - min) / (max - min)}, with min 0 and max 100 when not given, rounded and
   * kept within 0–100; null without a numeric value or with max not above min.
   */
  public static Integer normalizedScore(JsonObject result) {
    Double value = score(result);
    if (value == null) return null;
    JsonObject score = result.getJsonObject("score");
    Double min = number(score.getValue("min"));
    Double max = number(score.getValue("max"));
    double low = min == null ? 0 : min;
    double high = max == null ? 100 : max;
    if (!(high > low)) return null;
    long scaled = Math.round(100 * (value - low) / (high - low));
    return (int) Math.max(0, Math.min(100, scaled));
  }

  private static Double number(Object value) {
    if (value instanceof Number number) return number.doubleValue();
    if (value instanceof String text) {
      try {
        double parsed = Double.parseDouble(text.trim());
        return Double.isFinite(parsed) ? parsed : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /**
   * The provider parameters of a write's exchange ({@link org.atsassessments.repository.api.Exchange}'s JSON),
   * in order, as key → value: its {@code proxy} object when it has one (GraphQL's argument), else the
   * {@code proxy[key]=value} query parameters of its URL (REST's). Empty for none, or no exchange.
   */
  public static Map<String, String> proxy(JsonObject exchange) {
    if (exchange == null) return Map.of();
    if (exchange.getValue("proxy") instanceof JsonObject given) {
      Map<String, String> proxy = new LinkedHashMap<>();
      for (Map.Entry<String, Object> parameter : given) proxy.put(parameter.getKey(), String.valueOf(parameter.getValue()));
      return proxy;
    }
    return proxy(exchange.getString("url"));
  }

  /** {@code proxy[key]=value} query parameters of a request URL, in order, as key → value. */
  public static Map<String, String> proxy(String requestUrl) {
    Map<String, String> proxy = new LinkedHashMap<>();
    if (requestUrl == null) return proxy;
    int query = requestUrl.indexOf('?');
    if (query < 0) return proxy;
    for (String pair : requestUrl.substring(query + 1).split("&")) {
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      if (name.startsWith("proxy[") && name.endsWith("]") && name.length() > 7) {
        proxy.put(name.substring(6, name.length() - 1), equals < 0 ? "" : decode(pair.substring(equals + 1)));
      }
    }
    return proxy;
  }

  /** The URL with these query parameters added (encoded). */
  public static String withQuery(String url, Map<String, String> parameters) {
    if (parameters.isEmpty()) return url;
    StringBuilder out = new StringBuilder(url);
    int fragment = url.indexOf('#');
    if (fragment >= 0) out.setLength(fragment);
    char separator = out.indexOf("?") >= 0 ? '&' : '?';
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      out.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
      separator = '&';
    }
    return out.toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return text;
    }
  }
}
