package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.atsassessments.cluster.VertxFactory;
import org.atsassessments.model.WorkCounters;
import org.atsassessments.ops.RequestId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way the facades reach the repository: typed calls that become the JSON messages of
 * {@code schema/event-bus.md}. Bus failures (no handler, timeout, refusal) come back as ReplyException
 * and are mapped to HTTP by the error handler.
 */
public final class RepositoryClient {

  private final Vertx vertx;
  private final long timeoutMs;
  /** After a member leaves, how long the bus may still route to it, and how long a request then waits. */
  static final long UNSETTLED_MS = 10_000;
  static final long UNSETTLED_DEADLINE_MS = 1_500;

  private final Map<Long, Promise<Reply>> inFlight = new HashMap<>();
  private final WorkCounters counters;
  private long nextRequest;
  private long unsettledUntil = System.nanoTime();

  /**
   * Create on the event loop that will use it (one per HTTP verticle).
   *
   * <p>Vert.x's clustered event bus drops a message sent to a node that has just died without a word: the
   * sender only learns of it when the reply times out (60 s by default). So when a cluster member leaves,
   * the requests in flight are failed at once (503 + Retry-After), and for the next {@value #UNSETTLED_MS} ms,
   * while the departed node's subscriptions are being cleaned up, a request without a reply after
   * {@value #UNSETTLED_DEADLINE_MS} ms is failed the same way. Requests in flight to live nodes may fail with
   * them; clients retry (StackOne's clients do so by themselves on a 503 with Retry-After).
   */
  public RepositoryClient(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.counters = WorkCounters.of(vertx);
    SharedMessages.register(vertx);
    vertx.eventBus().localConsumer(VertxFactory.MEMBER_LEFT, left -> memberLeft());
  }

  private void memberLeft() {
    unsettledUntil = System.nanoTime() + UNSETTLED_MS * 1_000_000;
    List<Promise<Reply>> failing = new ArrayList<>(inFlight.values());
    inFlight.clear();
    failing.forEach(RepositoryClient::failOnDeparture);
  }

  private static void failOnDeparture(Promise<Reply> promise) {
    promise.tryFail(new ReplyException(ReplyFailure.ERROR, 503, "A repository node left the cluster; retry later"));
  }

  /** What a GET asks for, on any resource: a field selection, raw, and the provider passthrough. */
  public record Read(List<String> fields, boolean raw, JsonObject proxy) {
    JsonObject into(JsonObject message) {
      return message.put("fields", fields == null ? null : new JsonArray(fields)).put("raw", raw).put("proxy", proxy);
    }
  }

  /**
   * A page: size (null = default), the cursor of the previous page, an ISO 8601 lower bound on updates, and
   * whether each item's own cursor is wanted (GraphQL edges).
   */
  public record Page(Integer pageSize, String next, String updatedAfter, boolean cursors) {
    public Page(Integer pageSize, String next, String updatedAfter) {
      this(pageSize, next, updatedAfter, false);
    }

    JsonObject into(JsonObject message) {
      message.put("page_size", pageSize).put("next", next).put("updated_after", updatedAfter);
      return cursors ? message.put("cursors", true) : message;
    }
  }

  public Future<Reply> getOrder(String accountId, String id, Read read) {
    return request(RepositoryProtocol.GET_ORDER, read.into(account(accountId).put("id", id)));
  }

  public Future<Reply> listOrders(String accountId, Page page, Read read) {
    return request(RepositoryProtocol.LIST_ORDERS, page.into(read.into(account(accountId))));
  }

  public Future<Reply> createOrder(String accountId, Object order, JsonObject request, String testUrlTemplate,
                                   String resultsUpdateUrlTemplate) {
    return request(RepositoryProtocol.CREATE_ORDER, account(accountId).put("order", order).put("request", request)
      .put("test_url_template", testUrlTemplate).put("results_update_url_template", resultsUpdateUrlTemplate));
  }

  public Future<Reply> getResult(String accountId, String orderId, Read read) {
    return request(RepositoryProtocol.GET_RESULT, read.into(account(accountId).put("order_id", orderId)));
  }

  /** The latest results of several orders: {@code {"data": [result or null, ...]}} in the order asked. */
  public Future<Reply> getResults(String accountId, List<String> orderIds, List<String> fields) {
    return request(RepositoryProtocol.GET_RESULTS, account(accountId).put("order_ids", new JsonArray(orderIds))
      .put("fields", fields == null ? null : new JsonArray(fields)));
  }

  public Future<Reply> updateResult(String accountId, String orderId, Object result, String ifMatch, JsonObject request) {
    return request(RepositoryProtocol.UPDATE_RESULT, account(accountId).put("order_id", orderId).put("result", result)
      .put("if_match", ifMatch).put("request", request));
  }

  public Future<Reply> getPackage(String accountId, String id, Read read) {
    return request(RepositoryProtocol.GET_PACKAGE, read.into(account(accountId).put("id", id)));
  }

  public Future<Reply> listPackages(String accountId, Page page, Read read) {
    return request(RepositoryProtocol.LIST_PACKAGES, page.into(read.into(account(accountId))));
  }

  public Future<Reply> putPackage(String accountId, String id, Object body, JsonObject request) {
    return request(RepositoryProtocol.PUT_PACKAGE, account(accountId).put("id", id).put("package", body)
      .put("request", request));
  }

  public Future<Reply> ping(long timeout) {
    return request(RepositoryProtocol.PING, new JsonObject(), timeout);
  }

  private static JsonObject account(String accountId) {
    return new JsonObject().put("account_id", accountId);
  }

  private Future<Reply> request(String action, JsonObject body) {
    return request(action, body, timeoutMs);
  }

  private Future<Reply> request(String action, JsonObject body, long timeout) {
    DeliveryOptions options = new DeliveryOptions().addHeader(RepositoryProtocol.ACTION, action).setSendTimeout(timeout);
    if (RepositoryProtocol.READS.contains(action)) options.setCodecName(SharedMessages.JSON);  // sent once, never changed
    String requestId = RequestId.current();
    if (requestId != null) options.addHeader(RequestId.BUS_HEADER, requestId);
    counters.repositoryRequests.incrementAndGet();
    long id = nextRequest++;
    Promise<Reply> reply = Promise.promise();
    inFlight.put(id, reply);
    if (System.nanoTime() - unsettledUntil < 0) {
      vertx.setTimer(UNSETTLED_DEADLINE_MS, fired -> {
        if (inFlight.remove(id) != null) failOnDeparture(reply);
      });
    }
    vertx.eventBus().request(RepositoryProtocol.ADDRESS, body, options)
      .map(message -> new Reply(message.body(), message.headers().get(Reply.ETAG_HEADER)))
      .onComplete(done -> {
        inFlight.remove(id);
        if (done.succeeded()) reply.tryComplete(done.result()); else reply.tryFail(done.cause());
      });
    return reply.future();
  }
}
