package org.atsassessments.connectors;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.atsassessments.edge.Edge;
import org.atsassessments.edge.Requests;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.model.ProviderSettings;
import org.atsassessments.model.Secret;
import org.atsassessments.repository.api.AssessmentRepository;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.logging.Logger;

/**
 * Teamtailor's Partner API endpoints for each linked account whose provider is {@code teamtailor}:
 * {@code GET config} (the test picker) and {@code POST webhook} (an order) under
 * {@code /connectors/teamtailor/{account_id}/}. Teamtailor authenticates with {@code Authorization: Bearer
 * <provider key>}; when the account has a {@code signing_secret}, the webhook's {@code Teamtailor-Signature}
 * ({@code t=<unix>,v1=<hex>}: HMAC-SHA256 of {@code t + "." + partner-event id}) must verify and be at most
 * {@value #SIGNATURE_WINDOW_S} s old. Refusals are plain text with a status of 400 or more, as Teamtailor shows
 * them to the recruiter. Teamtailor never retries a webhook: it is answered 200 only once the order is
 * committed, with {@code {"partner_result_attributes": {"status": "sent"}}} (Teamtailor's "Webhook Response":
 * the partner result is updated from it, no call of its own needed) unless the account's {@code sent_status} is
 * {@code put}, which answers {@code {}} and sends {@code sent} by {@code PUT update-url} after.
 */
public final class TeamtailorRoutes {

  private static final Logger LOG = Logger.getLogger(TeamtailorRoutes.class.getName());
  static final String BASE = "/connectors/teamtailor/:account";
  static final long SIGNATURE_WINDOW_S = 300;
  /** Teamtailor's style: plain text, which it shows the recruiter as the error. */
  private static final ConnectorDoor.Style STYLE = TeamtailorRoutes::answer;

  private final ConnectorDoor door;
  /** The webhook's answer that updates the partner result to {@code sent} (a new one each time: it is kept in the exchange). */
  static JsonObject sent() {
    return new JsonObject().put("partner_result_attributes", new JsonObject().put("status", "sent"));
  }

  public TeamtailorRoutes(AssessmentRepository repository, Edge edge, String resultsUpdateUrlTemplate) {
    this.door = new ConnectorDoor(repository, edge, ProviderSettings.TEAMTAILOR, resultsUpdateUrlTemplate, STYLE);
  }

  /** The failure handler of Teamtailor's routes, ahead of the edge's (added before {@code Edge.prepare}). */
  public static void prepare(Router router) {
    router.route("/connectors/teamtailor/*").failureHandler(ConnectorDoor.failureHandler(ProviderSettings.TEAMTAILOR, STYLE));
  }

  public void mount(Router router) {
    var routes = router.route(BASE + "/*");
    door.guards().forEach(routes::handler);
    routes.handler(rc -> {
      String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
      door.admit(rc, "provider_key", header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null);
    });
    router.get(BASE + "/config").handler(this::config);
    router.post(BASE + "/webhook").handler(this::webhook);
    router.route("/connectors/teamtailor/*").handler(rc -> answer(rc, 404, "No such Teamtailor partner endpoint", null));
  }

  /** The test picker: one select of the account's packages. */
  private void config(RoutingContext rc) {
    door.packages(rc)
      .onSuccess(packages -> ConnectorDoor.json(rc, 200, TeamtailorMapping.config(packages)))
      .onFailure(e -> door.failed(rc, e));
  }

  private void webhook(RoutingContext rc) {
    Object body = ConnectorDoor.jsonBody(rc);
    JsonObject event = TeamtailorMapping.event(body);
    LinkedAccount account = ConnectorDoor.account(rc);
    Secret signing = account.provider().secret("signing_secret");
    // the id as Teamtailor wrote it (a string in its examples; a number signs as its digits)
    String eventId = String.valueOf(event.getValue("id"));
    if (signing != null && !signed(rc.request().getHeader("Teamtailor-Signature"), eventId, signing,
      System.currentTimeMillis() / 1000)) {
      LOG.warning("teamtailor webhook for account " + account.id() + " refused: Teamtailor-Signature missing, wrong or older than "
        + SIGNATURE_WINDOW_S + " s (request " + Requests.requestId(rc) + ")");
      throw new ConnectorReply(401, "Invalid Teamtailor-Signature");
    }
    String packageId = TeamtailorMapping.packageId(event);
    String updateUrl = TeamtailorMapping.updateUrl(event);
    TeamtailorMapping.order(event, null, account.provider().statusMap());  // every field checked (a 400 names it) before anything is read or stored
    door.requireCallbackHost(rc, updateUrl, "partner-result.update-url", null);
    JsonObject answer = account.provider().sentByPut() ? null : sent();
    door.createOrder(rc, packageId, () -> new ConnectorReply(404, "Unknown test " + packageId),
        name -> TeamtailorMapping.order(event, name, account.provider().statusMap()), body, answer)
      .onSuccess(created -> ConnectorDoor.json(rc, 200, answer == null ? new JsonObject() : answer))
      .onFailure(e -> door.failed(rc, e));
  }

  /**
   * Whether {@code header} ({@code t=<unix>,v1=<hex>[,v1=<hex>…]}) holds a signature of {@code eventId} with
   * {@code secret} made at most {@value #SIGNATURE_WINDOW_S} s from {@code nowSeconds}.
   */
  static boolean signed(String header, String eventId, Secret secret, long nowSeconds) {
    if (header == null || eventId == null) return false;
    Long timestamp = null;
    java.util.List<String> signatures = new java.util.ArrayList<>();
    for (String part : header.split(",")) {
      String item = part.trim();
      if (item.startsWith("t=")) {
        try {
          timestamp = Long.parseLong(item.substring(2));
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (item.startsWith("v1=")) {
        signatures.add(item.substring(3));
      }
    }
    if (timestamp == null || signatures.isEmpty() || Math.abs(nowSeconds - timestamp) > SIGNATURE_WINDOW_S) return false;
    byte[] expected = hmac(secret.value(), timestamp + "." + eventId);
    for (String signature : signatures) {
      byte[] given;
      try {
        given = HexFormat.of().parseHex(signature.toLowerCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException notHex) {
        continue;
      }
      if (MessageDigest.isEqual(expected, given)) return true;
    }
    return false;
  }

  static byte[] hmac(String secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- Teamtailor-style answers: plain text -------------------------------------------------------------------

  private static void answer(RoutingContext rc, int status, String message, String field) {
    if (rc.response().ended()) return;
    ConnectorDoor.retryAfter(rc, status);
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
      .end(message != null ? message : ConnectorDoor.defaultMessage(status));
  }
}
