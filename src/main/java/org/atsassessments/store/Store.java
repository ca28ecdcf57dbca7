package org.atsassessments.store;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * All SQL, over one pool: the order and package tables, the result history, and the change counter
 * that orders every write. Every write runs in {@link #write}: one transaction that first takes the next
 * change number (locking the counter row until commit, so writes commit in change order) and is
 * acknowledged only once committed.
 */
public final class Store {

  private static final String RESULT_COLUMNS = "order_id, version, document, exchange, created_ms, request_key";
  private static final String LATEST_RESULT = "SELECT " + RESULT_COLUMNS
    + " FROM assessment_result WHERE order_id = #{orderId} ORDER BY version DESC LIMIT 1";
  private static final String RESULT_BY_KEY = "SELECT " + RESULT_COLUMNS
    + " FROM assessment_result WHERE order_id = #{orderId} AND request_key = #{key}";

  private final Pool pool;
  /** Whether a failed statement leaves its transaction usable (H2: yes; PostgreSQL: no, the transaction is aborted). */
  private final boolean statementRollback;
  private final Dialect dialect;
  private final DocumentTable orders;
  private final DocumentTable packages;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> latestResult;
  private final SqlTemplate<Map<String, Object>, RowSet<Row>> resultExchanges;
  private final EventTable events;
  private final WebhookTable webhooks;
  private final boolean embedded;
  private Outbox outbox = Outbox.NONE;
  /**
   * The subscriptions as write transactions (or {@link #refreshSubscriptions}) last saw them, with their version
   * (-1: not read yet): one snapshot, replaced whole and only by a newer one, read from any thread (the
   * deliverer runs on an event loop of its own).
   */
  private final AtomicReference<Subscriptions> known = new AtomicReference<>(new Subscriptions(-1, List.of()));

  /** The subscriptions at one version, by id too. */
  public record Subscriptions(long version, List<SubscriptionRow> all, Map<String, SubscriptionRow> byId) {
    Subscriptions(long version, List<SubscriptionRow> all) {
      this(version, List.copyOf(all), all.stream().collect(Collectors.toUnmodifiableMap(SubscriptionRow::id, row -> row)));
    }
  }

  /** Keeps {@code read} if it is newer than what is known; answers what is known afterwards. */
  private Subscriptions learned(long version, List<SubscriptionRow> read) {
    Subscriptions fresh = new Subscriptions(version, read);
    return known.updateAndGet(current -> version > current.version() ? fresh : current);
  }

  Store(Pool pool, boolean statementRollback, AtomicLong queries) {
    this.pool = pool;
    this.statementRollback = statementRollback;
    this.embedded = statementRollback;
    this.dialect = new Dialect(!statementRollback);
    this.events = new EventTable(pool, dialect, queries);
    this.webhooks = new WebhookTable(pool, dialect, queries);
    this.orders = new DocumentTable(pool, "assessment_order", "result_version", queries, dialect);
    this.packages = new DocumentTable(pool, "assessment_package", "revision", queries, dialect);
    this.latestResult = SqlTemplate.forQuery(pool, LATEST_RESULT);
    this.resultExchanges = SqlTemplate.forQuery(pool,
      "SELECT exchange FROM assessment_result WHERE order_id = #{orderId} ORDER BY version");
  }

  Pool pool() {
    return pool;
  }

  public DocumentTable orders() {
    return orders;
  }

  public DocumentTable packages() {
    return packages;
  }

  public EventTable events() {
    return events;
  }

  public WebhookTable webhooks() {
    return webhooks;
  }

  /** Whether this is the embedded store (one process only: no other node can hold a lease in it). */
  public boolean embedded() {
    return embedded;
  }

  /** Who fans each write transaction's events out to deliveries and announces them after commit. Set before writes. */
  public void outbox(Outbox outbox) {
    this.outbox = outbox;
  }

  /** The subscriptions as the last write transaction (or {@link #refreshSubscriptions}) saw them. */
  public Subscriptions subscriptions() {
    return known.get();
  }

  /** Reads the subscriptions again if their version moved; answers them. */
  public Future<Subscriptions> refreshSubscriptions() {
    return webhooks.subscriptionsVersion().compose(version -> {
      Subscriptions current = known.get();
      return version <= current.version() ? Future.succeededFuture(current)
        : webhooks.allSubscriptions(pool).map(read -> learned(version, read));
    });
  }


  /**
   * A write: {@code work} gets the connection and this write's change number; it is acknowledged (the future
   * completes) only once committed. Writes queue here and go to the database as batches: one transaction
   * for whatever waited while the previous batch committed, each write behind a savepoint so a failing one
   * (a duplicate key, a stale If-Match) takes back only its own changes. One commit for many writes is what
   * makes durable writes cheap, and one batch at a time per node means writers never wait on each other's
   * row locks in the database.
   */
  public <T> Future<T> write(ChangeWork<T> work) {
    return enqueue(new Pending<>(work, true));
  }

  /**
   * A write of exactly one statement: where the database undoes a failed statement by itself and keeps the
   * transaction going (H2), it needs no savepoint, which saves a round trip per write.
   */
  public <T> Future<T> writeOne(ChangeWork<T> work) {
    return enqueue(new Pending<>(work, !statementRollback));
  }

  private <T> Future<T> enqueue(Pending<T> pending) {
    writes.add(pending);
    return pending.promise.future();
  }

  @FunctionalInterface
  public interface ChangeWork<T> {
    Future<T> apply(Change change);
  }

  /** One write of a transaction: its connection, its change number, and the event it announces (at most one). */
  public static final class Change {
    private final SqlConnection connection;
    private final long seq;
    private EventRow event;

    Change(SqlConnection connection, long seq) {
      this.connection = connection;
      this.seq = seq;
    }

    public SqlConnection connection() {
      return connection;
    }

    public long seq() {
      return seq;
    }

    /** The event of this change, stored in its transaction if the change itself succeeds, else dropped with it. */
    public void emit(EventRow event) {
      this.event = event;
    }
  }

  private static final int MAX_BATCH = 128;

  /** One write transaction in the database at a time; what arrives meanwhile goes in the next. */
  private final StatementBatcher<Pending<?>, Announced> writes = new StatementBatcher<>(1, MAX_BATCH, this::commit, this::settle);

  private static final class Pending<T> {
    final ChangeWork<T> work;
    final boolean savepoint;
    final Promise<T> promise = Promise.promise();
    AsyncResult<T> outcome;
    Change change;

    Pending(ChangeWork<T> work, boolean savepoint) {
      this.work = work;
      this.savepoint = savepoint;
    }

    Future<Void> run(SqlConnection connection, long seq) {
      Future<T> done;
      change = new Change(connection, seq);
      try {
        done = work.apply(change);
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      return done.transform(result -> {
        outcome = result;
        return Future.succeededFuture();
      });
    }

    void settle(Throwable commitFailure) {
      if (outcome != null && outcome.failed()) {
        promise.fail(outcome.cause());
      } else if (commitFailure != null) {
        promise.fail(commitFailure);
      } else {
        promise.complete(outcome.result());
      }
    }
  }

  /** Rolls back the transaction of a lone write that failed; the write's own failure is what its caller sees. */
  private static final class RolledBack extends RuntimeException {
    RolledBack() {
      super("rolled back", null, false, false);
    }
  }

  /** What a committed transaction announces: its events and their deliveries. */
  private record Announced(List<EventRow> events, List<Outbox.NewDelivery> deliveries) {
    static final Announced NOTHING = new Announced(List.of(), List.of());
  }

  private Future<Announced> commit(List<Pending<?>> batch) {
    return pool.withTransaction(connection -> reserveChanges(connection, batch.size())
      .compose(reserved -> runBatch(connection, batch, reserved.first(), 0)
        .compose(ran -> outbox(connection, batch, reserved.subscriptionsVersion()))));
  }

  /**
   * The outbox part of a write transaction: the events of the writes that succeeded and their deliveries, inserted
   * in the same transaction (so a failed write leaves no event and a committed one always has its event).
   */
  private Future<Announced> outbox(SqlConnection connection, List<Pending<?>> batch, long version) {
    List<EventRow> emitted = new ArrayList<>(batch.size());
    for (Pending<?> pending : batch) {
      if (pending.outcome.succeeded() && pending.change.event != null) emitted.add(pending.change.event);
    }
    if (emitted.isEmpty()) return Future.succeededFuture(Announced.NOTHING);
    Subscriptions current = known.get();
    // read in this transaction when the version it sees moved (another node's, or an older read, may be cached)
    Future<List<SubscriptionRow>> active = version == current.version() ? Future.succeededFuture(current.all())
      : webhooks.allSubscriptions(connection).map(read -> {
        learned(version, read);
        return read;
      });
    return active.compose(all -> {
      List<Outbox.NewDelivery> deliveries = outbox.fanOut(emitted, all);
      // held deliveries get no row here (the event row names the node and their subscriptions); the others do
      Map<String, String> held = new HashMap<>();
      List<Outbox.NewDelivery> rows = new ArrayList<>();
      for (Outbox.NewDelivery delivery : deliveries) {
        if (delivery.held()) {
          held.merge(delivery.event().id(), delivery.subscriptionId(), (a, b) -> a + "," + b);
        } else {
          rows.add(delivery);
        }
      }
      Future<Void> inserted = events.insert(connection, emitted, held.isEmpty() ? null : outbox.nodeId(), held);
      if (!rows.isEmpty()) {
        inserted = inserted.compose(v -> webhooks.insertDeliveries(connection, rows, System.currentTimeMillis()));
      }
      return inserted.map(v -> new Announced(emitted, deliveries));
    });
  }

  /** A failed commit acknowledges nothing; a rolled-back write fails alone, with its own reason. */
  private void settle(List<Pending<?>> batch, AsyncResult<Announced> committed) {
    // announced before the writers hear of their commit: a client that got its 200 finds the event on the bus already sent
    if (committed.succeeded() && !committed.result().events().isEmpty()) {
      try {
        outbox.committed(committed.result().events(), committed.result().deliveries());
      } catch (RuntimeException e) {
        java.util.logging.Logger.getLogger(Store.class.getName()).log(java.util.logging.Level.SEVERE,
          "announcing committed events failed (they stay in the outbox)", e);
      }
    }
    for (Pending<?> pending : batch) pending.settle(committed.failed() ? committed.cause() : null);
  }

  private record Reserved(long first, long subscriptionsVersion) {
  }

  private static Future<Void> runBatch(SqlConnection connection, List<Pending<?>> batch, long first, int index) {
    if (index == batch.size()) {
      // a lone write that failed rolls the whole transaction back instead of using a savepoint
      return batch.size() == 1 && batch.get(0).outcome.failed() ? Future.failedFuture(new RolledBack()) : Future.succeededFuture();
    }
    Pending<?> pending = batch.get(index);
    if (batch.size() == 1 || !pending.savepoint) {
      return pending.run(connection, first + index).compose(ran -> runBatch(connection, batch, first, index + 1));
    }
    String savepoint = "w" + index;
    return connection.query("SAVEPOINT " + savepoint).execute()
      .compose(saved -> pending.run(connection, first + index))
      .compose(ran -> pending.outcome.succeeded() ? Future.succeededFuture()
        : connection.query("ROLLBACK TO SAVEPOINT " + savepoint).execute().mapEmpty())
      .compose(next -> runBatch(connection, batch, first, index + 1));
  }

  /**
   * Takes {@code count} change numbers at once; the counter's row stays locked until the batch commits. The same
   * read answers the subscriptions version (row 2), so a transaction reads the subscriptions only when they changed.
   */
  private static Future<Reserved> reserveChanges(SqlConnection connection, int count) {
    return connection.query("UPDATE change_counter SET last_change = last_change + " + count + " WHERE id = 1").execute()
      .compose(updated -> connection.query("SELECT id, last_change FROM change_counter WHERE id IN (1, 2)").execute())
      .map(rows -> {
        long last = 0;
        long version = 0;
        for (Row row : rows) {
          if (row.getInteger(0) == 1) last = row.getLong(1); else version = row.getLong(1);
        }
        return new Reserved(last - count + 1, version);
      });
  }

  /** The newest result of an order; null when none was reported. */
  public Future<StoredResult> latestResult(String orderId) {
    return latestResult(latestResult, orderId);
  }

  public Future<StoredResult> latestResult(SqlClient connection, String orderId) {
    return latestResult(SqlTemplate.forQuery(connection, LATEST_RESULT), orderId);
  }

  private static Future<StoredResult> latestResult(SqlTemplate<Map<String, Object>, RowSet<Row>> query, String orderId) {
    return query.execute(Map.of("orderId", orderId)).map(Store::firstResult);
  }

  /** The result version an update with this key wrote, on a transaction's connection; null when none did. */
  public Future<StoredResult> resultByKey(SqlClient connection, String orderId, String key) {
    return SqlTemplate.forQuery(connection, RESULT_BY_KEY).execute(Map.of("orderId", orderId, "key", key)).map(Store::firstResult);
  }

  private static StoredResult firstResult(RowSet<Row> rows) {
    var it = rows.iterator();
    if (!it.hasNext()) return null;
    Row row = it.next();
    return new StoredResult(row.getString(0), row.getInteger(1), new JsonObject(row.getString(2)),
      new JsonObject(row.getString(3)), row.getLong(4), row.getString(5));
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
    Map<String, Object> params = new HashMap<>();
    params.put("orderId", result.orderId());
    params.put("version", result.version());
    params.put("document", result.document().encode());
    params.put("exchange", result.exchange().encode());
    params.put("createdMs", result.createdMs());
    params.put("key", result.requestKey());
    // two nodes adding the same version of one order at once: the later one is refused (409) without a database
    // error, which would fail its whole batch on PostgreSQL (Dialect.onConflictDoNothing)
    return SqlTemplate.forUpdate(connection, "INSERT INTO assessment_result (" + RESULT_COLUMNS + ")"
        + " VALUES (#{orderId}, #{version}, #{document}, #{exchange}, #{createdMs}, #{key})" + dialect.onConflictDoNothing())
      .execute(params)
      .recover(e -> Future.failedFuture(DocumentTable.isUniqueViolation(e) ? sameVersion(result) : e))
      .compose(inserted -> inserted.rowCount() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture(sameVersion(result)));
  }

  private static DuplicateKeyException sameVersion(StoredResult result) {
    return new DuplicateKeyException("assessment_result", null, "order " + result.orderId() + " version " + result.version());
  }

  /** Records one call made to an ATS for an order (a push-back attempt), for the order's {@code raw}. */
  public Future<Void> insertConnectorCall(String orderId, long createdMs, JsonObject exchange) {
    return pool.preparedQuery(dialect.sql("INSERT INTO connector_call (order_id, created_ms, exchange) VALUES (?, ?, ?)"))
      .execute(io.vertx.sqlclient.Tuple.of(orderId, createdMs, exchange.encode())).mapEmpty();
  }

  /** The calls made to an ATS for an order, oldest first (at most the latest {@code limit}). */
  public Future<JsonArray> connectorCalls(String orderId, int limit) {
    return pool.preparedQuery(dialect.sql("SELECT exchange FROM (SELECT seq, exchange FROM connector_call WHERE order_id = ?"
        + " ORDER BY seq DESC LIMIT ?) latest ORDER BY seq"))
      .execute(io.vertx.sqlclient.Tuple.of(orderId, limit))
      .map(rows -> {
        JsonArray calls = new JsonArray();
        for (Row row : rows) calls.add(new JsonObject(row.getString(0)));
        return calls;
      });
  }

  public Future<Void> close() {
    return pool.close();
  }
}
