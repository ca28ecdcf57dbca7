package org.atsassessments.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of one table of JSON documents owned by an account ({@code assessment_order},
 * {@code assessment_package}): lookups by id or remote_id, keyset listing by change_seq, insert, update.
 * Statements use SqlTemplate's {@code #{name}} parameters, which the JDBC (H2) and PostgreSQL clients
 * both accept. Reads run on the pool; writes run on the transaction's connection they are given.
 */
public final class DocumentTable {

  private final String table;
  private final String columns;
  private final String columnsWithExchange;
  private final String versionColumn;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> find;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> findWithExchange;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> findByRemoteId;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> list;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> listWithExchange;

  DocumentTable(Pool pool, String table, String versionColumn) {
    this.table = table;
    this.versionColumn = versionColumn;
    this.columns = "id, account_id, remote_id, document, created_ms, updated_ms, change_seq, " + versionColumn;
    this.columnsWithExchange = columns + ", exchange";
    this.find = SqlTemplate.forQuery(pool, lookup(columns));
    this.findWithExchange = SqlTemplate.forQuery(pool, lookup(columnsWithExchange));
    this.findByRemoteId = SqlTemplate.forQuery(pool, "SELECT " + columnsWithExchange + " FROM " + table
      + " WHERE account_id = #{account} AND remote_id = #{remoteId} ORDER BY change_seq LIMIT 1");
    this.list = SqlTemplate.forQuery(pool, listing(columns));
    this.listWithExchange = SqlTemplate.forQuery(pool, listing(columnsWithExchange));
  }

  /** Our id first, then the provider's: a path id may be either, within the account only. */
  private String lookup(String selected) {
    return "SELECT " + selected + ", 0 AS match_rank FROM " + table + " WHERE account_id = #{account} AND id = #{id}"
      + " UNION ALL SELECT " + selected + ", 1 AS match_rank FROM " + table
      + " WHERE account_id = #{account} AND remote_id = #{id}"
      + " ORDER BY match_rank LIMIT 1";
  }

  private String listing(String selected) {
    return "SELECT " + selected + " FROM " + table
      + " WHERE account_id = #{account} AND change_seq > #{after} AND updated_ms > #{updatedAfter}"
      + " ORDER BY change_seq LIMIT #{limit}";
  }

  /** The record of this account whose id or remote_id is {@code id}; null when there is none. */
  public Future<StoredDocument> find(String accountId, String id, boolean withExchange) {
    return (withExchange ? findWithExchange : find).execute(Map.of("account", accountId, "id", id))
      .map(rows -> first(rows, withExchange));
  }

  /** The same lookup on a transaction's connection (sees the transaction's own writes). */
  public Future<StoredDocument> find(SqlClient connection, String accountId, String id) {
    return SqlTemplate.forQuery(connection, lookup(columnsWithExchange)).execute(Map.of("account", accountId, "id", id))
      .map(rows -> first(rows, true));
  }

  /** By our id only (what a PUT names), on a transaction's connection. */
  public Future<StoredDocument> findById(SqlClient connection, String accountId, String id) {
    return SqlTemplate.forQuery(connection, "SELECT " + columnsWithExchange + " FROM " + table
        + " WHERE account_id = #{account} AND id = #{id}")
      .execute(Map.of("account", accountId, "id", id))
      .map(rows -> first(rows, true));
  }

  public Future<StoredDocument> findByRemoteId(String accountId, String remoteId) {
    return findByRemoteId.execute(Map.of("account", accountId, "remoteId", remoteId)).map(rows -> first(rows, true));
  }

  /** Up to {@code limit} records changed after change {@code afterSeq} and updated after {@code updatedAfterMs}, oldest change first. */
  public Future<List<StoredDocument>> list(String accountId, long afterSeq, long updatedAfterMs, int limit, boolean withExchange) {
    return (withExchange ? listWithExchange : list)
      .execute(Map.of("account", accountId, "after", afterSeq, "updatedAfter", updatedAfterMs, "limit", limit))
      .map(rows -> {
        List<StoredDocument> documents = new ArrayList<>(rows.size());
        for (Row row : rows) documents.add(map(row, withExchange));
        return documents;
      });
  }

  /** Fails with {@link DuplicateKeyException} when the account already has this id or remote_id. */
  public Future<Void> insert(SqlClient connection, StoredDocument record) {
    return SqlTemplate.forUpdate(connection, "INSERT INTO " + table
        + " (id, account_id, remote_id, document, exchange, created_ms, updated_ms, change_seq, " + versionColumn + ")"
        + " VALUES (#{id}, #{account}, #{remoteId}, #{document}, #{exchange}, #{createdMs}, #{updatedMs}, #{changeSeq}, #{version})")
      .execute(params(record))
      .<Void>mapEmpty()
      .recover(e -> Future.failedFuture(isUniqueViolation(e)
        ? new DuplicateKeyException(table, record.accountId(), "id " + record.id() + " or remote_id " + record.remoteId()) : e));
  }

  /** Replaces everything but id, account and created_ms; answers whether a row was there to update. */
  public Future<Boolean> update(SqlClient connection, StoredDocument record) {
    return SqlTemplate.forUpdate(connection, "UPDATE " + table + " SET remote_id = #{remoteId}, document = #{document},"
        + " exchange = #{exchange}, updated_ms = #{updatedMs}, change_seq = #{changeSeq}, " + versionColumn + " = #{version}"
        + " WHERE account_id = #{account} AND id = #{id}")
      .execute(params(record))
      .map(result -> result.rowCount() > 0);
  }

  private static Map<String, Object> params(StoredDocument record) {
    Map<String, Object> params = new HashMap<>();
    params.put("id", record.id());
    params.put("account", record.accountId());
    params.put("remoteId", record.remoteId());
    params.put("document", record.document().encode());
    params.put("exchange", record.exchange().encode());
    params.put("createdMs", record.createdMs());
    params.put("updatedMs", record.updatedMs());
    params.put("changeSeq", record.changeSeq());
    params.put("version", record.version());
    return params;
  }

  private static StoredDocument first(RowSet<Row> rows, boolean withExchange) {
    var it = rows.iterator();
    return it.hasNext() ? map(it.next(), withExchange) : null;
  }

  private static StoredDocument map(Row row, boolean withExchange) {
    return new StoredDocument(row.getString(0), row.getString(1), row.getString(2), new JsonObject(row.getString(3)),
      withExchange ? new JsonObject(row.getString(8)) : null, row.getLong(4), row.getLong(5), row.getLong(6),
      row.getInteger(7));
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
