package org.atsassessments.store;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The one batching mechanism of the store: work that arrives while {@code maxInFlight} batches are in the
 * database waits, and whatever waited goes as the next batch (at most {@code maxBatch} items). A lone item goes
 * at once. Writes go one transaction at a time (one commit for many writes is what makes durable writes cheap);
 * lookups by id two statements at a time (one {@code IN (...)} for many GETs that miss the cache). Used on one
 * event loop (the repository's); completions come back to it.
 *
 * @param <T> an item of work (its caller's promise inside)
 * @param <R> what the database answers for a batch
 */
public final class StatementBatcher<T, R> {

  private final int maxInFlight;
  private final int maxBatch;
  private final Function<List<T>, Future<R>> send;
  private final BiConsumer<List<T>, AsyncResult<R>> settle;
  private final ArrayDeque<T> waiting = new ArrayDeque<>();
  private int inFlight;
  /** True while {@link #sendNext} adds the listener of the batch it sent. */
  private boolean sending;

  /** {@code send} sends one batch to the database; {@code settle} answers each of its items from the outcome. */
  public StatementBatcher(int maxInFlight, int maxBatch, Function<List<T>, Future<R>> send, BiConsumer<List<T>, AsyncResult<R>> settle) {
    this.maxInFlight = maxInFlight;
    this.maxBatch = maxBatch;
    this.send = send;
    this.settle = settle;
  }

  public void add(T item) {
    waiting.add(item);
    if (inFlight < maxInFlight) sendNext();
  }

  private void sendNext() {
    if (waiting.isEmpty()) return;
    List<T> batch = new ArrayList<>(Math.min(waiting.size(), maxBatch));
    while (!waiting.isEmpty() && batch.size() < maxBatch) batch.add(waiting.poll());
    inFlight++;
    Context context = Vertx.currentContext();
    Future<R> sent;
    try {
      sent = send.apply(batch);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sending = true;
    try {
      sent.onComplete(done -> {
        // a batch that completes before its listener is added would be finished right here, inside the task that
        // sent it, and let the items still to come in that task go one by one: finish it in a task of its own
        if (sending && context != null) {
          context.runOnContext(v -> finished(batch, done));
        } else {
          finished(batch, done);
        }
      });
    } finally {
      sending = false;
    }
  }

  private void finished(List<T> batch, AsyncResult<R> outcome) {
    inFlight--;
    settle.accept(batch, outcome);
    sendNext();
  }
}
