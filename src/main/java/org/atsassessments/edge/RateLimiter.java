package org.atsassessments.edge;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * StackOne's rate limit: at most {@code rate_limit_per_minute} requests per credential (user name) in each
 * clock minute; beyond it, 429 with {@code Retry-After} = the seconds left in the minute. Every answer tells
 * the client where it stands, as Kombo does and as the IETF RateLimit header fields draft describes:
 * {@code RateLimit-Limit} (the requests of a minute), {@code RateLimit-Remaining} (what this credential has
 * left in it) and {@code RateLimit-Reset} (seconds until the minute ends). An answer given before the
 * credential is known (a 401, a 413, a login lockout) counts against no credential: it says so with the whole
 * limit remaining ({@link #uncounted}). With no limit configured there are no such headers. Counting is local
 * and costs no I/O per request. In a cluster the nodes add their counts to one counter per user on the
 * cluster manager every {@value #SYNC_MS} ms and learn the others' counts from it, so the limit is
 * cluster-wide; a burst spread over several nodes may pass it by what they admit within one sync period.
 */
final class RateLimiter implements Handler<RoutingContext> {

  static final long SYNC_MS = 200;
  private static final Logger LOG = Logger.getLogger(RateLimiter.class.getName());
  private static final io.micrometer.core.instrument.Counter REFUSED =
    org.atsassessments.ops.Metrics.counter("ats.refusals", "reason", "rate_limit");

  /** One user's counts in one clock minute, on this node. */
  private static final class Window {
    final long minute;
    final AtomicLong admitted = new AtomicLong();  // by this node
    final AtomicLong unsynced = new AtomicLong();  // admitted here, not yet added to the cluster counter
    final AtomicLong synced = new AtomicLong();    // admitted here and added to it
    volatile long others;                          // admitted by other nodes, as last seen
    volatile long start = -1;                      // the cluster counter when the minute began, once known
    final AtomicBoolean syncing = new AtomicBoolean();  // a sync of this window is under way

    Window(long minute) {
      this.minute = minute;
    }
  }

  /** The windows of one Vert.x instance, shared by its HTTP verticles. */
  static final class Windows implements Shareable {
    final Map<String, Window> byUser = new ConcurrentHashMap<>();
    final AtomicBoolean syncing = new AtomicBoolean();
    final AtomicLong refused = new AtomicLong();
  }

  private final Vertx vertx;
  private final int perMinute;
  /** RateLimit-Limit, the same on every answer. */
  private final String limit;
  private final Windows windows;

  RateLimiter(Vertx vertx, int perMinute) {
    this.vertx = vertx;
    this.perMinute = perMinute;
    this.limit = String.valueOf(perMinute);
    this.windows = windows(vertx);
    if (perMinute > 0 && vertx.isClustered() && windows.syncing.compareAndSet(false, true)) {
      vertx.setPeriodic(SYNC_MS, tick -> sync());
    }
  }

  static Windows windows(Vertx vertx) {
    var shared = vertx.sharedData().<String, Windows>getLocalMap("ats.rate-limits");
    Windows created = new Windows();
    Windows existing = shared.putIfAbsent("windows", created);
    return existing != null ? existing : created;
  }

  static final String LIMIT = "RateLimit-Limit";
  static final String REMAINING = "RateLimit-Remaining";
  static final String RESET = "RateLimit-Reset";

  @Override
  public void handle(RoutingContext rc) {
    if (perMinute <= 0) {
      rc.next();
      return;
    }
    Admission admission = admit(rc.get(BasicAuthentication.USER));
    headers(rc, admission.remaining(), admission.resetSeconds());
    if (!admission.admitted()) {
      StackOneErrors.respond(rc, 429, refusal(), admission.resetSeconds());
      return;
    }
    rc.next();
  }

  /** One request of {@code user} counted, or refused: what it has left in the minute, and the seconds to its end. */
  record Admission(boolean admitted, long remaining, long resetSeconds) {
  }

  /** Counts one request of the user (a bridge frame counts as one), as the handler does; no limit admits all. */
  Admission admit(String user) {
    if (perMinute <= 0) return new Admission(true, Long.MAX_VALUE, 60);
    long now = System.currentTimeMillis();
    long minute = now / 60_000;
    long reset = secondsLeft(now);
    Window window = windows.byUser.compute(user, (key, old) -> old != null && old.minute == minute ? old : new Window(minute));
    long used = window.admitted.get() + window.others;
    if (used >= perMinute) {
      windows.refused.incrementAndGet();
      REFUSED.increment();
      return new Admission(false, 0, reset);
    }
    window.admitted.incrementAndGet();
    window.unsynced.incrementAndGet();
    return new Admission(true, perMinute - used - 1, reset);
  }

  /** The refusal's message, as the 429 of an HTTP route says it. */
  String refusal() {
    return "Rate limit of " + perMinute + " requests per minute exceeded";
  }

  /**
   * Runs before the body is read and the credential checked (a platform handler, as the request deadline): an
   * answer given before the credential is known counts against none.
   */
  PlatformHandler uncounted() {
    return rc -> {
      if (perMinute > 0) headers(rc, perMinute, secondsLeft(System.currentTimeMillis()));
      rc.next();
    };
  }

  private void headers(RoutingContext rc, long remaining, long reset) {
    rc.response().headers().set(LIMIT, limit).set(REMAINING, String.valueOf(remaining))
      .set(RESET, String.valueOf(reset));
  }

  /** Seconds until the clock minute ends, at least 1. */
  private static long secondsLeft(long now) {
    return Math.max(1, ((now / 60_000 + 1) * 60_000 - now + 999) / 1000);
  }

  /**
   * Adds this node's new counts to the cluster's counter of each user, and reads everyone's. A minute's
   * count is the counter minus its value when the minute began, recorded once for all nodes (first writer
   * wins) in a cluster map with a time to live, and remembered here once known. Per user active on this
   * node and tick: one counter operation (an add, or a read when there is nothing to add), plus one map
   * operation in the tick that learns the minute's start.
   */
  private void sync() {
    long minute = System.currentTimeMillis() / 60_000;
    windows.byUser.entrySet().removeIf(entry -> entry.getValue().minute < minute - 1);
    windows.byUser.forEach((user, window) -> {
      // one sync per window at a time: a slow cluster must not have two ticks propose the minute's start
      if (window.minute != minute || !window.syncing.compareAndSet(false, true)) return;
      long delta = window.unsynced.getAndSet(0);
      long synced = window.synced.addAndGet(delta);
      Future<Long> total = vertx.sharedData().getCounter("ats.rate." + user)
        .compose(counter -> delta == 0 ? counter.get() : counter.addAndGet(delta));
      // only counts the counter did not take are added again next time: re-adding counts it took, when a
      // later step failed, counted them twice (the one way a node could refuse below the limit)
      total.onFailure(e -> {
        window.synced.addAndGet(-delta);
        window.unsynced.addAndGet(delta);
      });
      total.compose(sum -> minuteStart(user, window, sum - delta).map(start -> {
          window.others = Math.max(0, sum - start - synced);
          return null;
        }))
        .onComplete(done -> {
          window.syncing.set(false);
          if (done.failed()) LOG.fine("rate-limit sync failed: " + done.cause());
        });
    });
  }

  /** The counter's value when the window's minute began: the first value any node proposed for it. */
  private Future<Long> minuteStart(String user, Window window, long proposed) {
    if (window.start >= 0) return Future.succeededFuture(window.start);
    Future<AsyncMap<String, Long>> starts = vertx.sharedData().getAsyncMap("ats.rate.minute-starts");
    return starts.compose(map -> map.putIfAbsent(user + "@" + window.minute, proposed, 120_000))
      .map(existing -> {
        window.start = existing == null ? proposed : existing;
        return window.start;
      });
  }
}
