package org.atsassessments.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.atsassessments.store.EventTable;
import org.atsassessments.store.WebhookTable;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * Removes events older than {@code event_retention_days}, with their deliveries: every
 * {@code event_retention_sweep_ms}, {@code event_retention_batch} events per short transaction until none is left
 * (never one long transaction holding locks). The deliveries of a deleted subscription go the same way, right
 * after the deletion ({@link #forget}), and at each sweep whatever a stopped node left of them. On several
 * repository nodes each sweeps; removing is idempotent.
 */
public final class Retention {

  private static final Logger LOG = Logger.getLogger(Retention.class.getName());

  private final Vertx vertx;
  private final EventTable events;
  private final WebhookTable webhooks;
  private final long keepMs;
  private final int batch;
  private long timer = -1;
  private boolean sweeping;

  public Retention(Vertx vertx, EventTable events, WebhookTable webhooks, int retentionDays, int batch) {
    this.vertx = vertx;
    this.events = events;
    this.webhooks = webhooks;
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
      if (done.failed()) LOG.warning("removing expired events failed (tried again at the next sweep): " + done.cause());
      else if (done.result() > 0) LOG.info("removed " + done.result() + " events older than the retention");
    }).transform(swept -> webhooks.deletedWithDeliveries(100)
      .compose(this::forgetAll)
      .otherwise(e -> {
        LOG.warning("removing the deliveries of deleted subscriptions failed (tried again at the next sweep): " + e);
        return null;
      })
      .transform(forgotten -> {
        sweeping = false;
        return swept.succeeded() ? Future.succeededFuture(swept.result()) : Future.failedFuture(swept.cause());
      }));
  }

  private Future<Void> forgetAll(List<String> subscriptions) {
    Future<Void> chain = Future.succeededFuture();
    for (String id : subscriptions) chain = chain.compose(v -> forget(id).mapEmpty());
    return chain;
  }

  /**
   * Removes the deliveries of a deleted subscription, {@code event_retention_batch} per short transaction;
   * answers how many went. Whatever a failure leaves is removed at the next sweep.
   */
  public Future<Integer> forget(String subscriptionId) {
    return forget(subscriptionId, 0);
  }

  private Future<Integer> forget(String subscriptionId, int removed) {
    return webhooks.removeDeliveriesOf(subscriptionId, batch)
      .compose(gone -> gone < batch ? Future.succeededFuture(removed + gone) : forget(subscriptionId, removed + gone));
  }

  private Future<Integer> next(long before, int removed) {
    return events.removeOlderThan(before, batch)
      .compose(gone -> gone < batch ? Future.succeededFuture(removed + gone) : next(before, removed + gone));
  }
}
