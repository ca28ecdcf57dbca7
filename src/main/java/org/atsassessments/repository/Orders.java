package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.Contract;
import org.atsassessments.model.FieldSelection;
import org.atsassessments.store.DuplicateOrderException;
import org.atsassessments.store.OrderStore;
import org.atsassessments.store.StoredOrder;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What the repository does with orders: validate and store them (idempotently), find and project them. */
public final class Orders {

  static final String REQUEST_SCHEMA = "AtsCreateCandidatesAssessmentsRequestDto";
  static final String ORDER_SCHEMA = "AssessmentOrder";
  static final int MAX_REMOTE_ID_LENGTH = 1024;

  private final OrderStore store;
  private final Contract contract = Contract.get();
  private final FieldSelection orderShape = contract.shape(ORDER_SCHEMA);

  public Orders(OrderStore store) {
    this.store = store;
  }

  /** {@code {"data": order}} cut down to {@code fields}, plus {@code raw} when asked. 404 when absent. */
  public Future<JsonObject> get(String accountId, String id, List<String> fields, boolean raw) {
    return store.find(accountId, id, raw).map(order -> {
      if (order == null) throw RepositoryFailure.notFound();
      JsonObject reply = new JsonObject().put("data", FieldSelection.ofPaths(fields).apply(order.document()));
      if (raw) reply.put("raw", new JsonArray().add(order.exchange()));
      return reply;
    });
  }

  /**
   * Stores a new order and answers {@code {id, remote_id, test_url}}. A replay of the same body for the
   * same (account, remote_id) answers what the first call answered; a different body is a 409.
   *
   * @param request {@code {method, url}} of the delivering request, kept for {@code raw}
   * @param orderId our id for the order, or null to generate one
   */
  public Future<JsonObject> create(String accountId, Object body, JsonObject request, String testUrlTemplate,
                                   String resultsUrlTemplate, String orderId) {
    if (!(body instanceof JsonObject order)) {
      return Future.failedFuture(new RepositoryFailure(422, "body: must be a JSON object"));
    }
    List<String> problems = problems(order);
    if (!problems.isEmpty()) {
      return Future.failedFuture(new RepositoryFailure(422, String.join("; ", problems)));
    }
    String id = orderId != null ? orderId : UUID.randomUUID().toString();
    String remoteId = remoteId(order);
    JsonObject input = order.copy().put("id", id).put("remote_id", remoteId);
    if (input.getValue("results_update_url") == null && resultsUrlTemplate != null) {
      input.put("results_update_url", fill(resultsUrlTemplate, id));
    }
    JsonObject document = orderShape.apply(input);
    JsonObject response = new JsonObject().put("id", id).put("remote_id", remoteId)
      .put("test_url", testUrlTemplate == null ? null : fill(testUrlTemplate, id));
    JsonObject exchange = request.copy().put("body", order).put("response", response);
    long now = System.currentTimeMillis();
    StoredOrder stored = new StoredOrder(id, accountId, remoteId, document, exchange, now, now);
    return store.insert(stored)
      .map(done -> response)
      .recover(e -> e instanceof DuplicateOrderException ? replay(accountId, remoteId, order) : Future.failedFuture(e));
  }

  private Future<JsonObject> replay(String accountId, String remoteId, JsonObject order) {
    return store.findByRemoteId(accountId, remoteId).map(existing -> {
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

  private List<String> problems(JsonObject order) {
    List<String> problems = new ArrayList<>(contract.validate(REQUEST_SCHEMA, order));
    // remote_id is not in StackOne's request schema; we accept it as the provider id when it is a string.
    Object remoteId = order.getValue("remote_id");
    if (remoteId != null && !(remoteId instanceof String)) {
      problems.add("remote_id: " + kind(remoteId) + " found, string expected");
    }
    String effective = remoteId(order);
    if (effective != null && effective.length() > MAX_REMOTE_ID_LENGTH) {
      problems.add("remote_id: longer than " + MAX_REMOTE_ID_LENGTH + " characters");
    }
    return problems;
  }

  /** The provider's id: {@code remote_id} from the body, else its {@code id}. */
  static String remoteId(JsonObject order) {
    Object remote = order.getValue("remote_id");
    if (remote instanceof String s && !s.isBlank()) return s;
    Object id = order.getValue("id");
    return id instanceof String s && !s.isBlank() ? s : null;
  }

  private static String fill(String template, String id) {
    return template.replace("{id}", URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
  }

  private static String kind(Object value) {
    if (value instanceof Number n) return n instanceof Double || n instanceof Float ? "number" : "integer";
    if (value instanceof Boolean) return "boolean";
    if (value instanceof JsonObject) return "object";
    if (value instanceof JsonArray) return "array";
    return value.getClass().getSimpleName().toLowerCase();
  }
}
