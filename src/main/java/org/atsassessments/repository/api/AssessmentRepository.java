package org.atsassessments.repository.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Everything the facades ask of the order repository, one method per action of the event-bus protocol
 * ({@code schema/event-bus.md}). The facades hold this interface; behind it is the bus client, and behind the
 * bus the repository verticle's implementation. Every call is confined to its scope's account (an id or
 * remote id of another account is not found, exactly like an unknown one). Failures are
 * {@link RepositoryException}s with the status REST answers.
 *
 * <p>A new action is one method here, one case in the bus client and the dispatcher
 * ({@code repository.bus}), one implementation in the repository, one section in {@code schema/event-bus.md}.
 */
public interface AssessmentRepository {

  /** {@code order.get}: an order by our id or its remote id; 404 when the account has none. */
  Future<RecordReply> getOrder(Scope scope, String id, Read read);

  /** {@code order.list}: the account's orders, oldest change first. */
  Future<PageReply> listOrders(Scope scope, Page page, Read read);

  /** {@code order.create}: stores an order, idempotent per (account, remote id); 409 for another body, 422 for a bad one. */
  Future<CreatedOrder> createOrder(Scope scope, NewOrder order);

  /** {@code result.get}: an order's latest result; 404 for an unknown order or one without a result. */
  Future<RecordReply> getResult(Scope scope, String orderId, Read read);

  /** {@code result.getMany}: the latest results of up to 100 orders (null: none), in the order asked; one store query. */
  Future<List<JsonObject>> latestResults(Scope scope, List<String> orderIds, List<String> fields);

  /** {@code result.update}: the order's next result version; 404, 412 (If-Match), 422. */
  Future<ResultUpdated> updateResult(Scope scope, String orderId, ResultUpdate update);

  /** {@code package.get}: a package by our id or its remote id. */
  Future<RecordReply> getPackage(Scope scope, String id, Read read);

  /** {@code package.list}: the account's packages, oldest change first. */
  Future<PageReply> listPackages(Scope scope, Page page, Read read);

  /** {@code package.put}: creates or replaces the package {@code id}. */
  Future<RecordReply> putPackage(Scope scope, String id, PackageWrite write);

  /**
   * Records what the account's ATS reported about one of its orders (Greenhouse's {@code response_error}: the
   * call as received and our answer) among the order's provider exchanges, shown in its {@code raw}; 404 for an
   * order the account does not have.
   */
  Future<Void> recordReport(Scope scope, String orderId, JsonObject exchange);

  /** {@code ping}: whether a repository answers within {@code timeoutMs}. */
  Future<Void> ping(long timeoutMs);
}
