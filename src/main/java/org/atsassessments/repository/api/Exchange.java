package org.atsassessments.repository.api;

import io.vertx.core.json.JsonObject;

/**
 * The HTTP request that carried a write, as {@code raw} shows it: method and absolute URL; for a write that
 * came from an ATS through a connector, the provider's name and the body the ATS sent (credentials and
 * signatures never in it). {@code provider} null is {@code native}: the write was made on this service's API.
 * {@code proxy}: provider parameters given apart from the URL (GraphQL's {@code proxy} argument), key → value as
 * strings, null when none; REST's {@code proxy[key]=value} stays in the URL. {@code answered}: the body a
 * connector's ATS is answered once the write is committed, where it says more than the write's own answer
 * (Teamtailor's {@code partner_result_attributes}), null otherwise.
 */
public record Exchange(String method, String url, String provider, Object received, JsonObject proxy, JsonObject answered) {

  public Exchange(String method, String url) {
    this(method, url, null, null, null, null);
  }

  public Exchange(String method, String url, String provider, Object received, JsonObject answered) {
    this(method, url, provider, received, null, answered);
  }

  public Exchange withProxy(JsonObject parameters) {
    return new Exchange(method, url, provider, received, parameters == null || parameters.isEmpty() ? null : parameters, answered);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("method", method).put("url", url);
    if (provider != null) json.put("provider", provider).put("received", received);
    if (proxy != null) json.put("proxy", proxy);
    if (answered != null) json.put("answered", answered);
    return json;
  }

  public static Exchange fromJson(JsonObject json) {
    return new Exchange(json.getString("method"), json.getString("url"), json.getString("provider"), json.getValue("received"),
      json.getValue("proxy") instanceof JsonObject proxy ? proxy : null,
      json.getValue("answered") instanceof JsonObject answered ? answered : null);
  }
}
