package org.atsassessments.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * All SQL, over one pool: the order and package tables, the result history, and the change counter
 * that orders every write. Every write runs in {@link #write}: one transaction that first takes the next
 * change number (locking the counter row until commit, so writes commit in change order) and is
 * acknowledged only once committed.
 */
public final class Store {

  private static final String LATEST_RESULT = "SELECT order_id, version, document, exchange, created_ms"
    + " FROM assessment_result WHERE order_id = #{orderId} ORDER BY version DESC LIMIT 1";

  private final Pool pool;
  private final DocumentTable orders;
  private final DocumentTable packages;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> latestResult;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> resultExchanges;

  Store(Pool pool) {
    this.pool = pool;
    this.orders = new DocumentTable(pool, "assessment_order", "result_version");
    this.packages = new DocumentTable(pool, "assessment_package", "revision");
    this.latestResult = SqlTemplate.forQuery(pool, LATEST_RESULT);
    this.resultExchanges = SqlTemplate.forQuery(pool,
      "SELECT exchange FROM assessment_result WHERE order_id = #{orderId} ORDER BY version");
  }

  public DocumentTable orders() {
    return orders;
  }

  public DocumentTable packages() {
    return packages;
  }

  /** A write: {@code work} gets the connection and this write's change number; commit, or roll back on failure. */
  public <T> Future<T> write(ChangeWork<T> work) {
    return pool.withTransaction(connection -> nextChange(connection).compose(change -> work.apply(connection, change)));
  }

  @FunctionalInterface
  public interface ChangeWork<T> {
    Future<T> apply(SqlConnection connection, long changeSeq);
  }

  private static Future<Long> nextChange(SqlConnection connection) {
    return connection.query("UPDATE change_counter SET last_change = last_change + 1 WHERE id = 1").execute()
      .compose(updated -> connection.query("SELECT last_change FROM change_counter WHERE id = 1").execute())
      .map(rows -> rows.iterator().next().getLong(0));
  }

  /** The newest result of an order; null when none was reported. */
  public Future<StoredResult> latestResult(String orderId) {
    return latestResult(latestResult, orderId);
  }

  public Future<StoredResult> latestResult(SqlClient connection, String orderId) {
    return latestResult(SqlTemplate.forQuery(connection, LATEST_RESULT), orderId);
  }

  private static Future<StoredResult> latestResult(SqlTemplate<Map<String, Object>, RowSet<Row>> query, String orderId) {
    return query.execute(Map.of("orderId", orderId)).map(rows -> {
      var it = rows.iterator();
      if (!it.hasNext()) return null;
      Row row = it.next();
      return new StoredResult(row.getString(0), row.getInteger(1), new JsonObject(row.getString(2)),
        new JsonObject(row.getString(3)), row.getLong(4));
    });
  }

  /** The latest result document of each of these orders of the account that has one, by order id. */
  public Future<Map<String, JsonObject>> latestResults(String accountId, List<String> orderIds) {
    if (orderIds.isEmpty()) return Future.succeededFuture(Map.of());
    Map<String, Object> params = new HashMap<>();
    params.put("account", accountId);
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < orderIds.size(); i++) {
      in.append(i == 0 ? "" : ", ").append("#{o").append(i).append('}');
      params.put("o" + i, orderIds.get(i));
    }
    return SqlTemplate.forQuery(pool, "SELECT r.order_id, r.document FROM assessment_result r"
        + " JOIN assessment_order o ON o.id = r.order_id AND o.result_version = r.version"
        + " WHERE o.account_id = #{account} AND o.id IN (" + in + ")")
      .execute(params)
      .map(rows -> {
        Map<String, JsonObject> byOrder = new HashMap<>();
        for (Row row : rows) byOrder.put(row.getString(0), new JsonObject(row.getString(1)));
        return byOrder;
      });
  }

  /** Every PATCH that built an order's result, oldest first. */
  public Future<JsonArray> resultExchanges(String orderId) {
    return resultExchanges.execute(Map.of("orderId", orderId)).map(rows -> {
      JsonArray exchanges = new JsonArray();
      for (Row row : rows) exchanges.add(new JsonObject(row.getString(0)));
      return exchanges;
    });
  }

  public Future<Void> insertResult(SqlClient connection, StoredResult result) {
    return SqlTemplate.forUpdate(connection, "INSERT INTO assessment_result (order_id, version, document, exchange, created_ms)"
        + " VALUES (#{orderId}, #{version}, #{document}, #{exchange}, #{createdMs})")
      .execute(Map.of("orderId", result.orderId(), "version", result.version(), "document", result.document().encode(),
        "exchange", result.exchange().encode(), "createdMs", result.createdMs()))
      .mapEmpty();
  }

  public Future<Void> close() {
    return pool.close();
  }
}
