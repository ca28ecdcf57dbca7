package org.atsassessments.store;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

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
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> byIdWithExchange;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> byRemoteId;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> byRemoteIdWithExchange;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> list;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> listWithExchange;
  /** {@code byIds[k]}: the lookup of {@code BATCH_SIZES[k]} ids at once. */
  private final List<SqlTemplate<Map<String, Object>, RowSet<Row>>> byIds = new ArrayList<>();

  private final AtomicLong queries;
  private final Dialect dialect;

  DocumentTable(Pool pool, String table, String versionColumn, AtomicLong queries, Dialect dialect) {
    this.dialect = dialect;
    this.queries = queries;
    this.table = table;
    this.versionColumn = versionColumn;
    this.columns = "id, account_id, remote_id, document, created_ms, updated_ms, change_seq, " + versionColumn;
    this.columnsWithExchange = columns + ", exchange";
    this.byIdWithExchange = SqlTemplate.forQuery(pool, byId(columnsWithExchange));
    this.byRemoteId = SqlTemplate.forQuery(pool, byRemoteId(columns));
    this.byRemoteIdWithExchange = SqlTemplate.forQuery(pool, byRemoteId(columnsWithExchange));
    this.list = SqlTemplate.forQuery(pool, listing(columns));
    this.listWithExchange = SqlTemplate.forQuery(pool, listing(columnsWithExchange));
    for (int size : BATCH_SIZES) byIds.add(SqlTemplate.forQuery(pool, byIds(size)));
  }

  /**
   * A lookup of several ids in one statement. Ids are unique in the whole table, so the account is checked on
   * the rows found rather than in SQL (which keeps it a plain index lookup on both databases). A few fixed
   * sizes, so that the database parses and plans each once; a smaller batch repeats its last id.
   */
  private String byIds(int size) {
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < size; i++) in.append(i == 0 ? "" : ", ").append("#{").append(ID_PARAMS[i]).append('}');
    return "SELECT " + columns + " FROM " + table + " WHERE id IN (" + in + ")";
  }

  // Two plain lookups rather than one UNION: the database caches their plans (a UNION is parsed every time).
  private String byId(String selected) {
    return "SELECT " + selected + " FROM " + table + " WHERE account_id = #{account} AND id = #{id}";
  }

  private String byRemoteId(String selected) {
    return "SELECT " + selected + " FROM " + table + " WHERE account_id = #{account} AND remote_id = #{id}"
      + " ORDER BY change_seq LIMIT 1";
  }

  private String listing(String selected) {
    return "SELECT " + selected + " FROM " + table
      + " WHERE account_id = #{account} AND change_seq > #{after} AND updated_ms > #{updatedAfter}"
      + " ORDER BY change_seq LIMIT #{limit}";
  }

  /**
   * The record of this account whose id or remote_id is {@code id} (our id first); null when there is none.
   * One query when the id is ours, two when it is the provider's. Without the exchange, lookups that arrive
   * while earlier ones are in the store wait and go together (see {@link #findBatched}).
   */
  public Future<StoredDocument> find(String accountId, String id, boolean withExchange) {
    if (!withExchange) return findBatched(accountId, id).compose(found -> found != null ? Future.succeededFuture(found)
      : byRemoteId(accountId, id, false));
    queries.incrementAndGet();
    return byIdWithExchange.execute(Map.of("account", accountId, "id", id))
      .compose(rows -> rows.size() > 0 ? Future.succeededFuture(first(rows, true)) : byRemoteId(accountId, id, true));
  }

  private Future<StoredDocument> byRemoteId(String accountId, String id, boolean withExchange) {
    queries.incrementAndGet();
    return (withExchange ? byRemoteIdWithExchange : byRemoteId).execute(Map.of("account", accountId, "id", id))
      .map(rows -> first(rows, withExchange));
  }

  /** Batch sizes of {@link #findBatched}: the largest is what one statement takes at most. */
  private static final int[] BATCH_SIZES = {1, 2, 4, 8, 16, 32, 64};
  /** The names of a batch's parameters, {@code i0} to {@code i63}: in its SQL and in the values of each batch. */
  private static final String[] ID_PARAMS = IntStream.range(0, BATCH_SIZES[BATCH_SIZES.length - 1])
    .mapToObj(i -> "i" + i).toArray(String[]::new);
  /** Statements of batched lookups in the store at once; further lookups wait and go as one batch. */
  static final int BATCHES_IN_FLIGHT = 2;

  private record Lookup(String accountId, String id, Promise<StoredDocument> found) {
  }

  private final StatementBatcher<Lookup, RowSet<Row>> lookups =
    new StatementBatcher<>(BATCHES_IN_FLIGHT, BATCH_SIZES[BATCH_SIZES.length - 1], this::lookUp, this::found);

  /**
   * By our id only, without the exchange. Reads spread over more orders than the repository's cache holds are
   * store reads, and each statement costs a worker hop, a statement and its result set: a lookup that finds
   * {@value #BATCHES_IN_FLIGHT} statements in flight waits, and whatever waited goes in the next one (up to
   * 64 ids), as writes are committed in groups. A lone lookup goes at once. Called on the repository's event
   * loop only (the statements' completions come back to it).
   */
  private Future<StoredDocument> findBatched(String accountId, String id) {
    Lookup lookup = new Lookup(accountId, id, Promise.promise());
    lookups.add(lookup);
    return lookup.found().future();
  }

  /** One statement for a batch of lookups: the smallest fixed size that holds them, its last id repeated. */
  private Future<RowSet<Row>> lookUp(List<Lookup> batch) {
    int count = batch.size();
    int k = 0;
    while (BATCH_SIZES[k] < count) k++;
    Map<String, Object> params = new HashMap<>();
    for (int i = 0; i < BATCH_SIZES[k]; i++) params.put(ID_PARAMS[i], batch.get(Math.min(i, count - 1)).id());
    queries.incrementAndGet();
    return byIds.get(k).execute(params);
  }

  private void found(List<Lookup> batch, AsyncResult<RowSet<Row>> done) {
    if (done.failed()) {
      for (Lookup lookup : batch) lookup.found().fail(done.cause());
    } else {
      // by account and id: a package id is the vendor's, and two accounts may each have one of the same id (keyed
      // by id alone, the one read last answered for both, and the other account's lookup found nothing)
      Map<String, StoredDocument> rows = new HashMap<>();
      for (Row row : done.result()) {
        StoredDocument document = map(row, false);
        rows.put(document.accountId() + '\n' + document.id(), document);
      }
      for (Lookup lookup : batch) lookup.found().complete(rows.get(lookup.accountId() + '\n' + lookup.id()));
    }
  }

  /** The same lookup on a transaction's connection (sees the transaction's own writes). */
  public Future<StoredDocument> find(SqlClient connection, String accountId, String id) {
    Map<String, Object> params = Map.of("account", accountId, "id", id);
    return SqlTemplate.forQuery(connection, byId(columnsWithExchange)).execute(params).compose(rows -> rows.size() > 0
      ? Future.succeededFuture(first(rows, true))
      : SqlTemplate.forQuery(connection, byRemoteId(columnsWithExchange)).execute(params).map(more -> first(more, true)));
  }

  /** By our id only (what a PUT names), on a transaction's connection. */
  public Future<StoredDocument> findById(SqlClient connection, String accountId, String id) {
    return SqlTemplate.forQuery(connection, byId(columnsWithExchange)).execute(Map.of("account", accountId, "id", id))
      .map(rows -> first(rows, true));
  }

  public Future<StoredDocument> findByRemoteId(String accountId, String remoteId) {
    return byRemoteId(accountId, remoteId, true);
  }

  /** Up to {@code limit} records changed after change {@code afterSeq} and updated after {@code updatedAfterMs}, oldest change first. */
  public Future<List<StoredDocument>> list(String accountId, long afterSeq, long updatedAfterMs, int limit, boolean withExchange) {
    queries.incrementAndGet();
    return (withExchange ? listWithExchange : list)
      .execute(Map.of("account", accountId, "after", afterSeq, "updatedAfter", updatedAfterMs, "limit", limit))
      .map(rows -> {
        List<StoredDocument> documents = new ArrayList<>(rows.size());
        for (Row row : rows) documents.add(map(row, withExchange));
        return documents;
      });
  }

  /**
   * Fails with {@link DuplicateKeyException} when the account already has this id or remote_id: on PostgreSQL
   * told by the row count, without a database error (see {@link Dialect#onConflictDoNothing}).
   */
  public Future<Void> insert(SqlClient connection, StoredDocument record) {
    return SqlTemplate.forUpdate(connection, "INSERT INTO " + table
        + " (id, account_id, remote_id, document, exchange, created_ms, updated_ms, change_seq, " + versionColumn + ")"
        + " VALUES (#{id}, #{account}, #{remoteId}, #{document}, #{exchange}, #{createdMs}, #{updatedMs}, #{changeSeq}, #{version})"
        + dialect.onConflictDoNothing())
      .execute(params(record))
      .recover(e -> Future.failedFuture(isUniqueViolation(e) ? duplicate(record) : e))
      .compose(inserted -> inserted.rowCount() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture(duplicate(record)));
  }

  private DuplicateKeyException duplicate(StoredDocument record) {
    return new DuplicateKeyException(table, record.accountId(), "id " + record.id() + " or remote_id " + record.remoteId());
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
    return StoredDocument.read(row.getString(0), row.getString(1), row.getString(2), row.getString(3),
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
