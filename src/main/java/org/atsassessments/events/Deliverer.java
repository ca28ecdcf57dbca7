package org.atsassessments.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.model.Timestamps;
import org.atsassessments.ops.Metrics;
import org.atsassessments.store.DeliveryRow;
import org.atsassessments.store.Store;
import org.atsassessments.store.SubscriptionRow;
import org.atsassessments.store.WebhookTable;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes the webhook attempts of one repository node. Deliveries reach it two ways: held from the commit of the
 * change that made their event (attempted right after it, no query in between, and no row: the event row names
 * this node and the subscriptions), and claimed from the store by the poller every {@code webhook_poll_ms}
 * (retries that fell due, deliveries of a node that stopped or crashed, those this node had no room for), leased
 * to it there, the leases renewed while held. Every attempt's outcome is written (batched: one transaction for
 * whatever finished meanwhile, at most one every {@value #OUTCOME_INTERVAL_MS} ms): a held delivery's row is
 * inserted with it, a claimed one's updated and its lease given back. A held delivery still waiting in its queue
 * after {@value #WRITE_DOWN_AFTER_MS} ms gets its row (leased to this node) before it is attempted, so that the
 * deliveries list shows it.
 *
 * <p>Nothing is lost when a node dies: every {@code webhook_lease_ms / 3} each node writes its heartbeat row with
 * the event time before which every delivery it held has its row; once a node has been silent for
 * {@code webhook_lease_ms} (on the embedded store: any node other than the one running), another writes pending
 * rows for the deliveries of its events after that time and removes its row. An attempt whose outcome was never
 * written is made again: at least once, same {@code webhook-id}.
 *
 * <p>Isolation: at most {@code webhook_concurrency_per_endpoint} attempts in flight per subscription, a bounded
 * queue per subscription (a full one is skipped by the poller and its new deliveries wait in the store), a pooled
 * keep-alive client, redirects not followed, every attempt bounded by {@code webhook_timeout_ms}.
 *
 * <p>Runs on an event loop of its own, not the repository verticle's: a write transaction is a chain of store
 * calls, each answered on the repository's event loop, and the attempts (HTTP, signatures, outcomes) queued there
 * made every step of it wait (a POST with one subscription ran at 60-70% of one without). Everything here runs on
 * {@link #context}; {@link #take} and {@link #stop} hop there, and {@link #hasRoom} (asked from a write
 * transaction) reads counts that only that event loop changes. Nothing in it blocks.
 */
public final class Deliverer {

  private static final Logger LOG = Logger.getLogger(Deliverer.class.getName());
  /** Deliveries held in memory at most (queued or in flight), all subscriptions together. */
  static final int MAX_HELD = 4096;
  /** Deliveries queued or in flight for one subscription at most. */
  static final int MAX_PER_SUBSCRIPTION = 512;
  /** Attempts kept in a delivery's log (the oldest are dropped beyond). */
  static final int MAX_ATTEMPTS_LOGGED = 50;
  private static final int MAX_CLAIM = 256;
  /** Outcomes written in one transaction at most. */
  static final int MAX_OUTCOMES = 256;
  /**
   * Outcome transactions start at most this often (unless a batch is full): an outcome after a quiet spell is
   * written at once, those of a busy node wait up to this long for the next transaction, with all the others.
   * Each transaction is a commit, and on the embedded store a commit writes out every page changed since the last
   * one (the write transactions' order and event pages too): outcome transactions back to back, each started as
   * the previous ended, doubled the commits of a node under load. The lease covers the wait; a crash in it makes
   * the attempt again, as before.
   */
  static final long OUTCOME_INTERVAL_MS = 100;
  /** A held delivery waiting in its queue this long gets its row. */
  static final long WRITE_DOWN_AFTER_MS = 1000;
  /** Events of a gone node taken over per transaction. */
  private static final int TAKE_OVER_BATCH = 256;

  private static final Counter SUCCEEDED = Metrics.counter("ats.webhook.attempts", "outcome", "succeeded");
  private static final Counter RETRYING = Metrics.counter("ats.webhook.attempts", "outcome", "retrying");
  private static final Counter FAILED = Metrics.counter("ats.webhook.attempts", "outcome", "failed");
  private static final Counter DELIVERED = Metrics.counter("ats.webhook.deliveries", "outcome", "succeeded");
  private static final Counter GAVE_UP = Metrics.counter("ats.webhook.deliveries", "outcome", "failed");
  private static final Timer LATENCY = Metrics.timer("ats.webhook.attempt.duration");
  private static final Counter TAKEN_OVER = Metrics.counter("ats.webhook.deliveries.taken.over");
  private static final AtomicLong OLDEST_PENDING_SECONDS = Metrics.gauge("ats.webhook.oldest.pending.age.seconds",
    new AtomicLong());

  private final Vertx vertx;
  private final Store store;
  private final WebhookTable table;
  private final AccountGrants grants;
  private final Targets targets;
  private final String nodeId;
  private final long timeoutMs;
  private final long leaseMs;
  private final List<Duration> schedule;
  private final int concurrency;
  private final long disableAfterMs;
  private final WebClient client;
  /** The attempts of connector subscriptions: calls to the account's ATS. */
  private final ConnectorPusher pusher;
  /** This deliverer's own event loop. */
  private final Context context;
  /** Changed on {@link #context} only; read from the repository's event loop by {@link #hasRoom}. */
  private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final Map<String, Signatures.Signer> signers = new HashMap<>();
  /** Since when each subscription's attempts have all failed, as this node knows it (absent: not failing). */
  private final Map<String, Long> failingSince = new HashMap<>();
  /** Outcomes (and rows) not yet written; one transaction of them in the store at a time. */
  private List<Write> unwritten = new ArrayList<>();
  /** unwritten.size(), readable from the repository's event loop. */
  private volatile int unwrittenSize;
  /** Held deliveries without their row yet (queued, in flight, or their outcome not written). */
  private final java.util.Set<Held> unstored = new java.util.HashSet<>();
  /** Whether this node's heartbeat row is in the store (before, it holds nothing: deliveries get rows). */
  private volatile boolean registered;
  private boolean takingOver;
  private boolean writing;
  /** When the last outcome transaction started. */
  private long lastOutcomesMs;
  /** The timer of the next outcome transaction (-1: none set). */
  private long lingering = -1;
  /** Set by {@link #stop}: completed once no outcome is left to write. */
  private Promise<Void> stopped;
  private final List<Long> timers = new ArrayList<>();
  /** Deliveries queued or in flight (changed on {@link #context} only). */
  private volatile int held;
  private boolean polling;

  /** A delivery this node holds: its row as claimed or as made from the event, and whether the store has it. */
  private static final class Held {
    final DeliveryRow row;
    boolean stored;
    final long takenMs;
    /** Its outcome (or its row without one) is queued to be written: nothing more is done with it here. */
    boolean settled;
    /** Its row, leased to this node, is being written before its outcome is known (it waited too long). */
    boolean writingDown;

    Held(DeliveryRow row, boolean stored, long takenMs) {
      this.row = row;
      this.stored = stored;
      this.takenMs = takenMs;
    }
  }

  /**
   * One row to write: an outcome, or a held delivery's row without one ({@code writtenDown}: leased to this node,
   * its attempt in flight or, {@code putBack}, taken out of its queue until the row is written).
   */
  private record Write(WebhookTable.Outcome outcome, Held held, boolean writtenDown, boolean putBack) {
  }
  private long lastAgeCheck;
  private volatile boolean closed;

  public Deliverer(Vertx vertx, Store store, AccountGrants grants, ServiceConfig config, String nodeId) {
    this.vertx = vertx;
    // internal API, the one way to a context on another event loop than the caller's without deploying a verticle
    this.context = ((VertxInternal) vertx).createEventLoopContext();
    this.store = store;
    this.table = store.webhooks();
    this.grants = grants;
    this.targets = new Targets(vertx, config.webhookAllowPrivateTargets());
    this.nodeId = nodeId;
    this.timeoutMs = config.webhookTimeoutMs();
    this.leaseMs = config.webhookLeaseMs();
    this.schedule = config.webhookRetrySchedule();
    this.concurrency = config.webhookConcurrencyPerEndpoint();
    this.disableAfterMs = config.webhookDisableAfter().toMillis();
    // one pooled keep-alive client for every endpoint; the per-subscription limit keeps one endpoint's slowness its own
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setFollowRedirects(false)
        .setForceSni(true).setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
        .setIdleTimeout((int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(timeoutMs))).setUserAgent("ats-assessments-webhooks/1"),
      new PoolOptions().setHttp1MaxSize(Math.max(concurrency, 1) * 4).setMaxWaitQueueSize(-1));
    this.pusher = new ConnectorPusher(vertx, store, grants, timeoutMs);
  }

  /** Starts the poller and the lease renewal (their timers fire on this deliverer's event loop). */
  public void start(long pollMs) {
    context.runOnContext(v -> {
      timers.add(vertx.setPeriodic(pollMs, t -> poll()));
      timers.add(vertx.setPeriodic(Math.max(1, leaseMs / 3), t -> renew()));
      heartbeat().onComplete(registered -> takeOver());
      poll();
    });
  }

  /**
   * Stops attempting: nothing queued is started any more; the outcomes of the attempts that finished are written
   * now (not at the next interval), and the held deliveries not attempted or still in flight get their rows;
   * then this node's leases are given back so that another node (or this one, restarted) takes its deliveries
   * at once. An attempt still in flight records nothing (it is made again: at least once).
   */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> stopHere().onComplete(done));
    return done.future();
  }

  private Future<Void> stopHere() {
    closed = true;
    timers.forEach(vertx::cancelTimer);
    // held deliveries not attempted yet or still in flight get their rows, nobody's: another node attempts them
    // (one being written down is leased to this node: given back below)
    for (Held held : new ArrayList<>(unstored)) unattempted(held);
    stopped = Promise.promise();
    writeOutcomes();
    if (!writing) stopped.tryComplete();
    return stopped.future()
      // with every held delivery written down, nothing of this node is left to take over (else its row stays for that)
      .compose(written -> unstored.isEmpty() ? table.forgetNode(nodeId) : Future.succeededFuture())
      .compose(forgotten -> table.releaseOwned(nodeId))
      .onFailure(e -> LOG.warning("giving back webhook delivery leases failed (they run out by themselves): " + e))
      .<Void>mapEmpty().otherwiseEmpty()
      .eventually(() -> {
        client.close();
        pusher.close();
        return Future.succeededFuture();
      });
  }

  public String nodeId() {
    return nodeId;
  }

  public long leaseMs() {
    return leaseMs;
  }

  public Targets targets() {
    return targets;
  }

  // ---- what reaches this node --------------------------------------------------------------------------------

  /** Whether this node has room for one more delivery of that subscription (else it is left for the poller). */
  public boolean hasRoom(String subscriptionId) {
    if (closed || !registered || held >= MAX_HELD || unwrittenSize >= MAX_HELD) return false;
    Endpoint endpoint = endpoints.get(subscriptionId);
    return endpoint == null || endpoint.size() < MAX_PER_SUBSCRIPTION;
  }

  /** A delivery claimed for this node: queued for its subscription, attempted as soon as there is a free slot. */
  public void take(DeliveryRow delivery) {
    if (Vertx.currentContext() == context) {
      add(new Held(delivery, true, System.currentTimeMillis()));
    } else {
      context.runOnContext(v -> take(delivery));
    }
  }

  /**
   * Deliveries this node holds from a commit (no row yet): one hop to this deliverer's event loop. A node has
   * room for them ({@link #hasRoom}) only while its heartbeat row is in the store, so they can be taken over.
   */
  public void takeHeld(List<DeliveryRow> deliveries) {
    if (deliveries.isEmpty()) return;
    context.runOnContext(v -> {
      long now = System.currentTimeMillis();
      for (DeliveryRow delivery : deliveries) {
        Held held = new Held(delivery, false, now);
        unstored.add(held);
        add(held);
      }
    });
  }

  private void add(Held delivery) {
    held++;
    endpoints.computeIfAbsent(delivery.row.subscriptionId(), Endpoint::new).add(delivery);
  }

  private void poll() {
    if (closed || polling) return;
    polling = true;
    long now = System.currentTimeMillis();
    List<String> full = new ArrayList<>();
    endpoints.forEach((id, endpoint) -> {
      if (endpoint.size() >= MAX_PER_SUBSCRIPTION) full.add(id);
    });
    int room = Math.min(MAX_CLAIM, MAX_HELD - held);
    writeDownWaiting(now);
    Future<?> claimed = room <= 0 ? Future.succeededFuture()
      : store.refreshSubscriptions().compose(subs -> table.claimDue(nodeId, now, now + leaseMs, room, full))
        .onSuccess(rows -> rows.forEach(this::take));
    claimed.compose(done -> now - lastAgeCheck < 5_000 ? Future.succeededFuture() : table.oldestPendingMs().onSuccess(oldest -> {
        lastAgeCheck = now;
        OLDEST_PENDING_SECONDS.set(oldest == null ? 0 : Math.max(0, (now - oldest) / 1000));
      }))
      .onComplete(done -> {
        polling = false;
        if (done.failed() && !closed) LOG.warning("claiming due webhook deliveries failed (tried again in a moment): " + done.cause());
      });
  }

  private void renew() {
    if (closed) return;
    heartbeat();
    takeOver();
    if (held == 0) return;
    table.renew(nodeId, System.currentTimeMillis() + leaseMs)
      .onFailure(e -> LOG.warning("renewing webhook delivery leases failed: " + e));
  }

  /**
   * Held deliveries without an outcome {@value #WRITE_DOWN_AFTER_MS} ms after they were taken (waiting in their
   * queue, or in flight to a slow endpoint) get their rows, leased to this node, so that the deliveries list shows
   * them; one waiting in its queue leaves it until then. The outcome of one being written down updates the row
   * (it is written after it, in order).
   */
  private void writeDownWaiting(long now) {
    if (closed || unstored.isEmpty()) return;
    for (Held waiting : new ArrayList<>(unstored)) {
      if (waiting.stored || waiting.settled || waiting.writingDown || now - waiting.takenMs < WRITE_DOWN_AFTER_MS) continue;
      Endpoint endpoint = endpoints.get(waiting.row.subscriptionId());
      boolean queued = endpoint != null && endpoint.queue.remove(waiting);
      waiting.writingDown = true;
      DeliveryRow row = waiting.row;
      write(new Write(new WebhookTable.Outcome(row.subscriptionId(), row.eventId(), DeliveryRow.PENDING, 0, new JsonArray(),
        now, now, false, row.createdMs(), true), waiting, true, queued));
    }
  }

  // ---- the heartbeat, and deliveries of gone nodes -----------------------------------------------------------

  /**
   * This node's heartbeat row: every delivery it held of an event before the time written has its row. Held ones
   * still without it bound that time, and so does a lease ago (a delivery is taken only after its commit: one
   * committed a moment ago may not have reached this event loop yet).
   */
  private Future<Void> heartbeat() {
    long now = System.currentTimeMillis();
    long through = now - leaseMs;
    for (Held held : unstored) through = Math.min(through, held.row.createdMs() - 1);
    return table.heartbeat(nodeId, through, now)
      .onSuccess(written -> registered = true)
      .onFailure(e -> LOG.warning("writing this node's webhook heartbeat failed: " + e));
  }

  /** Writes the rows of the deliveries that nodes gone silent held, and forgets those nodes. */
  private void takeOver() {
    if (closed || takingOver) return;
    takingOver = true;
    long now = System.currentTimeMillis();
    // the embedded store is one process's: a node other than this one is from before this start
    long silentSince = store.embedded() ? Long.MAX_VALUE : now - leaseMs;
    table.goneNodes(nodeId, silentSince, 8)
      .compose(gone -> {
        Future<Void> all = Future.succeededFuture();
        for (WebhookTable.FanoutNode node : gone) all = all.compose(v -> takeOver(node, node.throughMs(), "", 0));
        return all;
      })
      .onComplete(done -> {
        takingOver = false;
        if (done.failed() && !closed) LOG.warning("taking over a gone node's webhook deliveries failed (tried again later): " + done.cause());
      });
  }

  /**
   * The cluster reports that node {@code departedId} left: the deliveries it held without rows are written now,
   * not once it has been silent for a lease.
   */
  public void departed(String departedId) {
    context.runOnContext(v -> {
      if (closed || departedId.equals(nodeId)) return;
      table.fanoutNode(departedId)
        .compose(node -> node == null ? Future.succeededFuture() : takeOver(node, node.throughMs(), "", 0))
        .onFailure(e -> LOG.warning("taking over departed node " + departedId + "'s webhook deliveries failed"
          + " (tried again once it has been silent for a lease): " + e));
    });
  }

  private Future<Void> takeOver(WebhookTable.FanoutNode node, long fromMs, String afterId, int taken) {
    return store.refreshSubscriptions()
      .compose(subscriptions -> store.events().heldBy(node.nodeId(), fromMs, afterId, TAKE_OVER_BATCH).compose(events -> {
        List<WebhookTable.Unattempted> rows = new ArrayList<>();
        for (org.atsassessments.store.EventTable.Held event : events) {
          for (String subscriptionId : event.subscriptionIds()) {
            // a subscription deleted since has no deliveries any more
            if (subscriptions.byId().containsKey(subscriptionId)) {
              rows.add(new WebhookTable.Unattempted(subscriptionId, event.eventId(), event.createdMs()));
            }
          }
        }
        return table.insertUnattempted(rows, null, 0, System.currentTimeMillis()).compose(written -> {
          TAKEN_OVER.increment(written);
          if (events.size() == TAKE_OVER_BATCH) {
            org.atsassessments.store.EventTable.Held last = events.get(events.size() - 1);
            return takeOver(node, last.createdMs(), last.eventId(), taken + written);
          }
          LOG.info("webhook node " + node.nodeId() + " went silent; " + (taken + written) + " deliveries it held without"
            + " their rows are pending again (at least once: some may have been sent)");
          return table.forgetNode(node);
        });
      }));
  }

  // ---- one subscription's queue ------------------------------------------------------------------------------

  private final class Endpoint {
    final String subscriptionId;
    final ArrayDeque<Held> queue = new ArrayDeque<>();
    int inFlight;
    /** queue.size() + inFlight, readable from the repository's event loop. */
    volatile int size;

    Endpoint(String subscriptionId) {
      this.subscriptionId = subscriptionId;
    }

    int size() {
      return size;
    }

    void add(Held delivery) {
      queue.add(delivery);
      size++;
      pump();
    }

    /** A delivery back from being written down: first in line again. */
    void putBack(Held delivery) {
      queue.addFirst(delivery);
      pump();
    }

    void pump() {
      if (closed) {
        held -= queue.size();
        size -= queue.size();
        queue.clear();
        return;
      }
      while (inFlight < concurrency && !queue.isEmpty()) {
        Held next = queue.poll();
        inFlight++;
        attempt(next).onComplete(done -> {
          inFlight--;
          size--;
          held--;
          if (done.failed()) LOG.log(Level.SEVERE, "webhook attempt failed unexpectedly", done.cause());
          if (size() == 0) {
            endpoints.remove(subscriptionId);
          } else {
            pump();
          }
        });
      }
    }
  }

  // ---- one attempt -------------------------------------------------------------------------------------------

  private SubscriptionRow subscription(String id) {
    return store.subscriptions().byId().get(id);
  }

  private Future<Void> attempt(Held held) {
    SubscriptionRow known = subscription(held.row.subscriptionId());
    // one this node has not seen yet (made on another node a moment ago): read the subscriptions again first
    if (known == null) return store.refreshSubscriptions().compose(read -> attempt(held, subscription(held.row.subscriptionId())));
    return attempt(held, known);
  }

  private Future<Void> attempt(Held held, SubscriptionRow subscription) {
    DeliveryRow delivery = held.row;
    if (subscription == null) {  // deleted: its deliveries went with it
      unstored.remove(held);
      return Future.succeededFuture();
    }
    if (!subscription.active()) {
      // disabled meanwhile: the delivery waits in the store for the subscription to be active again
      if (held.stored) return table.release(nodeId, delivery.subscriptionId(), delivery.eventId());
      unattempted(held);
      return Future.succeededFuture();
    }
    long started = System.currentTimeMillis();
    if (!grants.covers(subscription, delivery.accountId())) {
      // not the endpoint's failure: the delivery ends here (redeliverable once the grant is back), and the
      // subscription's run of failures is left alone
      return finish(subscription, held, started, null, 0,
        "not sent: account " + delivery.accountId() + " is no longer granted to this subscription's owner", true, false);
    }
    if (ConnectorSubscriptions.isConnector(subscription)) {
      // a push-back to the account's ATS: the webhook schedule, never disabling the account's only way back to it
      return pusher.push(delivery).compose(pushed -> finish(subscription, held, started, pushed.status(), 0, pushed.error(),
        pushed.last(), false, pushed.orderId(), pushed.call()));
    }
    Targets.Target target;
    try {
      target = Targets.parse(subscription.url());
    } catch (Targets.Refused refused) {
      return finish(subscription, held, started, null, 0, "not sent: " + refused.getMessage(), false, true);
    }
    return targets.address(target)
      .compose(address -> send(subscription, held, target, address, started))
      .recover(refused -> finish(subscription, held, started, null, 0, "not sent: " + refused.getMessage(), false, true));
  }

  private Future<Void> send(SubscriptionRow subscription, Held held, Targets.Target target, InetAddress address,
                            long started) {
    DeliveryRow delivery = held.row;
    long sentAt = System.currentTimeMillis();
    String body = EventTypes.withSentAt(delivery.eventBody(), sentAt);
    long timestamp = sentAt / 1000;
    Signatures.Signer current = signer(subscription.secret());
    boolean overlap = subscription.previousSecret() != null && subscription.previousSecretUntilMs() != null
      && subscription.previousSecretUntilMs() > sentAt;
    String signature = current.standard(delivery.eventId(), timestamp, body);
    String stackOne;
    if (overlap) {
      Signatures.Signer previous = signer(subscription.previousSecret());
      signature = signature + " " + previous.standard(delivery.eventId(), timestamp, body);
      stackOne = previous.stackOne(body);  // receivers not yet given the new secret keep verifying
    } else {
      stackOne = current.stackOne(body);
    }
    HttpRequest<Buffer> request = client.request(HttpMethod.POST,
        SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()), target.port(), target.host(),
        target.requestUri())
      .ssl(target.ssl())
      .followRedirects(false)
      .timeout(timeoutMs)
      .putHeader("content-type", "application/json")
      .putHeader("webhook-id", delivery.eventId())
      .putHeader("webhook-timestamp", Long.toString(timestamp))
      .putHeader("webhook-signature", signature)
      .putHeader("x-stackone-signature", stackOne);
    return request.sendBuffer(Buffer.buffer(body))
      .transform(done -> {
        long tookMs = System.currentTimeMillis() - started;
        LATENCY.record(tookMs, TimeUnit.MILLISECONDS);
        if (done.failed()) {
          return finish(subscription, held, started, null, 0, describe(done.cause()), false, true);
        }
        HttpResponse<Buffer> response = done.result();
        int status = response.statusCode();
        long retryAfterMs = status == 429 || status == 503 ? retryAfterMs(response.getHeader("retry-after"), sentAt) : 0;
        String error = status >= 200 && status < 300 ? null : "HTTP " + status;
        return finish(subscription, held, started, status, retryAfterMs, error, status == 410, true);
      });
  }

  private Signatures.Signer signer(String secret) {
    if (signers.size() > 10_000) signers.clear();
    return signers.computeIfAbsent(secret, Signatures.Signer::new);
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    String kind = failure instanceof java.util.concurrent.TimeoutException
      || (message != null && message.toLowerCase().contains("timeout")) ? "timed out" : "connection failed";
    return kind + (message == null ? "" : ": " + message);
  }

  /** Retry-After as seconds or an HTTP date; 0 when absent or not understood. At most a day. */
  static long retryAfterMs(String header, long nowMs) {
    if (header == null || header.isBlank()) return 0;
    long ms;
    try {
      ms = Long.parseLong(header.trim()) * 1000;
    } catch (NumberFormatException e) {
      try {
        ms = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli() - nowMs;
      } catch (RuntimeException unreadable) {
        return 0;
      }
    }
    return Math.max(0, Math.min(ms, Duration.ofDays(1).toMillis()));
  }

  /**
   * The attempt's outcome: logged in the delivery, its next state (succeeded; pending with the next due time;
   * failed after the last attempt, or at once when {@code last}: on 410, which also disables the subscription, or
   * when the account is no longer granted), and, when the outcome is the endpoint's ({@code endpoints}), the
   * subscription's run of failures (which disables it once it lasted {@code webhook_disable_after}).
   */
  private Future<Void> finish(SubscriptionRow subscription, Held held, long started, Integer status,
                              long retryAfterMs, String error, boolean last, boolean endpoints) {
    return finish(subscription, held, started, status, retryAfterMs, error, last, endpoints, null, null);
  }

  /** The same, with the call to an ATS the attempt was (a connector subscription's), written with the outcome. */
  private Future<Void> finish(SubscriptionRow subscription, Held held, long started, Integer status, long retryAfterMs,
                              String error, boolean last, boolean endpoints, String callOrderId, JsonObject call) {
    // cut off by this node stopping: not an outcome of the endpoint; the attempt is made again once the lease is
    // gone (a held delivery was written down, nobody's, when the stop began)
    if (closed || held.settled) return Future.succeededFuture();
    DeliveryRow delivery = held.row;
    boolean gone = status != null && status == 410;
    long now = System.currentTimeMillis();
    JsonArray attempts = delivery.attempts().copy();
    attempts.add(new JsonObject().put("at", Timestamps.format(Instant.ofEpochMilli(started))).put("status_code", status)
      .put("duration_ms", now - started).put("error", error));
    while (attempts.size() > MAX_ATTEMPTS_LOGGED) attempts.remove(0);
    int count = delivery.attemptCount() + 1;
    String state;
    long next = now;
    if (error == null) {
      state = DeliveryRow.SUCCEEDED;
      SUCCEEDED.increment();
      DELIVERED.increment();
    } else if (last || count > schedule.size()) {
      state = DeliveryRow.FAILED;
      FAILED.increment();
      GAVE_UP.increment();
    } else {
      state = DeliveryRow.PENDING;
      long delay = schedule.get(count - 1).toMillis();
      long jittered = Math.round(delay * (0.9 + 0.2 * ThreadLocalRandom.current().nextDouble()));
      next = now + Math.max(jittered, retryAfterMs);
      RETRYING.increment();
    }
    if (endpoints) failures(subscription, error == null, gone, status, now);
    held.settled = true;
    // a row being written down is there before this outcome is written: updated, like a claimed one's
    write(new Write(new WebhookTable.Outcome(delivery.subscriptionId(), delivery.eventId(), state, count, attempts, next, now,
      held.stored || held.writingDown, delivery.createdMs(), false, callOrderId, call), held, false, false));
    return Future.succeededFuture();
  }

  /** A held delivery without its row, not to be attempted here: its row, pending and nobody's, due now. */
  private void unattempted(Held held) {
    if (held.settled || held.stored || held.writingDown) return;
    held.settled = true;
    long now = System.currentTimeMillis();
    DeliveryRow row = held.row;
    write(new Write(new WebhookTable.Outcome(row.subscriptionId(), row.eventId(), DeliveryRow.PENDING, row.attemptCount(),
      row.attempts(), now, now, false, row.createdMs(), false), held, false, false));
  }

  // ---- outcomes written back ---------------------------------------------------------------------------------

  /** A row to write: at once after a quiet spell, else with the others in the next transaction. */
  private void write(Write write) {
    unwritten.add(write);
    unwrittenSize = unwritten.size();
    scheduleOutcomes();
  }

  private void scheduleOutcomes() {
    if (writing || unwritten.isEmpty()) return;  // a write in the store schedules what waited when it ends
    long wait = lastOutcomesMs + OUTCOME_INTERVAL_MS - System.currentTimeMillis();
    if (closed || wait <= 0 || unwritten.size() >= MAX_OUTCOMES) {
      writeOutcomes();
    } else if (lingering < 0) {
      lingering = vertx.setTimer(wait, t -> {
        lingering = -1;
        writeOutcomes();
      });
    }
  }

  private void writeOutcomes() {
    if (lingering >= 0) {
      vertx.cancelTimer(lingering);
      lingering = -1;
    }
    if (writing || unwritten.isEmpty()) return;
    List<Write> batch;
    if (unwritten.size() <= MAX_OUTCOMES) {
      batch = unwritten;
      unwritten = new ArrayList<>();
    } else {
      batch = new ArrayList<>(unwritten.subList(0, MAX_OUTCOMES));
      unwritten = new ArrayList<>(unwritten.subList(MAX_OUTCOMES, unwritten.size()));
    }
    unwrittenSize = unwritten.size();
    writing = true;
    lastOutcomesMs = System.currentTimeMillis();
    List<WebhookTable.Outcome> outcomes = new ArrayList<>(batch.size());
    for (Write write : batch) outcomes.add(write.outcome());
    Future<Void> written;
    try {
      written = table.record(nodeId, lastOutcomesMs + leaseMs, outcomes);
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    written.onComplete(done -> {
      writing = false;
      recorded(batch, done);
      scheduleOutcomes();
      if (stopped != null && !writing) stopped.tryComplete();
    });
  }

  private void failures(SubscriptionRow subscription, boolean succeeded, boolean gone, Integer status, long now) {
    String id = subscription.id();
    if (gone) {
      disable(id, "the endpoint answered 410 Gone at " + Timestamps.format(Instant.ofEpochMilli(now)), now);
      return;
    }
    Long since = failingSince.containsKey(id) ? failingSince.get(id) : subscription.firstFailureMs();
    if (succeeded) {
      if (since != null) {
        failingSince.remove(id);
        table.failingSince(id, null).onFailure(e -> LOG.warning("recording a subscription's recovery failed: " + e));
      }
      return;
    }
    if (since == null) {
      failingSince.put(id, now);
      table.failingSince(id, now).onFailure(e -> LOG.warning("recording a subscription's failures failed: " + e));
    } else {
      failingSince.put(id, since);
      if (now - since >= disableAfterMs) {
        disable(id, "every delivery failed since " + Timestamps.format(Instant.ofEpochMilli(since)), now);
      }
    }
  }

  private void disable(String id, String reason, long now) {
    failingSince.remove(id);
    LOG.warning("webhook subscription " + id + " disabled: " + reason);
    table.disableSubscription(id, reason, now).onFailure(e -> LOG.warning("disabling subscription " + id + " failed: " + e));
  }

  private void recorded(List<Write> batch, AsyncResult<Void> done) {
    if (done.succeeded()) {
      for (Write write : batch) {
        Held held = write.held();
        unstored.remove(held);
        if (!write.writtenDown()) continue;
        // its row is in the store now, leased to this node: from here on like a claimed one
        held.stored = true;
        held.writingDown = false;
        Endpoint endpoint = endpoints.get(held.row.subscriptionId());
        if (write.putBack() && !closed && endpoint != null) endpoint.putBack(held);
      }
      return;
    }
    // a claimed delivery's outcome that could not be written leaves it leased: once the lease runs out it is
    // attempted again; a held one's row is tried again with the next batch (while stopping: left to the node
    // that takes this one's deliveries over)
    LOG.warning("recording " + batch.size() + " webhook attempts failed (" + (closed ? "they will be made again"
      : "the rows of deliveries held here are tried again") + "): " + done.cause());
    if (closed) return;
    List<Write> again = new ArrayList<>();
    // rows of held deliveries, and outcomes of those whose row was being written down (after it, in order)
    for (Write write : batch) if (!write.held().stored) again.add(write);
    again.addAll(unwritten);
    unwritten = again;
    unwrittenSize = unwritten.size();
  }
}
