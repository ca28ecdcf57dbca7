package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The one way the facades reach the repository: typed calls that become the JSON messages of
 * {@code schema/event-bus.md}. Bus failures (no handler, timeout, refusal) come back as ReplyException
 * and are mapped to HTTP by the error handler.
 */
public final class RepositoryClient {

  private final Vertx vertx;
  private final long timeoutMs;

  public RepositoryClient(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  public Future<JsonObject> getOrder(String accountId, String id, List<String> fields, boolean raw, JsonObject proxy) {
    JsonObject body = new JsonObject().put("account_id", accountId).put("id", id)
      .put("fields", fields == null ? null : new JsonArray(fields)).put("raw", raw).put("proxy", proxy);
    return request(RepositoryProtocol.GET_ORDER, body, timeoutMs);
  }

  public Future<JsonObject> createOrder(String accountId, Object order, JsonObject request, String testUrlTemplate,
                                        String resultsUpdateUrlTemplate) {
    JsonObject body = new JsonObject().put("account_id", accountId).put("order", order).put("request", request)
      .put("test_url_template", testUrlTemplate).put("results_update_url_template", resultsUpdateUrlTemplate);
    return request(RepositoryProtocol.CREATE_ORDER, body, timeoutMs);
  }

  public Future<JsonObject> ping(long timeout) {
    return request(RepositoryProtocol.PING, new JsonObject(), timeout);
  }

  private Future<JsonObject> request(String action, JsonObject body, long timeout) {
    DeliveryOptions options = new DeliveryOptions().addHeader(RepositoryProtocol.ACTION, action).setSendTimeout(timeout);
    return vertx.eventBus().<JsonObject>request(RepositoryProtocol.ADDRESS, body, options).map(Message::body);
  }
}
