package org.atsassessments.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhook subscriptions and their deliveries. Every change to a subscription takes the next subscriptions
 * version (row 2 of the change counter) in its own transaction, so each node's cached list of active
 * subscriptions is read again exactly when it moved. Deliveries are claimed with {@code FOR UPDATE SKIP LOCKED}
 * and a lease: each attempt is made by one node, and a crashed node's claims are taken over once their lease ran out.
 */
public final class WebhookTable {

  // The work counter counts the statements of API requests only; the deliverer's own (claims, leases, outcomes,
  // the version check) run in the background and are not counted.

  private static final String SUBSCRIPTION_COLUMNS = "seq, id, owner, url, events, account_ids, description, status,"
    + " disabled_reason, secret, previous_secret, previous_secret_until_ms, first_failure_ms, created_ms, updated_ms";
  private static final String DELIVERY_COLUMNS = "d.seq, d.subscription_id, d.event_id, d.state, d.attempt_count,"
    + " d.attempts, d.next_attempt_ms, d.created_ms, d.updated_ms, e.type, e.account_id";

  private final Pool pool;
  private final Dialect sql;
  private final AtomicLong queries;

  WebhookTable(Pool pool, Dialect sql, AtomicLong queries) {
    this.pool = pool;
    this.sql = sql;
    this.queries = queries;
  }

  // ---- subscriptions ---------------------------------------------------------------------------------------

  private static final String BUMP_VERSION = "UPDATE change_counter SET last_change = last_change + 1 WHERE id = 2";

  /** A change to subscriptions, in its own transaction with the version bump (none when it changed nothing). */
  private <T> Future<T> changeSubscriptions(java.util.function.Function<SqlConnection, Future<T>> work) {
    queries.incrementAndGet();
    return pool.withTransaction(connection -> work.apply(connection)
      .compose(result -> Boolean.FALSE.equals(result) ? Future.succeededFuture(result)
        : connection.query(BUMP_VERSION).execute().map(bumped -> result)));
  }

  public Future<Void> insertSubscription(SubscriptionRow row) {
    return changeSubscriptions(connection -> connection.preparedQuery(sql.sql("INSERT INTO webhook_subscription"
        + " (id, owner, url, events, account_ids, description, status, disabled_reason, secret, previous_secret,"
        + " previous_secret_until_ms, first_failure_ms, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
      .execute(Tuple.from(new Object[] {row.id(), row.owner(), row.url(), json(row.events()), json(row.accountIds()),
        row.description(), row.status(), row.disabledReason(), row.secret(), row.previousSecret(),
        row.previousSecretUntilMs(), row.firstFailureMs(), row.createdMs(), row.updatedMs()}))
      .mapEmpty());
  }

  /**
   * Inserts the subscription unless one with its id exists (a connector's, made by every repository node at
   * start), or gives the existing one the row's url and events if they differ (the account's provider changed);
   * answers whether it changed anything. Two nodes inserting it at the same moment: one fails on the key.
   */
  public Future<Boolean> ensureSubscription(SubscriptionRow row) {
    return changeSubscriptions(connection -> connection.preparedQuery(sql.sql("SELECT url, events FROM webhook_subscription WHERE id = ?"))
      .execute(Tuple.of(row.id()))
      .compose(found -> found.size() > 0 ? sameOrUpdated(connection, row, found.iterator().next())
        : connection.preparedQuery(sql.sql("INSERT INTO webhook_subscription (id, owner, url, events, account_ids, description,"
            + " status, disabled_reason, secret, previous_secret, previous_secret_until_ms, first_failure_ms, created_ms,"
            + " updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
          .execute(Tuple.from(new Object[] {row.id(), row.owner(), row.url(), json(row.events()), json(row.accountIds()),
            row.description(), row.status(), row.disabledReason(), row.secret(), row.previousSecret(),
            row.previousSecretUntilMs(), row.firstFailureMs(), row.createdMs(), row.updatedMs()}))
          .map(inserted -> Boolean.TRUE)));
  }

  private Future<Boolean> sameOrUpdated(SqlConnection connection, SubscriptionRow row, Row existing) {
    if (row.url().equals(existing.getString(0)) && java.util.Objects.equals(row.events(), strings(existing.getString(1)))) {
      return Future.succeededFuture(Boolean.FALSE);
    }
    return connection.preparedQuery(sql.sql("UPDATE webhook_subscription SET url = ?, events = ?, updated_ms = ? WHERE id = ?"))
      .execute(Tuple.of(row.url(), json(row.events()), row.updatedMs(), row.id())).map(updated -> Boolean.TRUE);
  }

  /** A subscription by id, whoever owns it (a connector's, read by the users of its account). */
  public Future<SubscriptionRow> findSubscription(String id) {
    queries.incrementAndGet();
    return pool.preparedQuery(sql.sql("SELECT " + SUBSCRIPTION_COLUMNS + " FROM webhook_subscription WHERE id = ?"))
      .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : subscription(rows.iterator().next()));
  }

  /** Replaces everything but id, owner and created_ms; answers whether the row was there. */
  public Future<Boolean> updateSubscription(SubscriptionRow row) {
    return changeSubscriptions(connection -> connection.preparedQuery(sql.sql("UPDATE webhook_subscription SET url = ?,"
        + " events = ?, account_ids = ?, description = ?, status = ?, disabled_reason = ?, secret = ?, previous_secret = ?,"
        + " previous_secret_until_ms = ?, first_failure_ms = ?, updated_ms = ? WHERE id = ? AND owner = ?"))
      .execute(Tuple.from(new Object[] {row.url(), json(row.events()), json(row.accountIds()), row.description(),
        row.status(), row.disabledReason(), row.secret(), row.previousSecret(), row.previousSecretUntilMs(),
        row.firstFailureMs(), row.updatedMs(), row.id(), row.owner()}))
      .map(updated -> updated.rowCount() > 0));
  }

  /** Deletes the owner's subscription and its deliveries; answers whether it was there. */
  /**
   * Deletes the subscription; its deliveries are no longer claimed from that moment (claims join the active
   * subscriptions) and are removed afterwards in short transactions ({@link #removeDeliveriesOf}): one
   * transaction deleting a busy subscription's hundred thousand deliveries held their locks for seconds, met the
   * deliverer's outcome writes on the same rows and failed.
   */
  public Future<Boolean> deleteSubscription(String owner, String id) {
    return changeSubscriptions(connection -> connection.preparedQuery(sql.sql(
        "DELETE FROM webhook_subscription WHERE id = ? AND owner = ?")).execute(Tuple.of(id, owner))
      .map(deleted -> deleted.rowCount() > 0));
  }

  /** Removes up to {@code limit} deliveries of a deleted subscription in one short transaction; answers how many went. */
  public Future<Integer> removeDeliveriesOf(String subscriptionId, int limit) {
    return pool.preparedQuery(sql.sql("DELETE FROM webhook_delivery WHERE seq IN (SELECT seq FROM webhook_delivery"
        + " WHERE subscription_id = ? AND NOT EXISTS (SELECT 1 FROM webhook_subscription s WHERE s.id = ?) LIMIT ?)"))
      .execute(Tuple.of(subscriptionId, subscriptionId, limit)).map(RowSet::rowCount);
  }

  /**
   * Up to {@code limit} subscriptions that are gone but still have deliveries (their removal was cut short: a
   * node stopped, the store failed): the retention sweep finishes them.
   */
  public Future<List<String>> deletedWithDeliveries(int limit) {
    return pool.preparedQuery(sql.sql("SELECT DISTINCT d.subscription_id FROM webhook_delivery d WHERE NOT EXISTS"
        + " (SELECT 1 FROM webhook_subscription s WHERE s.id = d.subscription_id) LIMIT ?"))
      .execute(Tuple.of(limit)).map(rows -> {
        List<String> ids = new ArrayList<>(rows.size());
        for (Row row : rows) ids.add(row.getString(0));
        return ids;
      });
  }

  /** Disables a subscription for a reason (the deliverer's: 410 Gone, failing for too long). */
  public Future<Void> disableSubscription(String id, String reason, long nowMs) {
    return changeSubscriptions(connection -> connection.preparedQuery(sql.sql("UPDATE webhook_subscription"
        + " SET status = ?, disabled_reason = ?, updated_ms = ? WHERE id = ? AND status = ?"))
      .execute(Tuple.of(SubscriptionRow.DISABLED, reason, nowMs, id, SubscriptionRow.ACTIVE)).map(done -> done.rowCount() > 0))
      .mapEmpty();
  }

  /** Starts (a time) or ends (null) a subscription's run of failures; matching is unchanged, so no version bump. */
  public Future<Void> failingSince(String id, Long sinceMs) {
    return pool.preparedQuery(sql.sql("UPDATE webhook_subscription SET first_failure_ms = ? WHERE id = ?"))
      .execute(Tuple.of(sinceMs, id)).mapEmpty();
  }

  public Future<SubscriptionRow> findSubscription(String owner, String id) {
    queries.incrementAndGet();
    return pool.preparedQuery(sql.sql("SELECT " + SUBSCRIPTION_COLUMNS + " FROM webhook_subscription WHERE id = ? AND owner = ?"))
      .execute(Tuple.of(id, owner)).map(rows -> rows.size() == 0 ? null : subscription(rows.iterator().next()));
  }

  /** Up to {@code limit} of the owner's subscriptions after {@code afterSeq}, oldest first. */
  public Future<List<SubscriptionRow>> listSubscriptions(String owner, long afterSeq, int limit) {
    queries.incrementAndGet();
    return pool.preparedQuery(sql.sql("SELECT " + SUBSCRIPTION_COLUMNS + " FROM webhook_subscription"
        + " WHERE owner = ? AND seq > ? ORDER BY seq LIMIT ?")).execute(Tuple.of(owner, afterSeq, limit))
      .map(WebhookTable::subscriptions);
  }

  /** Every subscription (for a node's cache; the list is small: one per vendor endpoint). */
  public Future<List<SubscriptionRow>> allSubscriptions(SqlClient client) {

    return client.query("SELECT " + SUBSCRIPTION_COLUMNS + " FROM webhook_subscription ORDER BY seq").execute()
      .map(WebhookTable::subscriptions);
  }

  /** The subscriptions version now. */
  public Future<Long> subscriptionsVersion() {
    return pool.query("SELECT last_change FROM change_counter WHERE id = 2").execute()
      .map(rows -> rows.iterator().next().getLong(0));
  }

  private static List<SubscriptionRow> subscriptions(RowSet<Row> rows) {
    List<SubscriptionRow> list = new ArrayList<>(rows.size());
    for (Row row : rows) list.add(subscription(row));
    return list;
  }

  private static SubscriptionRow subscription(Row row) {
    return new SubscriptionRow(row.getLong(0), row.getString(1), row.getString(2), row.getString(3), strings(row.getString(4)),
      strings(row.getString(5)), row.getString(6), row.getString(7), row.getString(8), row.getString(9), row.getString(10),
      row.getLong(11), row.getLong(12), row.getLong(13), row.getLong(14));
  }

  private static String json(List<String> values) {
    return values == null ? null : new JsonArray(new ArrayList<>(values)).encode();
  }

  private static List<String> strings(String json) {
    if (json == null) return null;
    List<String> values = new ArrayList<>();
    for (Object value : new JsonArray(json)) values.add(String.valueOf(value));
    return List.copyOf(values);
  }

  // ---- deliveries ------------------------------------------------------------------------------------------

  private static final String DELIVERY_INSERT = "INSERT INTO webhook_delivery (subscription_id, event_id, state,"
    + " attempt_count, attempts, next_attempt_ms, lease_owner, lease_until_ms, created_ms, updated_ms)";

  /** A transaction's deliveries that no node holds in memory, in one batch, on its connection: nobody's, due now. */
  Future<Void> insertDeliveries(SqlClient connection, List<Outbox.NewDelivery> deliveries, long nowMs) {
    List<Tuple> rows = new ArrayList<>(deliveries.size());
    for (Outbox.NewDelivery delivery : deliveries) {
      rows.add(Tuple.from(new Object[] {delivery.subscriptionId(), delivery.event().id(), DeliveryRow.PENDING, 0, "[]",
        nowMs, null, 0L, nowMs, nowMs}));
    }
    return connection.preparedQuery(sql.sql(DELIVERY_INSERT + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
      .executeBatch(rows).mapEmpty();
  }

  /**
   * The INSERT of a delivery row that does nothing when the (event, subscription) has one already (written by
   * the node that held it, or by another that took over from it): its ten values, then on the embedded store
   * event id and subscription id again.
   */
  private String insertIfAbsent() {
    return sql.postgres()
      ? sql.sql(DELIVERY_INSERT + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
      : DELIVERY_INSERT + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS"
        + " (SELECT 1 FROM webhook_delivery WHERE event_id = ? AND subscription_id = ?)";
  }

  private Tuple ifAbsent(String subscriptionId, String eventId, String state, int attemptCount, String attempts,
                         long nextAttemptMs, String leaseOwner, long leaseUntilMs, long createdMs, long updatedMs) {
    Tuple row = Tuple.from(new Object[] {subscriptionId, eventId, state, attemptCount, attempts, nextAttemptMs, leaseOwner,
      leaseUntilMs, createdMs, updatedMs});
    if (!sql.postgres()) row.addString(eventId).addString(subscriptionId);
    return row;
  }

  /** A delivery held in memory, to be written as a pending row without an attempt. */
  public record Unattempted(String subscriptionId, String eventId, long createdMs) {
  }

  /**
   * Writes pending rows, due now, for deliveries held in memory (a node's that waited in its queue, leased to
   * {@code leaseOwner}; or nobody's: a stopping node's, a gone node's), in one transaction; those that have a row
   * already keep it. Answers how many had none (and so were written, unless written by another at that moment).
   */
  public Future<Integer> insertUnattempted(List<Unattempted> deliveries, String leaseOwner, long leaseUntilMs, long nowMs) {
    if (deliveries.isEmpty()) return Future.succeededFuture(0);
    java.util.Set<String> eventIds = new java.util.LinkedHashSet<>();
    for (Unattempted delivery : deliveries) eventIds.add(delivery.eventId());
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < eventIds.size(); i++) in.append(i == 0 ? "?" : ", ?");
    return pool.withTransaction(connection -> connection.preparedQuery(sql.sql("SELECT event_id, subscription_id"
        + " FROM webhook_delivery WHERE event_id IN (" + in + ")")).execute(Tuple.from(new ArrayList<>(eventIds)))
      .compose(existing -> {
        java.util.Set<String> written = new java.util.HashSet<>();
        for (Row row : existing) written.add(row.getString(0) + " " + row.getString(1));
        List<Tuple> rows = new ArrayList<>(deliveries.size());
        for (Unattempted delivery : deliveries) {
          if (written.contains(delivery.eventId() + " " + delivery.subscriptionId())) continue;
          // still conditional: the node that held it may write it at the same moment
          rows.add(ifAbsent(delivery.subscriptionId(), delivery.eventId(), DeliveryRow.PENDING, 0, "[]", nowMs, leaseOwner,
            leaseOwner == null ? 0 : leaseUntilMs, delivery.createdMs(), nowMs));
        }
        return rows.isEmpty() ? Future.succeededFuture(0)
          : connection.preparedQuery(insertIfAbsent()).executeBatch(rows).map(inserted -> rows.size());
      }));
  }

  // ---- the nodes that hold deliveries in memory ------------------------------------------------------------

  /** A node that may hold deliveries in memory: every one of an event before {@code throughMs} has its row. */
  public record FanoutNode(String nodeId, long throughMs, long updatedMs) {
  }

  /** Says that {@code nodeId} is alive and what it has written through (adds its row when there is none). */
  public Future<Void> heartbeat(String nodeId, long throughMs, long nowMs) {
    return pool.preparedQuery(sql.sql("UPDATE webhook_fanout SET through_ms = ?, updated_ms = ? WHERE node_id = ?"))
      .execute(Tuple.of(throughMs, nowMs, nodeId))
      .compose(updated -> updated.rowCount() > 0 ? Future.succeededFuture()
        : pool.preparedQuery(sql.sql("INSERT INTO webhook_fanout (node_id, through_ms, updated_ms) VALUES (?, ?, ?)"))
          .execute(Tuple.of(nodeId, throughMs, nowMs)).mapEmpty());
  }

  /** Up to {@code limit} nodes other than {@code self} silent since before {@code silentSinceMs}. */
  public Future<List<FanoutNode>> goneNodes(String self, long silentSinceMs, int limit) {
    return pool.preparedQuery(sql.sql("SELECT node_id, through_ms, updated_ms FROM webhook_fanout"
        + " WHERE node_id <> ? AND updated_ms < ? ORDER BY updated_ms LIMIT ?"))
      .execute(Tuple.of(self, silentSinceMs, limit))
      .map(rows -> {
        List<FanoutNode> nodes = new ArrayList<>(rows.size());
        for (Row row : rows) nodes.add(new FanoutNode(row.getString(0), row.getLong(1), row.getLong(2)));
        return nodes;
      });
  }

  /** The row of one node (null: none, it held nothing or was taken over already). */
  public Future<FanoutNode> fanoutNode(String nodeId) {
    return pool.preparedQuery(sql.sql("SELECT node_id, through_ms, updated_ms FROM webhook_fanout WHERE node_id = ?"))
      .execute(Tuple.of(nodeId))
      .map(rows -> {
        if (rows.size() == 0) return null;
        Row row = rows.iterator().next();
        return new FanoutNode(row.getString(0), row.getLong(1), row.getLong(2));
      });
  }

  /** Removes a gone node's row once its deliveries have rows, unless it spoke again meanwhile. */
  public Future<Void> forgetNode(FanoutNode node) {
    return pool.preparedQuery(sql.sql("DELETE FROM webhook_fanout WHERE node_id = ? AND updated_ms = ?"))
      .execute(Tuple.of(node.nodeId(), node.updatedMs())).mapEmpty();
  }

  /** Removes this node's own row (stopping with nothing held). */
  public Future<Void> forgetNode(String nodeId) {
    return pool.preparedQuery(sql.sql("DELETE FROM webhook_fanout WHERE node_id = ?")).execute(Tuple.of(nodeId)).mapEmpty();
  }

  /**
   * Claims up to {@code limit} deliveries that are due, nobody's (or whose lease ran out) and of an active
   * subscription not in {@code skipped} (those the caller has no room for): locks them skipping rows another node is claiming, leases them to {@code owner} and answers
   * them with their events, in one short transaction.
   */
  public Future<List<DeliveryRow>> claimDue(String owner, long nowMs, long leaseUntilMs, int limit, List<String> skipped) {

    StringBuilder skip = new StringBuilder();
    Tuple params = Tuple.of(nowMs, nowMs);
    if (!skipped.isEmpty()) {
      skip.append(" AND d.subscription_id NOT IN (");
      for (int i = 0; i < skipped.size(); i++) {
        skip.append(i == 0 ? "?" : ", ?");
        params.addString(skipped.get(i));
      }
      skip.append(')');
    }
    params.addInteger(limit);
    return pool.withTransaction(connection -> connection.preparedQuery(sql.sql("SELECT d.seq FROM webhook_delivery d"
          + " WHERE d.state = 'pending' AND d.next_attempt_ms <= ? AND d.lease_until_ms < ?" + skip
          + " AND EXISTS (SELECT 1 FROM webhook_subscription s WHERE s.id = d.subscription_id AND s.status = 'active')"
          + " ORDER BY d.next_attempt_ms LIMIT ? FOR UPDATE SKIP LOCKED"))
      .execute(params)
      .compose(rows -> {
        if (rows.size() == 0) return Future.succeededFuture(List.<DeliveryRow>of());
        List<Tuple> leases = new ArrayList<>(rows.size());
        List<Long> seqs = new ArrayList<>(rows.size());
        for (Row row : rows) {
          seqs.add(row.getLong(0));
          leases.add(Tuple.of(owner, leaseUntilMs, row.getLong(0)));
        }
        return connection.preparedQuery(sql.sql("UPDATE webhook_delivery SET lease_owner = ?, lease_until_ms = ? WHERE seq = ?"))
          .executeBatch(leases)
          .compose(leased -> withEvents(connection, seqs));
      }));
  }

  private Future<List<DeliveryRow>> withEvents(SqlClient connection, List<Long> seqs) {
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < seqs.size(); i++) in.append(i == 0 ? "?" : ", ?");
    return connection.preparedQuery(sql.sql("SELECT " + DELIVERY_COLUMNS + ", e.body FROM webhook_delivery d"
        + " JOIN assessment_event e ON e.id = d.event_id WHERE d.seq IN (" + in + ")"))
      .execute(Tuple.from(new ArrayList<>(seqs)))
      .map(rows -> {
        List<DeliveryRow> list = new ArrayList<>(rows.size());
        for (Row row : rows) list.add(delivery(row, true));
        return list;
      });
  }

  /**
   * What one attempt left: the delivery's new state, attempts and next due time; {@code stored}: whether the
   * delivery has its row (claimed from the store) or not yet (held in memory since its event's commit: the row is
   * written with this outcome, {@code createdMs} its event's time; {@code leased}: the row stays this node's, for
   * an attempt to come: a delivery that waited in memory too long is written down before it is attempted);
   * {@code call}: the call to an ATS the attempt was (a connector subscription's), kept for {@code callOrderId}'s
   * raw in the same transaction.
   */
  public record Outcome(String subscriptionId, String eventId, String state, int attemptCount, JsonArray attempts,
                        long nextAttemptMs, long updatedMs, boolean stored, long createdMs, boolean leased,
                        String callOrderId, JsonObject call) {

    public Outcome(String subscriptionId, String eventId, String state, int attemptCount, JsonArray attempts,
                   long nextAttemptMs, long updatedMs, boolean stored, long createdMs, boolean leased) {
      this(subscriptionId, eventId, state, attemptCount, attempts, nextAttemptMs, updatedMs, stored, createdMs, leased, null, null);
    }
  }

  /**
   * Records attempts' outcomes in one transaction and gives their leases back. An outcome of a stored delivery
   * counts only while the delivery is still this owner's (a redelivery elsewhere took it over otherwise); that of
   * a delivery held in memory writes its row, unless one was written meanwhile (by a node that took this one for
   * gone), which is then attempted again.
   */
  public Future<Void> record(String owner, long leaseUntilMs, List<Outcome> outcomes) {
    List<Tuple> updates = new ArrayList<>(outcomes.size());
    List<Tuple> inserts = new ArrayList<>();
    List<Tuple> calls = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      if (outcome.call() != null) calls.add(Tuple.of(outcome.callOrderId(), outcome.updatedMs(), outcome.call().encode()));
      if (outcome.stored()) {
        updates.add(Tuple.from(new Object[] {outcome.state(), outcome.attemptCount(), outcome.attempts().encode(),
          outcome.nextAttemptMs(), outcome.updatedMs(), outcome.subscriptionId(), outcome.eventId(), owner}));
      } else {
        inserts.add(ifAbsent(outcome.subscriptionId(), outcome.eventId(), outcome.state(), outcome.attemptCount(),
          outcome.attempts().encode(), outcome.nextAttemptMs(), outcome.leased() ? owner : null,
          outcome.leased() ? leaseUntilMs : 0, outcome.createdMs(), outcome.updatedMs()));
      }
    }
    return pool.withTransaction(connection -> {
      Future<?> written = inserts.isEmpty() ? Future.succeededFuture()
        : connection.preparedQuery(insertIfAbsent()).executeBatch(inserts);
      if (!updates.isEmpty()) {
        written = written.compose(inserted -> connection.preparedQuery(sql.sql("UPDATE webhook_delivery SET state = ?,"
            + " attempt_count = ?, attempts = ?, next_attempt_ms = ?, lease_owner = NULL, lease_until_ms = 0, updated_ms = ?"
            + " WHERE subscription_id = ? AND event_id = ? AND lease_owner = ?")).executeBatch(updates));
      }
      if (!calls.isEmpty()) {
        written = written.compose(updated -> connection.preparedQuery(sql.sql(
          "INSERT INTO connector_call (order_id, created_ms, exchange) VALUES (?, ?, ?)")).executeBatch(calls));
      }
      return written.mapEmpty();
    });
  }

  /** Gives back a claim without an attempt (the subscription went away or was disabled meanwhile). */
  public Future<Void> release(String owner, String subscriptionId, String eventId) {
    return pool.preparedQuery(sql.sql("UPDATE webhook_delivery SET lease_owner = NULL, lease_until_ms = 0"
        + " WHERE subscription_id = ? AND event_id = ? AND lease_owner = ?")).execute(Tuple.of(subscriptionId, eventId, owner))
      .mapEmpty();
  }

  /** Extends the leases of everything {@code owner} holds. */
  public Future<Integer> renew(String owner, long leaseUntilMs) {
    return pool.preparedQuery(sql.sql("UPDATE webhook_delivery SET lease_until_ms = ? WHERE lease_owner = ? AND state = 'pending'"))
      .execute(Tuple.of(leaseUntilMs, owner)).map(RowSet::rowCount);
  }

  /** Gives back every lease {@code owner} holds (a node stopping). */
  public Future<Integer> releaseOwned(String owner) {
    return pool.preparedQuery(sql.sql("UPDATE webhook_delivery SET lease_owner = NULL, lease_until_ms = 0 WHERE lease_owner = ?"))
      .execute(Tuple.of(owner)).map(RowSet::rowCount);
  }

  /** Ends every lease: at the start of an embedded store, whose file only one process can have open. */
  public Future<Integer> releaseAll() {
    return pool.query("UPDATE webhook_delivery SET lease_owner = NULL, lease_until_ms = 0 WHERE lease_owner IS NOT NULL")
      .execute().map(RowSet::rowCount);
  }

  /** Up to {@code limit} deliveries of a subscription after {@code afterSeq} (in a state, or any), oldest first. */
  public Future<List<DeliveryRow>> listDeliveries(String subscriptionId, String state, long afterSeq, int limit) {
    queries.incrementAndGet();
    String filter = state == null ? "" : " AND d.state = ?";
    Tuple params = Tuple.of(subscriptionId, afterSeq);
    if (state != null) params.addString(state);
    params.addInteger(limit);
    return pool.preparedQuery(sql.sql("SELECT " + DELIVERY_COLUMNS + " FROM webhook_delivery d"
        + " JOIN assessment_event e ON e.id = d.event_id WHERE d.subscription_id = ? AND d.seq > ?" + filter
        + " ORDER BY d.seq LIMIT ?")).execute(params)
      .map(rows -> {
        List<DeliveryRow> list = new ArrayList<>(rows.size());
        for (Row row : rows) list.add(delivery(row, false));
        return list;
      });
  }

  /**
   * Makes a delivery due now, whatever its state, and claims it for {@code owner}: answers it with its event, or
   * null when the subscription has no delivery of that event.
   */
  public Future<DeliveryRow> redeliver(String owner, String subscriptionId, String eventId, long nowMs, long leaseUntilMs) {
    queries.incrementAndGet();
    return pool.withTransaction(connection -> connection.preparedQuery(sql.sql("UPDATE webhook_delivery SET state = 'pending',"
          + " next_attempt_ms = ?, lease_owner = ?, lease_until_ms = ?, updated_ms = ? WHERE subscription_id = ? AND event_id = ?"))
      .execute(Tuple.of(nowMs, owner, leaseUntilMs, nowMs, subscriptionId, eventId))
      .compose(updated -> updated.rowCount() == 0 ? Future.succeededFuture(null)
        : connection.preparedQuery(sql.sql("SELECT " + DELIVERY_COLUMNS + ", e.body FROM webhook_delivery d"
            + " JOIN assessment_event e ON e.id = d.event_id WHERE d.subscription_id = ? AND d.event_id = ?"))
          .execute(Tuple.of(subscriptionId, eventId))
          .map(rows -> rows.size() == 0 ? null : delivery(rows.iterator().next(), true))));
  }

  /** When the oldest delivery still pending was created (null: none), for the age metric. */
  public Future<Long> oldestPendingMs() {
    return pool.query("SELECT MIN(created_ms) FROM webhook_delivery WHERE state = 'pending'").execute()
      .map(rows -> rows.iterator().next().getLong(0));
  }

  private static DeliveryRow delivery(Row row, boolean withBody) {
    return new DeliveryRow(row.getLong(0), row.getString(1), row.getString(2), row.getString(3), row.getInteger(4),
      new JsonArray(row.getString(5)), row.getLong(6), row.getLong(7), row.getLong(8), row.getString(9),
      row.getString(10), withBody ? row.getString(11) : null);
  }
}
