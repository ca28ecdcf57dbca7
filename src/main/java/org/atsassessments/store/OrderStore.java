package org.atsassessments.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.sql.SQLException;
import java.util.Map;

/**
 * All SQL for orders, on any Vert.x SQL pool (JDBC for H2, the reactive client for PostgreSQL). Statements
 * use SqlTemplate's {@code #{name}} parameters, which both drivers accept; templates are built once.
 * Every write is a single auto-committed statement, acknowledged only once the database has it.
 */
public final class OrderStore {

  private static final String COLUMNS = "id, account_id, remote_id, document, created_ms, updated_ms";
  private static final String COLUMNS_WITH_EXCHANGE = COLUMNS + ", exchange";

  private final Pool pool;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> findById;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> findByIdWithExchange;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> findByRemoteId;
  private final SqlTemplate<Map<String, Object>, SqlResult<Void>> insert;

  public OrderStore(Pool pool) {
    this.pool = pool;
    // Our id first, then the provider's: a path id may be either, within the account only.
    this.findById = SqlTemplate.forQuery(pool, lookup(COLUMNS));
    this.findByIdWithExchange = SqlTemplate.forQuery(pool, lookup(COLUMNS_WITH_EXCHANGE));
    this.findByRemoteId = SqlTemplate.forQuery(pool, "SELECT " + COLUMNS_WITH_EXCHANGE
      + " FROM assessment_order WHERE account_id = #{account} AND remote_id = #{remoteId}");
    this.insert = SqlTemplate.forUpdate(pool, "INSERT INTO assessment_order"
      + " (id, account_id, remote_id, document, exchange, created_ms, updated_ms)"
      + " VALUES (#{id}, #{account}, #{remoteId}, #{document}, #{exchange}, #{createdMs}, #{updatedMs})");
  }

  private static String lookup(String columns) {
    return "SELECT " + columns + ", 0 AS match_rank FROM assessment_order WHERE account_id = #{account} AND id = #{id}"
      + " UNION ALL SELECT " + columns + ", 1 AS match_rank FROM assessment_order WHERE account_id = #{account} AND remote_id = #{id}"
      + " ORDER BY match_rank LIMIT 1";
  }

  /** The order of this account whose id or remote_id is {@code id}; null when there is none. */
  public Future<StoredOrder> find(String accountId, String id, boolean withExchange) {
    return (withExchange ? findByIdWithExchange : findById)
      .execute(Map.of("account", accountId, "id", id))
      .map(rows -> first(rows, withExchange));
  }

  public Future<StoredOrder> findByRemoteId(String accountId, String remoteId) {
    return findByRemoteId.execute(Map.of("account", accountId, "remoteId", remoteId))
      .map(rows -> first(rows, true));
  }

  /** Fails with {@link DuplicateOrderException} when the account already has this remote_id. */
  public Future<Void> insert(StoredOrder order) {
    Map<String, Object> params = new java.util.HashMap<>();
    params.put("id", order.id());
    params.put("account", order.accountId());
    params.put("remoteId", order.remoteId());
    params.put("document", order.document().encode());
    params.put("exchange", order.exchange().encode());
    params.put("createdMs", order.createdMs());
    params.put("updatedMs", order.updatedMs());
    return insert.execute(params)
      .<Void>mapEmpty()
      .recover(e -> Future.failedFuture(isUniqueViolation(e)
        ? new DuplicateOrderException(order.accountId(), order.remoteId()) : e));
  }

  public Future<Void> close() {
    return pool.close();
  }

  private static StoredOrder first(RowSet<Row> rows, boolean withExchange) {
    var it = rows.iterator();
    if (!it.hasNext()) return null;
    Row row = it.next();
    return new StoredOrder(row.getString(0), row.getString(1), row.getString(2), new JsonObject(row.getString(3)),
      withExchange ? new JsonObject(row.getString(6)) : null, row.getLong(4), row.getLong(5));
  }

  /** SQLState 23505 is a unique-key violation on H2 (JDBC) and PostgreSQL alike. */
  static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) return true;
      if (t instanceof io.vertx.sqlclient.DatabaseException db && "23505".equals(db.getSqlState())) return true;
    }
    return false;
  }
}
