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
 * Makes the webhook attempts of one repository node. Deliveries reach it two ways: claimed in the transaction of
 * the change that made their event (attempted right after the commit, no query in between), and claimed from the
 * store by the poller every {@code webhook_poll_ms} (retries that fell due, deliveries whose node crashed, those
 * this node had no room for). Each delivery it holds is leased to it in the store, the leases renewed while held;
 * every attempt's outcome is written back (batched: one transaction for whatever finished meanwhile, at most one
 * every {@value #OUTCOME_INTERVAL_MS} ms) and the lease given back. An attempt whose outcome was never written (a crash) is made again: at least once, same
 * {@code webhook-id}.
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

  private static final Counter SUCCEEDED = Metrics.counter("ats.webhook.attempts", "outcome", "succeeded");
  private static final Counter RETRYING = Metrics.counter("ats.webhook.attempts", "outcome", "retrying");
  private static final Counter FAILED = Metrics.counter("ats.webhook.attempts", "outcome", "failed");
  private static final Counter DELIVERED = Metrics.counter("ats.webhook.deliveries", "outcome", "succeeded");
  private static final Counter GAVE_UP = Metrics.counter("ats.webhook.deliveries", "outcome", "failed");
  private static final Timer LATENCY = Metrics.timer("ats.webhook.attempt.duration");
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
  /** This deliverer's own event loop. */
  private final Context context;
  /** Changed on {@link #context} only; read from the repository's event loop by {@link #hasRoom}. */
  private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final Map<String, Signatures.Signer> signers = new HashMap<>();
  /** Since when each subscription's attempts have all failed, as this node knows it (absent: not failing). */
  private final Map<String, Long> failingSince = new HashMap<>();
  /** Outcomes not yet written; one transaction of them in the store at a time. */
  private List<WebhookTable.Outcome> unwritten = new ArrayList<>();
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
  }

  /** Starts the poller and the lease renewal (their timers fire on this deliverer's event loop). */
  public void start(long pollMs) {
    context.runOnContext(v -> {
      timers.add(vertx.setPeriodic(pollMs, t -> poll()));
      timers.add(vertx.setPeriodic(Math.max(1, leaseMs / 3), t -> renew()));
      poll();
    });
  }

  /**
   * Stops attempting: nothing queued is started any more; the outcomes of the attempts that finished are written
   * now (not at the next interval); then this node's leases are given back so that another node (or this one,
   * restarted) takes its deliveries at once. An attempt still in flight records nothing (it is made again: at
   * least once).
   */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> stopHere().onComplete(done));
    return done.future();
  }

  private Future<Void> stopHere() {
    closed = true;
    timers.forEach(vertx::cancelTimer);
    stopped = Promise.promise();
    writeOutcomes();
    if (!writing) stopped.tryComplete();
    return stopped.future()
      .compose(written -> table.releaseOwned(nodeId))
      .onFailure(e -> LOG.warning("giving back webhook delivery leases failed (they run out by themselves): " + e))
      .<Void>mapEmpty().otherwiseEmpty()
      .eventually(() -> {
        client.close();
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
    if (closed || held >= MAX_HELD) return false;
    Endpoint endpoint = endpoints.get(subscriptionId);
    return endpoint == null || endpoint.size() < MAX_PER_SUBSCRIPTION;
  }

  /** A delivery claimed for this node: queued for its subscription, attempted as soon as there is a free slot. */
  public void take(DeliveryRow delivery) {
    if (Vertx.currentContext() == context) {
      held++;
      endpoints.computeIfAbsent(delivery.subscriptionId(), Endpoint::new).add(delivery);
    } else {
      context.runOnContext(v -> take(delivery));
    }
  }

  /** Deliveries claimed for this node together (a committed transaction's): one hop to this deliverer's event loop. */
  public void take(List<DeliveryRow> deliveries) {
    if (deliveries.isEmpty()) return;
    context.runOnContext(v -> deliveries.forEach(this::take));
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
    if (closed || held == 0) return;
    table.renew(nodeId, System.currentTimeMillis() + leaseMs)
      .onFailure(e -> LOG.warning("renewing webhook delivery leases failed: " + e));
  }

  // ---- one subscription's queue ------------------------------------------------------------------------------

  private final class Endpoint {
    final String subscriptionId;
    final ArrayDeque<DeliveryRow> queue = new ArrayDeque<>();
    int inFlight;
    /** queue.size() + inFlight, readable from the repository's event loop. */
    volatile int size;

    Endpoint(String subscriptionId) {
      this.subscriptionId = subscriptionId;
    }

    int size() {
      return size;
    }

    void add(DeliveryRow delivery) {
      queue.add(delivery);
      size++;
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
        DeliveryRow next = queue.poll();
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

  private Future<Void> attempt(DeliveryRow delivery) {
    SubscriptionRow known = subscription(delivery.subscriptionId());
    // one this node has not seen yet (made on another node a moment ago): read the subscriptions again first
    if (known == null) return store.refreshSubscriptions().compose(read -> attempt(delivery, subscription(delivery.subscriptionId())));
    return attempt(delivery, known);
  }

  private Future<Void> attempt(DeliveryRow delivery, SubscriptionRow subscription) {
    if (subscription == null) return Future.succeededFuture();  // deleted: its deliveries went with it
    if (!subscription.active()) return table.release(nodeId, delivery.subscriptionId(), delivery.eventId());
    long started = System.currentTimeMillis();
    if (!grants.covers(subscription, delivery.accountId())) {
      // not the endpoint's failure: the delivery ends here (redeliverable once the grant is back), and the
      // subscription's run of failures is left alone
      return finish(subscription, delivery, started, null, 0,
        "not sent: account " + delivery.accountId() + " is no longer granted to this subscription's owner", true, false);
    }
    Targets.Target target;
    try {
      target = Targets.parse(subscription.url());
    } catch (Targets.Refused refused) {
      return finish(subscription, delivery, started, null, 0, "not sent: " + refused.getMessage(), false, true);
    }
    return targets.address(target)
      .compose(address -> send(subscription, delivery, target, address, started))
      .recover(refused -> finish(subscription, delivery, started, null, 0, "not sent: " + refused.getMessage(), false, true));
  }

  private Future<Void> send(SubscriptionRow subscription, DeliveryRow delivery, Targets.Target target, InetAddress address,
                            long started) {
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
          return finish(subscription, delivery, started, null, 0, describe(done.cause()), false, true);
        }
        HttpResponse<Buffer> response = done.result();
        int status = response.statusCode();
        long retryAfterMs = status == 429 || status == 503 ? retryAfterMs(response.getHeader("retry-after"), sentAt) : 0;
        String error = status >= 200 && status < 300 ? null : "HTTP " + status;
        return finish(subscription, delivery, started, status, retryAfterMs, error, status == 410, true);
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
  private Future<Void> finish(SubscriptionRow subscription, DeliveryRow delivery, long started, Integer status,
                              long retryAfterMs, String error, boolean last, boolean endpoints) {
    // cut off by this node stopping: not an outcome of the endpoint; the attempt is made again once the lease is gone
    if (closed) return Future.succeededFuture();
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
    outcome(new WebhookTable.Outcome(delivery.subscriptionId(), delivery.eventId(), state, count, attempts, next, now));
    return Future.succeededFuture();
  }

  // ---- outcomes written back ---------------------------------------------------------------------------------

  /** An outcome to write: at once after a quiet spell, else with the others in the next transaction. */
  private void outcome(WebhookTable.Outcome outcome) {
    unwritten.add(outcome);
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
    List<WebhookTable.Outcome> batch;
    if (unwritten.size() <= MAX_OUTCOMES) {
      batch = unwritten;
      unwritten = new ArrayList<>();
    } else {
      batch = new ArrayList<>(unwritten.subList(0, MAX_OUTCOMES));
      unwritten = new ArrayList<>(unwritten.subList(MAX_OUTCOMES, unwritten.size()));
    }
    writing = true;
    lastOutcomesMs = System.currentTimeMillis();
    Future<Void> written;
    try {
      written = table.record(nodeId, batch);
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

  private static void recorded(List<WebhookTable.Outcome> batch, AsyncResult<Void> done) {
    // an outcome that could not be written leaves its delivery leased: once the lease runs out it is attempted again
    if (done.failed()) LOG.warning("recording " + batch.size() + " webhook attempts failed (they will be made again): " + done.cause());
  }
}
