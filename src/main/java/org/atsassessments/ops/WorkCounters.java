package org.atsassessments.ops;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of the expensive steps of a request on one Vert.x instance: password verifications, store
 * queries, event-bus round trips to the repository. Tests assert on them (work, not time), so a change that
 * adds a query or a verification to the hot path fails a test rather than a benchmark.
 */
public final class WorkCounters implements Shareable {

  public final AtomicLong credentialVerifications = new AtomicLong();
  public final AtomicLong storeQueries = new AtomicLong();
  public final AtomicLong repositoryRequests = new AtomicLong();
  /** Bus consumers of live subscriptions registered now (one per account and HTTP verticle with any). */
  public final AtomicLong liveEventConsumers = new AtomicLong();
  /** Events rendered by a compiled subscription selection (once per event and shape, whatever the subscribers). */
  public final AtomicLong liveEventRenders = new AtomicLong();
  /** Event frames of compiled subscriptions encoded for a socket's next flush ({@code FrameFlusher}). */
  public final AtomicLong liveFrames = new AtomicLong();
  /** Flushes of those frames: one per socket and flush interval with any. */
  public final AtomicLong liveFlushes = new AtomicLong();
  /** Event frames that waited for a full socket to take frames again. */
  public final AtomicLong liveFramesWaited = new AtomicLong();
  /** Live GraphQL subscriptions now. */
  public final AtomicLong liveSubscriptions = new AtomicLong();

  public static WorkCounters of(Vertx vertx) {
    LocalMap<String, WorkCounters> shared = vertx.sharedData().getLocalMap("ats.work");
    WorkCounters created = new WorkCounters();
    WorkCounters existing = shared.putIfAbsent("counters", created);
    return existing != null ? existing : created;
  }
}
