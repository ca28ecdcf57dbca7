package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.Contract;
import org.atsassessments.model.FieldSelection;
import org.atsassessments.store.DuplicateKeyException;
import org.atsassessments.store.Store;
import org.atsassessments.store.StoredDocument;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Orders: validate and store them (idempotently), find, list and project them. */
final class Orders {

  static final String LISTING = "orders";
  private static final String REQUEST_SCHEMA = "AtsCreateCandidatesAssessmentsRequestDto";

  private final Store store;
  private final OrderCache cache;
  private final FieldSelection orderShape = Contract.get().shape("AssessmentOrder");

  Orders(Store store, OrderCache cache) {
    this.store = store;
    this.cache = cache;
  }

  /**
   * {@code {"data": order}} cut down to {@code fields}, plus {@code raw} when asked; 404 when absent. Without
   * {@code raw}, a recently read order comes from the cache, and the whole order as it was encoded then.
   */
  Future<Reply> get(String accountId, String id, List<String> fields, boolean raw) {
    if (raw) {
      return store.orders().find(accountId, id, true).map(order -> {
        if (order == null) throw RepositoryFailure.notFound();
        return new Reply(Listing.single(order.document(), order.exchange(), FieldSelection.ofPaths(fields), true).toBuffer(),
          Results.etag(order.version()));
      });
    }
    return cache.get(accountId, id, () -> store.orders().find(accountId, id, false)).map(cached -> {
      if (cached == null) throw RepositoryFailure.notFound();
      FieldSelection selection = FieldSelection.ofPaths(fields);
      Buffer body = selection.isAll() ? cached.wholeBody()
        : Listing.single(cached.order().document(), null, selection, false).toBuffer();
      return new Reply(body, Results.etag(cached.order().version()));
    });
  }

  Future<JsonObject> list(String accountId, PageRequest page, List<String> fields, boolean raw, boolean cursors) {
    return Listing.page(store.orders(), LISTING, accountId, page, FieldSelection.ofPaths(fields), raw, cursors);
  }

  /**
   * Stores a new order and answers {@code {id, remote_id, test_url}}. A replay of the same body for the
   * same (account, remote_id) answers what the first call answered; a different body is a 409.
   *
   * @param request {@code {method, url}} of the delivering request, kept for {@code raw}
   * @param orderId our id for the order, or null to generate one
   */
  Future<JsonObject> create(String accountId, Object body, JsonObject request, String testUrlTemplate,
                            String resultsUrlTemplate, String orderId) {
    JsonObject order = Bodies.valid(REQUEST_SCHEMA, body);
    String id = orderId != null ? orderId : UUID.randomUUID().toString();
    String remoteId = Bodies.checkedId("remote_id", remoteId(order));
    JsonObject input = order.copy().put("id", id).put("remote_id", remoteId);
    if (input.getValue("results_update_url") == null && resultsUrlTemplate != null) {
      input.put("results_update_url", fill(resultsUrlTemplate, id));
    }
    JsonObject response = new JsonObject().put("id", id).put("remote_id", remoteId)
      .put("test_url", testUrlTemplate == null ? null : fill(testUrlTemplate, id));
    JsonObject exchange = request.copy().put("body", order).put("response", response);
    long now = System.currentTimeMillis();
    return store.writeOne((connection, change) -> store.orders().insert(connection,
        new StoredDocument(id, accountId, remoteId, orderShape.apply(input), exchange, now, now, change, 0)))
      .map(done -> response)
      .recover(e -> e instanceof DuplicateKeyException ? replay(accountId, remoteId, order) : Future.failedFuture(e));
  }

  private Future<JsonObject> replay(String accountId, String remoteId, JsonObject order) {
    return store.orders().findByRemoteId(accountId, remoteId).map(existing -> {
      if (existing == null) throw new IllegalStateException("duplicate remote_id " + remoteId + " but no row");
      if (!sameBody(existing.exchange().getJsonObject("body"), order)) {
        throw new RepositoryFailure(409,
          "An order with remote_id " + remoteId + " already exists for this account with a different body");
      }
      return existing.exchange().getJsonObject("response");
    });
  }

  /** Null and absent are the same on the wire, so they are the same for a replay too. */
  static boolean sameBody(JsonObject stored, JsonObject sent) {
    return FieldSelection.ALL.apply(stored).equals(FieldSelection.ALL.apply(sent));
  }

  /** The provider's id: {@code remote_id} from the body, else its {@code id}. */
  static String remoteId(JsonObject order) {
    String remote = Bodies.nonBlankString(order.getValue("remote_id"));
    return remote != null ? remote : Bodies.nonBlankString(order.getValue("id"));
  }

  private static String fill(String template, String id) {
    return template.replace("{id}", URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
  }
}
