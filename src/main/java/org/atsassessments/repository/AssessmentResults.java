package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import org.atsassessments.events.EventTypes;
import org.atsassessments.model.FieldSelection;
import org.atsassessments.model.StackOneContract;
import org.atsassessments.model.Timestamps;
import org.atsassessments.repository.api.Read;
import org.atsassessments.repository.api.RecordReply;
import org.atsassessments.repository.api.RepositoryException;
import org.atsassessments.repository.api.ResultUpdate;
import org.atsassessments.repository.api.ResultUpdated;
import org.atsassessments.store.Store;
import org.atsassessments.store.DuplicateKeyException;
import org.atsassessments.store.EventRow;
import org.atsassessments.store.StoredDocument;
import org.atsassessments.store.StoredResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Assessment results: every accepted PATCH is kept as a new version; the latest version is the result as
 * all updates so far made it (JSON merge, where null is "no change", as null means absent on the wire).
 * An order's ETag is its result version; a PATCH with an If-Match that no longer matches is a 412.
 */
final class AssessmentResults {

  private static final String REQUEST_SCHEMA = "AtsUpdateCandidatesAssessmentsResultsRequestDto";
  private static final List<String> DATES = List.of("start_date", "submission_date");
  static final int MAX_BATCH = 100;

  private final Store store;
  private final OrderCache cache;
  private final FieldSelection resultShape = StackOneContract.get().shape("AssessmentResult");

  AssessmentResults(Store store, OrderCache cache) {
    this.store = store;
    this.cache = cache;
  }

  static String etag(int version) {
    return "\"" + version + "\"";
  }

  /**
   * {@code {"data": latest result}}; with {@code raw}, every PATCH that built it, oldest first. 404 for an
   * unknown order or one without a result yet.
   */
  Future<RecordReply> get(String accountId, String orderId, Read read) {
    return store.orders().find(accountId, orderId, read.raw())
      .compose(order -> {
        if (order == null) throw RepositoryException.notFound();
        return store.latestResult(order.id()).compose(result -> {
          if (result == null) throw new RepositoryException(404, "No result has been reported for this order yet");
          JsonObject reply = new JsonObject().put("data", FieldSelection.ofPaths(read.fields()).apply(result.document()));
          // raw: every PATCH that built it, then (a connector's order) every call made to the ATS for the order
          Future<JsonObject> withRaw = read.raw()
            ? store.resultExchanges(result.orderId()).compose(exchanges -> AssessmentOrders.connectorCalls(store, order)
              .map(calls -> reply.put("raw", exchanges.addAll(calls))))
            : Future.succeededFuture(reply);
          return withRaw.map(body -> RecordReply.of(body, etag(result.version())));
        });
      });
  }

  /**
   * The latest results of several orders in one store query (GraphQL's DataLoader batches with it), in the
   * order of {@code orderIds}; null where an order has none or is not the account's.
   */
  Future<List<JsonObject>> latest(String accountId, List<String> orderIds, List<String> fields) {
    if (orderIds.size() > MAX_BATCH) throw new RepositoryException(400, "at most " + MAX_BATCH + " order_ids");
    FieldSelection selection = FieldSelection.ofPaths(fields);
    return store.latestResults(accountId, orderIds).map(byOrder -> {
      List<JsonObject> results = new ArrayList<>(orderIds.size());
      for (String id : orderIds) results.add(selection.apply(byOrder.get(id)));
      return results;
    });
  }

  /** What a result update did: the order it changed, the version it is now, and what it answered. */
  private record Outcome(StoredDocument order, int version, JsonObject response, boolean written) {
  }

  /**
   * Stores an update as the order's next result version; answers StackOne's UpdateResult. An update whose
   * If-Match no longer matches is a 412, unless its key is that of the update that made a version: then it is
   * that update sent again (after a repository node died before answering), answered as it was the first time.
   */
  Future<ResultUpdated> update(String accountId, String orderId, ResultUpdate sent) {
    JsonObject update = prepared(BodyValidation.valid(REQUEST_SCHEMA, sent.body()));
    String ifMatch = sent.ifMatch();
    JsonObject response = new JsonObject().put("statusCode", 200).put("message", "Record updated successfully.")
      .put("timestamp", Timestamps.now());
    return store.write(change -> store.orders().find(change.connection(), accountId, orderId).compose(order -> {
      SqlConnection connection = change.connection();
      if (order == null) throw RepositoryException.notFound();
      if (ifMatch != null && !matches(ifMatch, order.version())) {
        Future<StoredResult> earlier = sent.key() == null ? Future.succeededFuture()
          : store.resultByKey(connection, order.id(), sent.key());
        return earlier.map(made -> {
          if (made == null) {
            throw new RepositoryException(412, "Precondition failed: the result has changed since " + ifMatch.trim()
              + "; its ETag is now " + etag(order.version()));
          }
          return new Outcome(order, made.version(), made.exchange().getJsonObject("response"), false);
        });
      }
      return store.latestResult(connection, order.id()).compose(previous -> {
        int version = order.version() + 1;
        JsonObject document = resultShape.apply(merge(base(order, previous), update));
        JsonObject exchange = sent.request().toJson().put("body", sent.body()).put("response", response);
        long now = System.currentTimeMillis();
        EventRow event = EventTypes.event(EventTypes.ORDER_UPDATED, accountId, provider(order), EventTypes.RESULT, order.id(),
          order.remoteId(), document, change.seq(), now);
        // a connector's order: the calls to its ATS are built from its exchange and this update's (in memory)
        change.emit(EventTypes.NATIVE.equals(provider(order)) ? event
          : event.withContext(new JsonObject().put("order", order.exchange()).put("result", exchange)));
        return store.insertResult(connection, new StoredResult(order.id(), version, document, exchange, now, sent.key()))
          .compose(saved -> store.orders().update(connection,
            order.withChange(order.document(), order.exchange(), now, change.seq(), version)))
          .map(updated -> new Outcome(order, version, response, true));
      });
    })).recover(e -> Future.failedFuture(e instanceof DuplicateKeyException
      // another request made this version in the same moment (on another node): this one changed nothing
      ? new RepositoryException(409, "The result was updated by another request at the same time; read it and send again") : e))
      .map(outcome -> {
      if (outcome.written()) cache.changed(outcome.order());  // its version (ETag) changed: no node may serve the old one
      return ResultUpdated.fromJson(outcome.response(), etag(outcome.version()));
    });
  }

  /** The provider the order came from, as its exchange records it ({@code native} for orders posted here). */
  private static String provider(StoredDocument order) {
    Object provider = order.exchange() == null ? null : order.exchange().getValue("provider");
    return provider instanceof String name ? name : EventTypes.NATIVE;
  }

  /** What a new version starts from: the previous result, or the order's own ids and candidate. */
  private static JsonObject base(StoredDocument order, StoredResult previous) {
    if (previous != null) return previous.document().copy();
    JsonObject candidate = order.document().getJsonObject("candidate", new JsonObject());
    return new JsonObject().put("id", order.id()).put("remote_id", order.remoteId())
      .put("candidate", new JsonObject().put("id", candidate.getValue("id"))
        .put("remote_id", candidate.getValue("remote_id")).put("profile_url", candidate.getValue("profile_url")));
  }

  /** RFC 7386 merge, except that null leaves a field as it was. */
  static JsonObject merge(JsonObject target, JsonObject update) {
    update.forEach(entry -> {
      Object value = entry.getValue();
      if (value instanceof JsonObject object && target.getValue(entry.getKey()) instanceof JsonObject existing) {
        merge(existing, object);
      } else if (value != null) {
        target.put(entry.getKey(), value instanceof JsonObject object ? object.copy() : value);
      }
    });
    return target;
  }

  /**
   * The update as it applies to a result: a legacy top-level {@code id} (StackOne's docs still send one) is
   * ignored, and dates in any RFC 3339 form are served as yyyy-MM-dd'T'HH:mm:ss.SSS'Z'.
   */
  private static JsonObject prepared(JsonObject update) {
    JsonObject normalized = update.copy();
    normalized.remove("id");
    normalized.remove("remote_id");
    for (String field : DATES) {
      Object value = normalized.getValue(field);
      if (value instanceof String text) {
        Instant instant = Timestamps.parse(text);
        if (instant == null) throw new RepositoryException(422, field + ": not an ISO 8601 date-time with a zone");
        normalized.put(field, Timestamps.format(instant));
      }
    }
    return normalized;
  }

  /** If-Match: {@code *} (a result exists) or a list of entity tags, compared strongly (weak tags never match). */
  static boolean matches(String ifMatch, int version) {
    String current = etag(version);
    for (String tag : ifMatch.split(",")) {
      String trimmed = tag.trim();
      if (trimmed.equals("*") ? version > 0 : trimmed.equals(current)) return true;
    }
    return false;
  }
}
