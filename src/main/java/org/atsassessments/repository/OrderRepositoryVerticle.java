package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.model.DemoData;
import org.atsassessments.ops.RequestId;
import org.atsassessments.store.Store;
import org.atsassessments.store.StoreUnavailable;
import org.atsassessments.store.Stores;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owns the data: opens the store, seeds the demo order when asked, and answers the repository protocol
 * on the event bus. It never sees HTTP; refusals go back as {@code fail(httpStatus, message)}.
 */
public class OrderRepositoryVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(OrderRepositoryVerticle.class.getName());
  private static final JsonObject PONG = new JsonObject().put("status", "UP");

  private Store store;
  private Orders orders;
  private Results results;
  private Packages packages;
  private MessageConsumer<JsonObject> consumer;

  @Override
  public Future<?> start() {
    ServiceConfig settings = ServiceConfig.fromJson(config());
    SharedMessages.register(vertx);
    return Stores.open(vertx, settings)
      .compose(opened -> {
        store = opened;
        OrderCache cache = new OrderCache(vertx, settings.integer("repository_cache_size"));
        orders = new Orders(opened, cache);
        results = new Results(opened, cache);
        packages = new Packages(opened);
        return cache.ready();
      })
      .compose(cached -> settings.demo() ? seedDemo(settings.publicUrl()) : Future.succeededFuture())
      .compose(seeded -> {
        consumer = vertx.eventBus().consumer(RepositoryProtocol.ADDRESS, this::dispatch);
        // resolves once the registration is known to the cluster, so a started node is a reachable one
        return consumer.completion();
      });
  }

  /**
   * Stores StackOne's example order and package under the demo account, through the same paths as a POST
   * and a PUT. Idempotent: a restart finds them and changes nothing.
   */
  private Future<?> seedDemo(String publicUrl) {
    JsonObject post = new JsonObject().put("method", "POST").put("url", publicUrl + "/unified/ats/assessments/orders");
    JsonObject demoPackage = DemoData.order().getJsonObject("package");
    String packageId = demoPackage.getString("id");
    JsonObject put = new JsonObject().put("method", "PUT")
      .put("url", publicUrl + "/unified/ats/assessments/packages/" + packageId);
    return orders.create(DemoData.ACCOUNT_ID, DemoData.order(), post, DemoData.TEST_URL_TEMPLATE, null, DemoData.ORDER_ID)
      .compose(created -> packages.get(DemoData.ACCOUNT_ID, packageId, null, false))
      .recover(missing -> missing instanceof RepositoryFailure refusal && refusal.status() == 404
        ? packages.put(DemoData.ACCOUNT_ID, packageId, demoPackage, put) : Future.failedFuture(missing));
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered.eventually(() -> store == null ? Future.succeededFuture() : store.close());
  }

  private void dispatch(Message<JsonObject> message) {
    Future<Reply> result;
    try {
      result = handle(message.headers().get(RepositoryProtocol.ACTION), message.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      if (done.succeeded()) {
        Reply reply = done.result();
        DeliveryOptions options = new DeliveryOptions();
        if (reply.etag() != null) options.addHeader(Reply.ETAG_HEADER, reply.etag());
        if (reply.content() instanceof Buffer) options.setCodecName(SharedMessages.BYTES);  // encoded once, read only
        message.reply(reply.content(), options);
      } else if (done.cause() instanceof RepositoryFailure refusal) {
        message.fail(refusal.status(), refusal.getMessage());
      } else if (StoreUnavailable.is(done.cause())) {
        LOG.warning("store unavailable for " + message.headers().get(RepositoryProtocol.ACTION) + " (request "
          + message.headers().get(RequestId.BUS_HEADER) + "): " + done.cause());
        message.fail(503, "The order store is unavailable; retry later");
      } else {
        LOG.log(Level.SEVERE, "repository action " + message.headers().get(RepositoryProtocol.ACTION) + " failed (request "
          + message.headers().get(RequestId.BUS_HEADER) + ")", done.cause());
        message.fail(500, "Internal server error");
      }
    });
  }

  private Future<Reply> handle(String action, JsonObject body) {
    if (action == null) throw new RepositoryFailure(400, "missing action header");
    if (body == null) body = new JsonObject();
    String account = action.equals(RepositoryProtocol.PING) ? null : required(body, "account_id");
    return switch (action) {
      case RepositoryProtocol.GET_ORDER -> orders.get(account, lookupId(body, "id"), fields(body), raw(body));
      case RepositoryProtocol.LIST_ORDERS -> orders.list(account, PageRequest.from(body), fields(body), raw(body),
        cursors(body)).map(Reply::of);
      case RepositoryProtocol.CREATE_ORDER -> orders.create(account, body.getValue("order"), request(body),
        body.getString("test_url_template"), body.getString("results_update_url_template"), null).map(Reply::of);
      case RepositoryProtocol.GET_RESULT -> results.get(account, lookupId(body, "order_id"), fields(body), raw(body));
      case RepositoryProtocol.GET_RESULTS -> results.getMany(account, strings(body, "order_ids"), fields(body));
      case RepositoryProtocol.UPDATE_RESULT -> results.update(account, lookupId(body, "order_id"), body.getValue("result"),
        body.getString("if_match"), request(body));
      case RepositoryProtocol.GET_PACKAGE -> packages.get(account, lookupId(body, "id"), fields(body), raw(body));
      case RepositoryProtocol.LIST_PACKAGES -> packages.list(account, PageRequest.from(body), fields(body), raw(body),
        cursors(body)).map(Reply::of);
      case RepositoryProtocol.PUT_PACKAGE -> packages.put(account, required(body, "id"), body.getValue("package"), request(body));
      case RepositoryProtocol.PING -> Future.succeededFuture(Reply.of(PONG));
      default -> throw new RepositoryFailure(400, "unknown action " + action);
    };
  }

  private static String required(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (!(value instanceof String s) || s.isEmpty()) throw new RepositoryFailure(400, key + " is required");
    return s;
  }

  /**
   * An id to look a record up by. No record has one with a NUL character (ids are checked when written:
   * PostgreSQL text cannot hold it, and would fail the query instead of finding nothing).
   */
  private static String lookupId(JsonObject body, String key) {
    String id = required(body, key);
    if (id.indexOf('\u0000') >= 0) throw RepositoryFailure.notFound();
    return id;
  }

  private static List<String> fields(JsonObject body) {
    return body.getValue("fields") == null ? null : strings(body, "fields");
  }

  private static List<String> strings(JsonObject body, String key) {
    if (!(body.getValue(key) instanceof JsonArray values)) throw new RepositoryFailure(400, key + " must be an array of strings");
    return values.stream().map(String::valueOf).toList();
  }

  private static boolean raw(JsonObject body) {
    return Boolean.TRUE.equals(body.getValue("raw"));
  }

  private static boolean cursors(JsonObject body) {
    return Boolean.TRUE.equals(body.getValue("cursors"));
  }

  private static JsonObject request(JsonObject body) {
    return body.getValue("request") instanceof JsonObject request ? request : new JsonObject();
  }
}
