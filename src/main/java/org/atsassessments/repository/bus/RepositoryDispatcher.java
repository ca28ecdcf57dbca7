package org.atsassessments.repository.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.atsassessments.repository.api.AssessmentRepository;
import org.atsassessments.repository.api.Caller;
import org.atsassessments.repository.api.WebhookRepository;
import org.atsassessments.repository.api.CreatedOrder;
import org.atsassessments.repository.api.PageReply;
import org.atsassessments.repository.api.RecordReply;
import org.atsassessments.repository.api.RepositoryException;
import org.atsassessments.repository.api.ResultUpdated;
import org.atsassessments.repository.api.Scope;

import java.util.logging.Level;
import java.util.logging.Logger;

import static org.atsassessments.repository.bus.RepositoryMessages.*;

/**
 * The repository's side of the protocol: reads each request off the bus, calls the repository, and replies with
 * the JSON of {@code schema/event-bus.md}; a {@link RepositoryException} travels back as
 * {@code fail(status, message)}, anything else as {@code fail(500)} with the details in this log only. It consumes
 * at the shared address and, in a cluster, at this node's own address, which the bus clients route by.
 */
public final class RepositoryDispatcher {

  private static final Logger LOG = Logger.getLogger(RepositoryDispatcher.class.getName());

  private final AssessmentRepository repository;
  private final WebhookRepository webhooks;
  private final RepositoryNodes nodes;
  private final MessageConsumer<JsonObject> shared;
  private final MessageConsumer<JsonObject> own;

  private RepositoryDispatcher(Vertx vertx, AssessmentRepository repository, WebhookRepository webhooks) {
    this.repository = repository;
    this.webhooks = webhooks;
    NoCopyCodecs.register(vertx);
    this.nodes = RepositoryNodes.of(vertx);
    String node = nodes.localNodeId();
    // this node's address first: a client that learns of this node (from the shared address) finds it consuming
    this.own = node == null ? null : vertx.eventBus().consumer(nodeAddress(node), this::dispatch);
    this.shared = vertx.eventBus().consumer(ADDRESS, this::dispatch);
  }

  /** Starts answering for {@code repository}; resolves once the cluster knows this node consumes. */
  public static Future<RepositoryDispatcher> start(Vertx vertx, AssessmentRepository repository, WebhookRepository webhooks) {
    RepositoryDispatcher dispatcher = new RepositoryDispatcher(vertx, repository, webhooks);
    Future<Void> own = dispatcher.own == null ? Future.succeededFuture() : dispatcher.own.completion();
    return own.compose(registered -> dispatcher.shared.completion()).map(registered -> {
      dispatcher.nodes.localRepository(true);
      return dispatcher;
    });
  }

  /** Stops consuming (requests already taken are still answered). */
  public Future<Void> stop() {
    nodes.localRepository(false);
    Future<Void> shared = this.shared.unregister();
    return own == null ? shared : Future.join(shared, own.unregister()).mapEmpty();
  }

  private void dispatch(Message<JsonObject> message) {
    String action = message.headers().get(ACTION);
    Future<?> answer;
    try {
      answer = handle(action, message.body() == null ? new JsonObject() : message.body(), message.headers().get(REQUEST_ID));
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(done -> {
      if (done.succeeded()) {
        reply(message, done.result());
      } else if (done.cause() instanceof RepositoryException refusal) {
        message.fail(refusal.status(), refusal.getMessage());
      } else {
        LOG.log(Level.SEVERE, "repository action " + action + " failed (request " + message.headers().get(REQUEST_ID) + ")",
          done.cause());
        message.fail(500, "Internal server error");
      }
    });
  }

  private Future<?> handle(String action, JsonObject body, String requestId) {
    if (action == null) throw new RepositoryException(400, "missing action header");
    if (action.equals(PING)) return repository.ping(0).map(PONG);
    if (OWNER_ACTIONS.contains(action)) return handleOwned(action, body, new Caller(required(body, "owner"), requestId));
    Scope scope = new Scope(required(body, "account_id"), requestId);
    return switch (action) {
      case GET_ORDER -> repository.getOrder(scope, required(body, "id"), read(body));
      case LIST_ORDERS -> repository.listOrders(scope, page(body), read(body));
      case CREATE_ORDER -> repository.createOrder(scope, newOrder(body));
      case GET_RESULT -> repository.getResult(scope, required(body, "order_id"), read(body));
      case GET_RESULTS -> repository.latestResults(scope, strings(body, "order_ids"),
        body.getValue("fields") == null ? null : strings(body, "fields")).map(RepositoryMessages::resultsReply);
      case UPDATE_RESULT -> repository.updateResult(scope, required(body, "order_id"), resultUpdate(body));
      case GET_PACKAGE -> repository.getPackage(scope, required(body, "id"), read(body));
      case LIST_PACKAGES -> repository.listPackages(scope, page(body), read(body));
      case PUT_PACKAGE -> repository.putPackage(scope, required(body, "id"), packageWrite(body));
      case RECORD_REPORT -> repository.recordReport(scope, required(body, "order_id"), object(body, "exchange"))
        .map(recorded -> new JsonObject());
      case LIST_EVENTS -> webhooks.listEvents(scope, page(body), optionalStrings(body, "types"));
      default -> throw new RepositoryException(400, "unknown action " + action);
    };
  }

  private Future<?> handleOwned(String action, JsonObject body, Caller caller) {
    return switch (action) {
      case CREATE_WEBHOOK -> webhooks.createWebhook(caller, object(body, "webhook"));
      case LIST_WEBHOOKS -> webhooks.listWebhooks(caller, page(body));
      case GET_WEBHOOK -> webhooks.getWebhook(caller, required(body, "id"));
      case UPDATE_WEBHOOK -> webhooks.updateWebhook(caller, required(body, "id"), object(body, "webhook"));
      case DELETE_WEBHOOK -> webhooks.deleteWebhook(caller, required(body, "id")).map(deleted -> new JsonObject());
      case ROTATE_WEBHOOK_SECRET -> webhooks.rotateSecret(caller, required(body, "id"));
      case LIST_DELIVERIES -> webhooks.listDeliveries(caller, required(body, "id"), optional(body, "status"), page(body));
      case REDELIVER -> webhooks.redeliver(caller, required(body, "id"), required(body, "event_id"));
      default -> throw new RepositoryException(400, "unknown action " + action);
    };
  }

  /** Each typed reply as its JSON, bytes sent as they are, an ETag as the reply's header. */
  private static void reply(Message<JsonObject> message, Object answer) {
    DeliveryOptions options = new DeliveryOptions();
    Object body;
    if (answer instanceof RecordReply record) {
      if (record.etag() != null) options.addHeader(ETAG, record.etag());
      body = record.content();
    } else if (answer instanceof PageReply page) {
      body = page.envelope();
    } else if (answer instanceof CreatedOrder created) {
      body = created.toJson();
    } else if (answer instanceof ResultUpdated updated) {
      options.addHeader(ETAG, updated.etag());
      body = updated.toJson();
    } else {
      body = answer;
    }
    // built for this reply and never changed after: handed over without a copy
    options.setCodecName(body instanceof Buffer ? NoCopyCodecs.BYTES : NoCopyCodecs.JSON);
    message.reply(body, options);
  }
}
