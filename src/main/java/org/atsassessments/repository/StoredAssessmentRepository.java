package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.atsassessments.repository.api.AssessmentRepository;
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
import org.atsassessments.repository.bus.RepositoryMessages;
import org.atsassessments.store.StoreUnavailable;

import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The repository itself, on the store: orders, results and packages of each account. A store that cannot be
 * reached is a 503 the client may retry (logged here as a warning); every other failure is the dispatcher's to
 * log and answer as a 500.
 */
final class StoredAssessmentRepository implements AssessmentRepository {

  private static final Logger LOG = Logger.getLogger(StoredAssessmentRepository.class.getName());

  private final AssessmentOrders orders;
  private final AssessmentResults results;
  private final AssessmentPackages packages;

  StoredAssessmentRepository(AssessmentOrders orders, AssessmentResults results, AssessmentPackages packages) {
    this.orders = orders;
    this.results = results;
    this.packages = packages;
  }

  @Override
  public Future<RecordReply> getOrder(Scope scope, String id, Read read) {
    return run(scope, RepositoryMessages.GET_ORDER, () -> orders.get(scope.accountId(), lookupId(id), read));
  }

  @Override
  public Future<PageReply> listOrders(Scope scope, Page page, Read read) {
    return run(scope, RepositoryMessages.LIST_ORDERS, () -> orders.list(scope.accountId(), page, read));
  }

  @Override
  public Future<CreatedOrder> createOrder(Scope scope, NewOrder order) {
    return run(scope, RepositoryMessages.CREATE_ORDER, () -> orders.create(scope.accountId(), order, null));
  }

  @Override
  public Future<RecordReply> getResult(Scope scope, String orderId, Read read) {
    return run(scope, RepositoryMessages.GET_RESULT, () -> results.get(scope.accountId(), lookupId(orderId), read));
  }

  @Override
  public Future<List<JsonObject>> latestResults(Scope scope, List<String> orderIds, List<String> fields) {
    return run(scope, RepositoryMessages.GET_RESULTS, () -> results.latest(scope.accountId(), orderIds, fields));
  }

  @Override
  public Future<ResultUpdated> updateResult(Scope scope, String orderId, ResultUpdate update) {
    return run(scope, RepositoryMessages.UPDATE_RESULT, () -> results.update(scope.accountId(), lookupId(orderId), update));
  }

  @Override
  public Future<Void> recordReport(Scope scope, String orderId, JsonObject exchange) {
    return run(scope, RepositoryMessages.RECORD_REPORT, () -> orders.recordReport(scope.accountId(), lookupId(orderId), exchange));
  }

  @Override
  public Future<RecordReply> getPackage(Scope scope, String id, Read read) {
    return run(scope, RepositoryMessages.GET_PACKAGE, () -> packages.get(scope.accountId(), lookupId(id), read));
  }

  @Override
  public Future<PageReply> listPackages(Scope scope, Page page, Read read) {
    return run(scope, RepositoryMessages.LIST_PACKAGES, () -> packages.list(scope.accountId(), page, read));
  }

  @Override
  public Future<RecordReply> putPackage(Scope scope, String id, PackageWrite write) {
    return run(scope, RepositoryMessages.PUT_PACKAGE, () -> packages.put(scope.accountId(), id, write));
  }

  @Override
  public Future<Void> ping(long timeoutMs) {
    return Future.succeededFuture();
  }

  /**
   * An id to look a record up by (an order, a package, a webhook subscription, an event). No record has one with a
   * NUL character (ids are checked when written, or generated): PostgreSQL text cannot hold it, and would fail the
   * query instead of finding nothing.
   */
  static String lookupId(String id) {
    if (id.indexOf('\u0000') >= 0) throw RepositoryException.notFound();
    return id;
  }

  private static <T> Future<T> run(Scope scope, String action, Supplier<Future<T>> work) {
    return run(scope.requestId(), action, work);
  }

  /** Runs a repository action: a store that cannot be reached is a 503 (logged with the request id), the rest as it is. */
  static <T> Future<T> run(String requestId, String action, Supplier<Future<T>> work) {
    Future<T> done;
    try {
      done = work.get();
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    return done.recover(failure -> {
      if (!StoreUnavailable.is(failure)) return Future.failedFuture(failure);
      LOG.warning("store unavailable for " + action + " (request " + requestId + "): " + failure);
      return Future.failedFuture(new RepositoryException(503, "The order store is unavailable; retry later"));
    });
  }
}
