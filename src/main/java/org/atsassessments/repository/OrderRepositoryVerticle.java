package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.model.DemoData;
import org.atsassessments.store.OrderStore;
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

  private OrderStore store;
  private Orders orders;
  private MessageConsumer<JsonObject> consumer;

  @Override
  public Future<?> start() {
    ServiceConfig settings = ServiceConfig.fromJson(config());
    return Stores.open(vertx, settings)
      .compose(opened -> {
        store = opened;
        orders = new Orders(opened);
        return settings.demo() ? seedDemo(settings.publicUrl()) : Future.succeededFuture();
      })
      .compose(seeded -> {
        consumer = vertx.eventBus().consumer(RepositoryProtocol.ADDRESS, this::dispatch);
        // resolves once the registration is known to the cluster, so a started node is a reachable one
        return consumer.completion();
      });
  }

  /** Stores StackOne's example order under the demo account, through the same path as a POST (idempotent). */
  private Future<JsonObject> seedDemo(String publicUrl) {
    JsonObject request = new JsonObject().put("method", "POST").put("url", publicUrl + "/unified/ats/assessments/orders");
    return orders.create(DemoData.ACCOUNT_ID, DemoData.order(), request, DemoData.TEST_URL_TEMPLATE, null,
      DemoData.ORDER_ID);
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered.eventually(() -> store == null ? Future.succeededFuture() : store.close());
  }

  private void dispatch(Message<JsonObject> message) {
    Future<JsonObject> result;
    try {
      result = handle(message.headers().get(RepositoryProtocol.ACTION), message.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result());
      } else if (done.cause() instanceof RepositoryFailure refusal) {
        message.fail(refusal.status(), refusal.getMessage());
      } else {
        LOG.log(Level.SEVERE, "repository action " + message.headers().get(RepositoryProtocol.ACTION) + " failed",
          done.cause());
        message.fail(500, "Internal server error");
      }
    });
  }

  private Future<JsonObject> handle(String action, JsonObject body) {
    if (action == null) throw new RepositoryFailure(400, "missing action header");
    if (body == null) body = new JsonObject();
    return switch (action) {
      case RepositoryProtocol.GET_ORDER -> orders.get(
        required(body, "account_id"), required(body, "id"), fields(body), body.getBoolean("raw", false));
      case RepositoryProtocol.CREATE_ORDER -> orders.create(
        required(body, "account_id"), body.getValue("order"), body.getJsonObject("request", new JsonObject()),
        body.getString("test_url_template"), body.getString("results_update_url_template"), null);
      case RepositoryProtocol.PING -> Future.succeededFuture(PONG);
      default -> throw new RepositoryFailure(400, "unknown action " + action);
    };
  }

  private static String required(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (!(value instanceof String s) || s.isEmpty()) throw new RepositoryFailure(400, key + " is required");
    return s;
  }

  private static List<String> fields(JsonObject body) {
    var fields = body.getJsonArray("fields");
    return fields == null ? null : fields.stream().map(String::valueOf).toList();
  }
}
