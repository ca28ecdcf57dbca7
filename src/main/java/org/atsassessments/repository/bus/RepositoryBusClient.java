package org.atsassessments.repository.bus;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.ops.Metrics;
import org.atsassessments.ops.WorkCounters;
import org.atsassessments.repository.api.AssessmentRepository;
import org.atsassessments.repository.api.Caller;
import org.atsassessments.repository.api.WebhookRepository;
import org.atsassessments.repository.api.CreatedOrder;
import org.atsassessments.repository.api.NewOrder;
import org.atsassessments.repository.api.PackageWrite;
import org.atsassessments.repository.api.Page;
import org.atsassessments.repository.api.PageReply;
import org.atsassessments.repository.api.Read;
import org.atsassessments.repository.api.RecordReply;
import org.atsassessments.repository.api.RepositoryException;
import org.atsassessments.repository.api.ResultUpdate;
import org.atsassessments.repository.api.ResultUpdated;
import org.atsassessments.repository.api.Scope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Logger;

import static org.atsassessments.repository.bus.RepositoryMessages.*;

/**
 * The facades' side of the repository protocol: each call becomes one request on the event bus (the JSON of
 * {@code schema/event-bus.md}) and its reply a typed value; every failure becomes a {@link RepositoryException}
 * with the status to answer, classified here and nowhere else.
 *
 * <p>Failover: in a cluster the client chooses the repository node of each request ({@link RepositoryNodes})
 * and remembers it. When a member leaves, its requests still in flight are sent once more to another
 * repository node if they are safe to repeat (reads, a create that names the provider's id, a result update with
 * If-Match: the repository answers a repeat as it answered the first), and failed with 503 and Retry-After
 * otherwise; a request that found no consumer on its node was never delivered and goes elsewhere whatever it is.
 * Nothing waits for a reply that cannot come. Create on the event loop that will use it: one per HTTP verticle.
 */
public final class RepositoryBusClient implements AssessmentRepository, WebhookRepository {

  private static final Logger LOG = Logger.getLogger(RepositoryBusClient.class.getName());
  /** Requests sent once more to another repository node: after theirs left the cluster, or found nothing consuming. */
  private static final Counter REPEATED_AFTER_DEPARTURE = Metrics.counter("ats.repository.repeats", "reason", "member_left");
  private static final Counter REPEATED_UNDELIVERED = Metrics.counter("ats.repository.repeats", "reason", "no_consumer");
  /** Requests in flight to a node that left, not safe to repeat: answered 503. */
  private static final Counter FAILED_ON_DEPARTURE = Metrics.counter("ats.repository.departure_failures");

  private final Vertx vertx;
  /** The event loop this client lives on: its requests, replies and in-flight table are handled there only. */
  private final Context context;
  private final long timeoutMs;
  private final RepositoryNodes nodes;
  private final WorkCounters counters;
  private final Map<Long, Call> inFlight = new HashMap<>();
  private final MessageConsumer<String> departures;
  private long nextCall;

  public RepositoryBusClient(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.timeoutMs = timeoutMs;
    this.nodes = RepositoryNodes.of(vertx);
    this.counters = WorkCounters.of(vertx);
    NoCopyCodecs.register(vertx);
    this.departures = vertx.eventBus().localConsumer(RepositoryNodes.MEMBER_LEFT, left -> memberLeft(left.body()));
  }

  /** Stops following cluster departures (the verticle that made this client is going away). */
  public Future<Void> close() {
    return departures.unregister();
  }

  // ---- the actions ----------------------------------------------------------------------------------------

  @Override
  public Future<RecordReply> getOrder(Scope scope, String id, Read read) {
    return call(scope, GET_ORDER, withRead(account(scope.accountId()).put("id", id), read), true, RepositoryMessages::record);
  }

  @Override
  public Future<PageReply> listOrders(Scope scope, Page page, Read read) {
    return call(scope, LIST_ORDERS, withPage(withRead(account(scope.accountId()), read), page), true, RepositoryMessages::page);
  }

  /** Repeated only when the order names the provider's id: then a repeat answers what the first call answered. */
  @Override
  public Future<CreatedOrder> createOrder(Scope scope, NewOrder order) {
    return call(scope, CREATE_ORDER, withOrder(account(scope.accountId()), order), order.providerId() != null,
      RepositoryMessages::created);
  }

  @Override
  public Future<RecordReply> getResult(Scope scope, String orderId, Read read) {
    return call(scope, GET_RESULT, withRead(account(scope.accountId()).put("order_id", orderId), read), true,
      RepositoryMessages::record);
  }

  @Override
  public Future<List<JsonObject>> latestResults(Scope scope, List<String> orderIds, List<String> fields) {
    JsonObject body = account(scope.accountId()).put("order_ids", new JsonArray(new ArrayList<>(orderIds)))
      .put("fields", fields == null ? null : new JsonArray(new ArrayList<>(fields)));
    return call(scope, GET_RESULTS, body, true, RepositoryMessages::results);
  }

  /** Repeated only with If-Match: without it a repeat would apply the update twice. */
  @Override
  public Future<ResultUpdated> updateResult(Scope scope, String orderId, ResultUpdate update) {
    return call(scope, UPDATE_RESULT, withUpdate(account(scope.accountId()).put("order_id", orderId), update),
      update.ifMatch() != null && update.key() != null, RepositoryMessages::updated);
  }

  /**
   * A read action of this wire as a program outside the JVM sends it (the event-bus bridges): its body as the
   * client wrote it (the bridge checked the action is a read), {@code account_id} the checked account whatever
   * the body said; the reply as one JSON object whatever codec the repository answered with. Repeated like any
   * read after a repository node left.
   */
  public Future<JsonObject> bridgeRead(Scope scope, String action, JsonObject body) {
    JsonObject request = body.copy().put("account_id", scope.accountId());
    return call(scope, action, request, true, RepositoryMessages::json);
  }

  @Override
  public Future<RecordReply> getPackage(Scope scope, String id, Read read) {
    return call(scope, GET_PACKAGE, withRead(account(scope.accountId()).put("id", id), read), true, RepositoryMessages::record);
  }

  @Override
  public Future<PageReply> listPackages(Scope scope, Page page, Read read) {
    return call(scope, LIST_PACKAGES, withPage(withRead(account(scope.accountId()), read), page), true,
      RepositoryMessages::page);
  }

  /** A PUT replaces the whole package: repeating it gives the same package. */
  @Override
  public Future<RecordReply> putPackage(Scope scope, String id, PackageWrite write) {
    return call(scope, PUT_PACKAGE, withPackage(account(scope.accountId()).put("id", id), write), true,
      RepositoryMessages::record);
  }

  /** Not repeated: a repeat would record the report twice. */
  @Override
  public Future<Void> recordReport(Scope scope, String orderId, JsonObject exchange) {
    return call(scope, RECORD_REPORT, account(scope.accountId()).put("order_id", orderId).put("exchange", exchange), false,
      reply -> null);
  }

  // ---- events and webhooks ------------------------------------------------------------------------------------

  @Override
  public Future<PageReply> listEvents(Scope scope, Page page, List<String> types) {
    JsonObject body = withPage(account(scope.accountId()), page).put("types", types == null ? null : new JsonArray(new ArrayList<>(types)));
    return call(scope.requestId(), LIST_EVENTS, body, true, RepositoryMessages::page);
  }

  /** Not repeated: a repeat would make a second subscription. */
  @Override
  public Future<RecordReply> createWebhook(Caller caller, JsonObject webhook) {
    return call(caller.requestId(), CREATE_WEBHOOK, owner(caller.user()).put("webhook", webhook), false, RepositoryMessages::record);
  }

  @Override
  public Future<PageReply> listWebhooks(Caller caller, Page page) {
    return call(caller.requestId(), LIST_WEBHOOKS, withPage(owner(caller.user()), page), true, RepositoryMessages::page);
  }

  @Override
  public Future<RecordReply> getWebhook(Caller caller, String id) {
    return call(caller.requestId(), GET_WEBHOOK, owner(caller.user()).put("id", id), true, RepositoryMessages::record);
  }

  /** Sets fields to values: repeating it sets them again. */
  @Override
  public Future<RecordReply> updateWebhook(Caller caller, String id, JsonObject webhook) {
    return call(caller.requestId(), UPDATE_WEBHOOK, owner(caller.user()).put("id", id).put("webhook", webhook), true,
      RepositoryMessages::record);
  }

  /** Not repeated: a repeat of a delete that was applied would answer 404. */
  @Override
  public Future<Void> deleteWebhook(Caller caller, String id) {
    return call(caller.requestId(), DELETE_WEBHOOK, owner(caller.user()).put("id", id), false, reply -> null);
  }

  /** Not repeated: a repeat would rotate twice, and the first new secret would be lost. */
  @Override
  public Future<RecordReply> rotateSecret(Caller caller, String id) {
    return call(caller.requestId(), ROTATE_WEBHOOK_SECRET, owner(caller.user()).put("id", id), false, RepositoryMessages::record);
  }

  @Override
  public Future<PageReply> listDeliveries(Caller caller, String id, String state, Page page) {
    return call(caller.requestId(), LIST_DELIVERIES, withPage(owner(caller.user()).put("id", id).put("status", state), page),
      true, RepositoryMessages::page);
  }

  /** A redelivery is one more attempt: repeating it makes one more, which at-least-once delivery allows. */
  @Override
  public Future<RecordReply> redeliver(Caller caller, String id, String eventId) {
    return call(caller.requestId(), REDELIVER, owner(caller.user()).put("id", id).put("event_id", eventId), true,
      RepositoryMessages::record);
  }

  @Override
  public Future<Void> ping(long timeoutMs) {
    return start(new Call(PING, new JsonObject(), null, true, timeoutMs)).mapEmpty();
  }

  // ---- one request, its node and its repeat ----------------------------------------------------------------

  /** One request: its message, whether it may be sent again, the node it went to and its deadline. */
  private final class Call {
    final long id = nextCall++;
    final String action;
    final JsonObject body;
    final String requestId;
    final boolean repeatable;
    final long deadline;
    final Promise<Message<Object>> reply = Promise.promise();
    String nodeId;
    int attempts;
    boolean repeated;

    Call(String action, JsonObject body, String requestId, boolean repeatable, long timeoutMs) {
      this.action = action;
      this.body = body;
      this.requestId = requestId;
      this.repeatable = repeatable;
      this.deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    }
  }

  private <T> Future<T> call(Scope scope, String action, JsonObject body, boolean repeatable,
                             Function<Message<Object>, T> decode) {
    return call(scope.requestId(), action, body, repeatable, decode);
  }

  private <T> Future<T> call(String requestId, String action, JsonObject body, boolean repeatable,
                             Function<Message<Object>, T> decode) {
    return start(new Call(action, body, requestId, repeatable, timeoutMs)).map(decode)
      .recover(failure -> Future.failedFuture(classify(failure)));
  }

  private Future<Message<Object>> start(Call call) {
    counters.repositoryRequests.incrementAndGet();
    attempt(call, null);
    return call.reply.future();
  }

  private void attempt(Call call, String avoid) {
    RepositoryNodes.Route route = nodes.choose(avoid);
    if (route == null && nodes.choosing()) {
      // none known: read the cluster's registrations once more before answering that none is reachable (the read
      // completes on whichever thread the cluster answers on: back to this client's event loop)
      nodes.refresh().onComplete(read -> context.runOnContext(v -> send(call, nodes.choose(avoid))));
      return;
    }
    send(call, route);
  }

  private void send(Call call, RepositoryNodes.Route route) {
    long left = (call.deadline - System.nanoTime()) / 1_000_000L;
    if (route == null || left <= 0) {
      inFlight.remove(call.id);
      call.reply.tryFail(route == null ? RepositoryException.unavailable() : timedOut());
      return;
    }
    call.nodeId = route.nodeId();
    int attempt = ++call.attempts;
    inFlight.put(call.id, call);
    DeliveryOptions options = new DeliveryOptions().addHeader(ACTION, call.action).setSendTimeout(left)
      .setCodecName(NoCopyCodecs.JSON);  // built for this send, never changed after
    if (call.requestId != null) options.addHeader(REQUEST_ID, call.requestId);
    vertx.eventBus().request(route.address(), call.body, options).onComplete(done -> {
      if (done.succeeded()) {
        inFlight.remove(call.id);
        call.reply.tryComplete(done.result());
      } else if (attempt == call.attempts) {  // a failure of an attempt already superseded changes nothing
        if (route.nodeId() != null && !call.repeated && done.cause() instanceof ReplyException refused
          && refused.failureType() == ReplyFailure.NO_HANDLERS) {
          // nothing consumes at that node's address any more: never delivered, so any request may go elsewhere
          call.repeated = true;
          REPEATED_UNDELIVERED.increment();
          nodes.refresh();
          attempt(call, route.nodeId());
        } else {
          inFlight.remove(call.id);
          call.reply.tryFail(done.cause());
        }
      }
    });
  }

  /** A member left: what was in flight to it (or to wherever the bus chose) is repeated elsewhere or failed now. */
  private void memberLeft(String nodeId) {
    for (Call call : new ArrayList<>(inFlight.values())) {
      if (call.nodeId != null && !call.nodeId.equals(nodeId)) continue;
      if (call.repeatable && !call.repeated) {
        call.repeated = true;
        REPEATED_AFTER_DEPARTURE.increment();
        attempt(call, nodeId);
      } else {
        FAILED_ON_DEPARTURE.increment();
        inFlight.remove(call.id);
        call.reply.tryFail(new RepositoryException(503, "A repository node left the cluster; retry later"));
      }
    }
  }

  private static RepositoryException timedOut() {
    return new RepositoryException(408, "The order repository did not answer in time");
  }

  /**
   * The one classifier of repository failures: no repository reachable → 503, none answered in time → 408, a
   * refusal → its status and words, a failure inside the repository → 500 without its details (they are in the
   * repository's log).
   */
  static RepositoryException classify(Throwable failure) {
    if (failure instanceof RepositoryException known) return known;
    if (failure instanceof ReplyException reply) {
      switch (reply.failureType()) {
        case NO_HANDLERS, ERROR:
          return RepositoryException.unavailable();
        case TIMEOUT:
          return timedOut();
        default:
          int code = reply.failureCode();
          if (code >= 400 && code < 600) return new RepositoryException(code, code < 500 || code == 503 ? reply.getMessage() : null);
          LOG.severe("repository failed with code " + code + ": " + reply.getMessage());
          return new RepositoryException(500, null);
      }
    }
    LOG.log(java.util.logging.Level.SEVERE, "repository call failed unexpectedly", failure);
    return new RepositoryException(500, null);
  }
}
