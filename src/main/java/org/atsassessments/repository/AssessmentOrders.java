package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.atsassessments.events.EventTypes;
import org.atsassessments.model.FieldSelection;
import org.atsassessments.model.StackOneContract;
import org.atsassessments.model.TimeOrderedIds;
import org.atsassessments.repository.api.CreatedOrder;
import org.atsassessments.repository.api.NewOrder;
import org.atsassessments.repository.api.Page;
import org.atsassessments.repository.api.PageReply;
import org.atsassessments.repository.api.Read;
import org.atsassessments.repository.api.RecordReply;
import org.atsassessments.repository.api.RepositoryException;
import org.atsassessments.store.DuplicateKeyException;
import org.atsassessments.store.EventRow;
import org.atsassessments.store.Store;
import org.atsassessments.store.StoredDocument;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Orders: validate and store them (idempotently), find, list and project them. */
final class AssessmentOrders {

  static final String LISTING = "orders";
  private static final String REQUEST_SCHEMA = "AtsCreateCandidatesAssessmentsRequestDto";

  private final Store store;
  private final OrderCache cache;
  private final FieldSelection orderShape = StackOneContract.get().shape("AssessmentOrder");

  AssessmentOrders(Store store, OrderCache cache) {
    this.store = store;
    this.cache = cache;
  }

  /**
   * {@code {"data": order}} cut down to {@code fields}, plus {@code raw} when asked; 404 when absent. Without
   * {@code raw}, a recently read order comes from the cache, and the whole order as it was encoded then.
   */
  Future<RecordReply> get(String accountId, String id, Read read) {
    FieldSelection selection = FieldSelection.ofPaths(read.fields());
    if (read.raw()) {
      return store.orders().find(accountId, id, true).compose(order -> {
        if (order == null) throw RepositoryException.notFound();
        // a connector's order: the ATS's call that delivered it, then every call made to the ATS for it
        return connectorCalls(store, order).map(calls -> {
          JsonObject body = Envelopes.single(order.document(), order.exchange(), selection, true);
          body.getJsonArray("raw").addAll(calls);
          return RecordReply.of(body, AssessmentResults.etag(order.version()));
        });
      });
    }
    return cache.get(accountId, id, () -> store.orders().find(accountId, id, false)).map(cached -> {
      if (cached == null) throw RepositoryException.notFound();
      String etag = AssessmentResults.etag(cached.order().version());
      if (selection.isAll()) return RecordReply.encoded(cached.wholeBody(), etag);
      return RecordReply.of(Envelopes.single(cached.order().document(), null, selection, false), etag);
    });
  }

  /** Keeps an ATS's report about an order of the account among its provider exchanges; 404 when there is none. */
  Future<Void> recordReport(String accountId, String id, JsonObject exchange) {
    return store.orders().find(accountId, id, false).compose(order -> {
      if (order == null) throw RepositoryException.notFound();
      return store.insertConnectorCall(order.id(), System.currentTimeMillis(), exchange);
    });
  }

  /** Calls shown in an order's or result's raw at most (the latest). */
  static final int MAX_CALLS_SHOWN = 100;

  /** The calls made to the ATS for an order of a connector account, oldest first; none for a native order. */
  static Future<io.vertx.core.json.JsonArray> connectorCalls(Store store, StoredDocument order) {
    Object provider = order.exchange() == null ? null : order.exchange().getValue("provider");
    if (!(provider instanceof String) || EventTypes.NATIVE.equals(provider)) {
      return Future.succeededFuture(new io.vertx.core.json.JsonArray());
    }
    return store.connectorCalls(order.id(), MAX_CALLS_SHOWN);
  }

  Future<PageReply> list(String accountId, Page page, Read read) {
    return Envelopes.page(store.orders(), LISTING, accountId, page, FieldSelection.ofPaths(read.fields()), read.raw());
  }

  /**
   * Stores a new order and answers {@code {id, remote_id, test_url}}. A replay of the same body for the
   * same (account, remote_id) answers what the first call answered; a different body is a 409.
   *
   * @param orderId our id for the order, or null to generate one
   */
  Future<CreatedOrder> create(String accountId, NewOrder sent, String orderId) {
    JsonObject order = BodyValidation.valid(REQUEST_SCHEMA, sent.body());
    String testUrlTemplate = sent.testUrlTemplate();
    String resultsUrlTemplate = sent.resultsUpdateUrlTemplate();
    String id = orderId != null ? orderId : TimeOrderedIds.next();
    String remoteId = BodyValidation.checkedId("remote_id", NewOrder.providerId(order));
    JsonObject input = order.copy().put("id", id).put("remote_id", remoteId);
    if (input.getValue("results_update_url") == null && resultsUrlTemplate != null) {
      input.put("results_update_url", fill(resultsUrlTemplate, id));
    }
    CreatedOrder created = new CreatedOrder(id, remoteId, testUrlTemplate == null ? null : fill(testUrlTemplate, id));
    JsonObject exchange = sent.request().toJson().put("body", order).put("response", created.toJson());
    long now = System.currentTimeMillis();
    // orders posted here are native; a connector's name their ATS (its exchange says which)
    String provider = sent.request().provider() != null ? sent.request().provider() : EventTypes.NATIVE;
    return store.writeOne(change -> {
        JsonObject document = orderShape.apply(input);
        EventRow event = EventTypes.event(EventTypes.ORDER_CREATED, accountId, provider, EventTypes.ORDER, id, remoteId, document,
          change.seq(), System.currentTimeMillis());  // when it runs: event dates follow the change order
        // a connector's order: the calls to its ATS are built from its exchange (kept with the event in memory)
        change.emit(EventTypes.NATIVE.equals(provider) ? event : event.withContext(new JsonObject().put("order", exchange)));
        return store.orders().insert(change.connection(),
          new StoredDocument(id, accountId, remoteId, document, exchange, now, now, change.seq(), 0));
      })
      .map(done -> created)
      .recover(e -> e instanceof DuplicateKeyException ? replay(accountId, remoteId, order) : Future.failedFuture(e));
  }

  private Future<CreatedOrder> replay(String accountId, String remoteId, JsonObject order) {
    return store.orders().findByRemoteId(accountId, remoteId).map(existing -> {
      if (existing == null) throw new IllegalStateException("duplicate remote_id " + remoteId + " but no row");
      if (!sameBody(existing.exchange().getJsonObject("body"), order)) {
        throw new RepositoryException(409,
          "An order with remote_id " + remoteId + " already exists for this account with a different body");
      }
      return CreatedOrder.fromJson(existing.exchange().getJsonObject("response"));
    });
  }

  /** Null and absent are the same on the wire, so they are the same for a replay too. */
  static boolean sameBody(JsonObject stored, JsonObject sent) {
    return FieldSelection.ALL.apply(stored).equals(FieldSelection.ALL.apply(sent));
  }

  private static String fill(String template, String id) {
    return template.replace("{id}", URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
  }
}
