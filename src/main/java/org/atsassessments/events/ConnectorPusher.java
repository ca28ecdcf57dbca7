package org.atsassessments.events;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.model.ProviderSettings;
import org.atsassessments.model.PushBacks;
import org.atsassessments.model.Timestamps;
import org.atsassessments.ops.Metrics;
import org.atsassessments.store.DeliveryRow;
import org.atsassessments.store.Store;
import org.atsassessments.store.StoredResult;

import java.time.Instant;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Makes one attempt of a connector subscription's delivery ({@link ConnectorSubscriptions}): the call the event
 * asks of the account's ATS ({@link PushBacks}), to the URL the ATS gave with the order, only if its host is in
 * the account's {@code allowed_callback_hosts}, with the {@code proxy[…]} parameters of the result update that
 * made the event; each call, refused ones too, recorded for the order's {@code raw} (with the attempt's outcome, in
 * its transaction). An event that asks for no
 * call (a Greenhouse result not yet complete, a Greenhouse order) succeeds without one.
 */
final class ConnectorPusher {

  private static final Logger LOG = Logger.getLogger(ConnectorPusher.class.getName());
  /** Response bytes kept in {@code raw} at most. */
  static final int MAX_RESPONSE_SHOWN = 4096;
  private static final String USER_AGENT = "ats-assessments-connectors/1";

  /**
   * An attempt's outcome: the ATS's status (null: no answer), an error (null: succeeded), whether to stop
   * retrying, and the call as {@code raw} shows it (null: none was made), for the order {@code orderId}: written
   * with the delivery's outcome, in its transaction.
   */
  record Pushed(Integer status, String error, boolean last, String orderId, JsonObject call) {
    static final Pushed NOTHING_TO_SEND = new Pushed(null, null, false, null, null);

    Pushed(Integer status, String error, boolean last) {
      this(status, error, last, null, null);
    }
  }

  private final Store store;
  private final AccountGrants grants;
  private final long timeoutMs;
  /** Kept here: Vert.x closes a client nothing references. */
  private final HttpClient client;

  ConnectorPusher(Vertx vertx, Store store, AccountGrants grants, long timeoutMs) {
    this.store = store;
    this.grants = grants;
    this.timeoutMs = timeoutMs;
    // Vert.x's own client: WebClient's request pipeline (its interceptors and codecs) on every push is not needed here
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
      .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs)), new PoolOptions());
  }

  void close() {
    client.close();
  }

  Future<Pushed> push(DeliveryRow delivery) {
    LinkedAccount account = grants.account(delivery.accountId());
    ProviderSettings provider = account == null ? null : account.provider();
    if (provider == null) {
      return Future.succeededFuture(new Pushed(null, "not sent: account " + delivery.accountId() + " has no ATS connector", true));
    }
    JsonObject event = delivery.context() != null && delivery.context().getValue(EventOutbox.EVENT) instanceof JsonObject held
      ? held : new JsonObject(delivery.eventBody());
    String type = event.getString("event");
    String orderId = event.getString("record_id");
    JsonObject record = event.getJsonObject("event_data");
    return exchanges(delivery, type, orderId).compose(exchanges -> {
      if (exchanges == null) return Future.succeededFuture(new Pushed(null, "not sent: the order is gone", true));
      // the proxy parameters of the result update that asked for this call
      Map<String, String> proxy = PushBacks.proxy(exchanges.getJsonObject("result"));
      PushBacks.Call call = PushBacks.call(provider, type, exchanges.getJsonObject("order"),
        EventTypes.ORDER_UPDATED.equals(type) ? record : null, proxy);
      if (call == null) return Future.succeededFuture(Pushed.NOTHING_TO_SEND);
      String host = PushBacks.host(call.url());
      long started = System.currentTimeMillis();
      if (!provider.allowsCallbackHost(host)) {
        Metrics.counter("ats.connector.refused.callbacks", "provider", provider.type()).increment();
        LOG.warning(provider.type() + " push-back for order " + orderId + " of account " + delivery.accountId()
          + " not sent: its host is not in allowed_callback_hosts");
        Pushed refused = new Pushed(null, "not sent: host " + host + " is not in allowed_callback_hosts", true);
        return recorded(orderId, delivery, call, started, null, null, refused);
      }
      return send(call).transform(done -> {
        Pushed pushed;
        Integer status = null;
        String response = null;
        if (done.failed()) {
          String message = done.cause().getMessage();
          pushed = new Pushed(null, (message != null && message.toLowerCase().contains("timeout") ? "timed out" : "connection failed")
            + (message == null ? "" : ": " + message), false);
        } else {
          Answer answered = done.result();
          status = answered.status();
          response = shown(answered.body());
          pushed = new Pushed(status, status >= 200 && status < 300 ? null : "HTTP " + status, false);
        }
        Metrics.counter("ats.connector.pushes", "provider", provider.type(), "outcome", pushed.error() == null ? "succeeded" : "failed")
          .increment();
        return recorded(orderId, delivery, call, started, status, response, pushed);
      });
    });
  }

  /**
   * {@code {"order": its exchange, "result": the update's}}: as the change that made the event knew them (a
   * delivery held since its commit), else read (the latest result's update standing in for the event's); null
   * when the order is gone.
   */
  private Future<JsonObject> exchanges(DeliveryRow delivery, String type, String orderId) {
    if (delivery.context() != null) return Future.succeededFuture(delivery.context());
    Future<StoredResult> latest = EventTypes.ORDER_UPDATED.equals(type) ? store.latestResult(orderId) : Future.succeededFuture();
    return store.orders().find(delivery.accountId(), orderId, true).compose(order -> latest.map(result -> order == null ? null
      : new JsonObject().put("order", order.exchange()).put("result", result == null ? null : result.exchange())));
  }

  /** An ATS's answer: its status and body. */
  private record Answer(int status, Buffer body) {
  }

  /** The call, redirects not followed, with a connect and an idle timeout of {@code timeoutMs} (as a webhook attempt). */
  private Future<Answer> send(PushBacks.Call call) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(call.method())).setAbsoluteURI(call.url())
      .setFollowRedirects(false).setTimeout(timeoutMs);
    options.putHeader(HttpHeaders.USER_AGENT, USER_AGENT);
    call.headers().forEach(options::putHeader);
    if (call.contentType() != null) options.putHeader(HttpHeaders.CONTENT_TYPE, call.contentType());
    if (call.authorization() != null) options.putHeader(HttpHeaders.AUTHORIZATION, call.authorization().value());
    return client.request(options).compose(request -> (call.body() == null ? request.send() : request.send(call.body()))
      .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body))));
  }

  /** The outcome with the call as the order's raw shows it (its credential redacted), to be written with it. */
  private static Future<Pushed> recorded(String orderId, DeliveryRow delivery, PushBacks.Call call, long started, Integer status,
                                         String response, Pushed pushed) {
    long now = System.currentTimeMillis();
    JsonObject exchange = call.toJson().put("status", status).put("response", response)
      .put("at", Timestamps.format(Instant.ofEpochMilli(started))).put("duration_ms", now - started)
      .put("error", pushed.error()).put("event_id", delivery.eventId()).put("delivery", delivery.subscriptionId());
    return Future.succeededFuture(new Pushed(pushed.status(), pushed.error(), pushed.last(), orderId, exchange));
  }

  private static String shown(Buffer body) {
    if (body == null || body.length() == 0) return null;
    String text = body.toString(java.nio.charset.StandardCharsets.UTF_8);
    return text.length() > MAX_RESPONSE_SHOWN ? text.substring(0, MAX_RESPONSE_SHOWN) + "…" : text;
  }
}
