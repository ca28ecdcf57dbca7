package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.Contract;
import org.atsassessments.model.FieldSelection;
import org.atsassessments.model.Timestamps;
import org.atsassessments.store.Store;
import org.atsassessments.store.StoredDocument;
import org.atsassessments.store.StoredResult;

import java.time.Instant;
import java.util.List;

/**
 * Assessment results: every accepted PATCH is kept as a new version; the latest version is the result as
 * all updates so far made it (JSON merge, where null is "no change", as null means absent on the wire).
 * An order's ETag is its result version; a PATCH with an If-Match that no longer matches is a 412.
 */
final class Results {

  private static final String REQUEST_SCHEMA = "AtsUpdateCandidatesAssessmentsResultsRequestDto";
  private static final List<String> DATES = List.of("start_date", "submission_date");
  static final int MAX_BATCH = 100;

  private final Store store;
  private final OrderCache cache;
  private final FieldSelection resultShape = Contract.get().shape("AssessmentResult");

  Results(Store store, OrderCache cache) {
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
  Future<Reply> get(String accountId, String orderId, List<String> fields, boolean raw) {
    return store.orders().find(accountId, orderId, false)
      .compose(order -> {
        if (order == null) throw RepositoryFailure.notFound();
        return store.latestResult(order.id());
      })
      .compose(result -> {
        if (result == null) throw new RepositoryFailure(404, "No result has been reported for this order yet");
        JsonObject reply = new JsonObject().put("data", FieldSelection.ofPaths(fields).apply(result.document()));
        Future<JsonObject> withRaw = raw
          ? store.resultExchanges(result.orderId()).map(exchanges -> reply.put("raw", exchanges))
          : Future.succeededFuture(reply);
        return withRaw.map(body -> new Reply(body, etag(result.version())));
      });
  }

  /**
   * The latest results of several orders in one store query (GraphQL's DataLoader batches with it):
   * {@code {"data": [result or null, ...]}} in the order of {@code orderIds}.
   */
  Future<Reply> getMany(String accountId, List<String> orderIds, List<String> fields) {
    if (orderIds.size() > MAX_BATCH) throw new RepositoryFailure(400, "at most " + MAX_BATCH + " order_ids");
    FieldSelection selection = FieldSelection.ofPaths(fields);
    return store.latestResults(accountId, orderIds).map(byOrder -> {
      JsonArray data = new JsonArray();
      for (String id : orderIds) data.add(selection.apply(byOrder.get(id)));
      return Reply.of(new JsonObject().put("data", data));
    });
  }

  /** Stores an update as the order's next result version; answers StackOne's UpdateResult. */
  Future<Reply> update(String accountId, String orderId, Object body, String ifMatch, JsonObject request) {
    JsonObject update = prepared(Bodies.valid(REQUEST_SCHEMA, body));
    JsonObject response = new JsonObject().put("statusCode", 200).put("message", "Record updated successfully.")
      .put("timestamp", Timestamps.now());
    return store.write((connection, change) -> store.orders().find(connection, accountId, orderId).compose(order -> {
      if (order == null) throw RepositoryFailure.notFound();
      if (ifMatch != null && !matches(ifMatch, order.version())) {
        throw new RepositoryFailure(412, "Precondition failed: the result has changed since " + ifMatch.trim()
          + "; its ETag is now " + etag(order.version()));
      }
      return store.latestResult(connection, order.id()).compose(previous -> {
        int version = order.version() + 1;
        JsonObject document = resultShape.apply(merge(base(order, previous), update));
        JsonObject exchange = request.copy().put("body", body).put("response", response);
        long now = System.currentTimeMillis();
        return store.insertResult(connection, new StoredResult(order.id(), version, document, exchange, now))
          .compose(saved -> store.orders().update(connection,
            order.withChange(order.document(), order.exchange(), now, change, version)))
          .map(updated -> order);
      });
    })).map(order -> {
      cache.changed(order);  // its version (ETag) changed: no node may serve the old one from memory
      return new Reply(response, etag(order.version() + 1));
    });
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
        if (instant == null) throw new RepositoryFailure(422, field + ": not an ISO 8601 date-time with a zone");
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
