package org.atsassessments.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.atsassessments.store.EventTable;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * Removes events older than {@code event_retention_days}, with their deliveries: every
 * {@code event_retention_sweep_ms}, {@code event_retention_batch} events per short transaction until none is left
 * (never one long transaction holding locks). On several repository nodes each sweeps; removing is idempotent.
 */
public final class Retention {

  private static final Logger LOG = Logger.getLogger(Retention.class.getName());

  private final Vertx vertx;
  private final EventTable events;
  private final long keepMs;
  private final int batch;
  private long timer = -1;
  private boolean sweeping;

  public Retention(Vertx vertx, EventTable events, int retentionDays, int batch) {
    this.vertx = vertx;
    this.events = events;
    this.keepMs = Duration.ofDays(retentionDays).toMillis();
    this.batch = batch;
  }

  public void start(long everyMs) {
    timer = vertx.setPeriodic(everyMs, t -> sweep());
    sweep();
  }

  public void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  /** One sweep: answers how many events went. */
  public Future<Integer> sweep() {
    if (sweeping) return Future.succeededFuture(0);
    sweeping = true;
    long before = System.currentTimeMillis() - keepMs;
    return next(before, 0).onComplete(done -> {
      sweeping = false;
      if (done.failed()) LOG.warning("removing expired events failed (tried again at the next sweep): " + done.cause());
      else if (done.result() > 0) LOG.info("removed " + done.result() + " events older than the retention");
    });
  }

  private Future<Integer> next(long before, int removed) {
    return events.removeOlderThan(before, batch)
      .compose(gone -> gone < batch ? Future.succeededFuture(removed + gone) : next(before, removed + gone));
  }
}
