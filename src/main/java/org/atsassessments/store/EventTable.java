package org.atsassessments.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbox's events: inserted in their change's transaction, read as the feed (keyset pages on the change
 * order, like the order list), removed once older than the retention, in bounded batches.
 */
public final class EventTable {

  private final Pool pool;
  private final Dialect sql;
  private final AtomicLong queries;

  EventTable(Pool pool, Dialect sql, AtomicLong queries) {
    this.pool = pool;
    this.sql = sql;
    this.queries = queries;
  }

  /**
   * All of a transaction's events in one batch, on its connection; {@code held}: by event id, the subscriptions
   * (comma-separated) whose deliveries of it node {@code nodeId} holds in memory.
   */
  Future<Void> insert(SqlClient connection, List<EventRow> events, String nodeId, Map<String, String> held) {
    List<Tuple> rows = new ArrayList<>(events.size());
    for (EventRow event : events) {
      String fanout = held.get(event.id());
      rows.add(Tuple.from(new Object[] {event.id(), event.accountId(), event.type(), event.changeSeq(), event.createdMs(),
        event.body(), fanout == null ? null : nodeId, fanout}));
    }
    return connection.preparedQuery(sql.sql("INSERT INTO assessment_event (id, account_id, type, change_seq, created_ms, body,"
      + " fanout_node, fanout) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")).executeBatch(rows).mapEmpty();
  }

  /** An event a gone node held deliveries of: its id, account, time and the subscriptions (ids) it held it for. */
  public record Held(String eventId, String accountId, long createdMs, List<String> subscriptionIds) {
  }

  /**
   * Up to {@code limit} events whose deliveries node {@code nodeId} held, created at or after {@code fromMs} and
   * after {@code afterId} among those created at {@code fromMs} (ids are time-ordered), oldest first.
   */
  public Future<List<Held>> heldBy(String nodeId, long fromMs, String afterId, int limit) {
    return pool.preparedQuery(sql.sql("SELECT id, account_id, created_ms, fanout FROM assessment_event"
        + " WHERE created_ms >= ? AND fanout_node = ? AND NOT (created_ms = ? AND id <= ?) ORDER BY created_ms, id LIMIT ?"))
      .execute(Tuple.of(fromMs, nodeId, fromMs, afterId, limit))
      .map(rows -> {
        List<Held> held = new ArrayList<>(rows.size());
        for (Row row : rows) {
          held.add(new Held(row.getString(0), row.getString(1), row.getLong(2), List.of(row.getString(3).split(","))));
        }
        return held;
      });
  }

  /**
   * Up to {@code limit} events of the account after change {@code afterSeq}, created after {@code createdAfterMs},
   * of the given types (null: all), oldest change first.
   */
  public Future<List<EventRow>> list(String accountId, long afterSeq, long createdAfterMs, List<String> types, int limit) {
    StringBuilder query = new StringBuilder("SELECT id, account_id, type, change_seq, created_ms, body FROM assessment_event"
      + " WHERE account_id = ? AND change_seq > ? AND created_ms > ?");
    List<Object> params = new ArrayList<>(List.of(accountId, afterSeq, createdAfterMs));
    if (types != null) {
      query.append(" AND type IN (");
      for (int i = 0; i < types.size(); i++) {
        query.append(i == 0 ? "?" : ", ?");
        params.add(types.get(i));
      }
      query.append(')');
    }
    query.append(" ORDER BY change_seq LIMIT ?");
    params.add(limit);
    queries.incrementAndGet();
    return pool.preparedQuery(sql.sql(query.toString())).execute(Tuple.from(params)).map(rows -> {
      List<EventRow> events = new ArrayList<>(rows.size());
      for (Row row : rows) events.add(read(row));
      return events;
    });
  }

  static EventRow read(Row row) {
    return new EventRow(row.getString(0), row.getString(1), row.getString(2), row.getLong(3), row.getLong(4), row.getString(5));
  }

  /**
   * Removes up to {@code limit} events created before {@code beforeMs}, with their deliveries, in one short
   * transaction; answers how many events went.
   */
  public Future<Integer> removeOlderThan(long beforeMs, int limit) {
    return pool.withTransaction(connection -> connection.preparedQuery(sql.sql(
          "SELECT id FROM assessment_event WHERE created_ms < ? ORDER BY created_ms LIMIT ?"))
      .execute(Tuple.of(beforeMs, limit))
      .compose(rows -> {
        if (rows.size() == 0) return Future.succeededFuture(0);
        List<Tuple> ids = new ArrayList<>(rows.size());
        for (Row row : rows) ids.add(Tuple.of(row.getString(0)));
        return connection.preparedQuery(sql.sql("DELETE FROM webhook_delivery WHERE event_id = ?")).executeBatch(ids)
          .compose(gone -> connection.preparedQuery(sql.sql("DELETE FROM assessment_event WHERE id = ?")).executeBatch(ids))
          .map(gone -> ids.size());
      }));
  }
}
