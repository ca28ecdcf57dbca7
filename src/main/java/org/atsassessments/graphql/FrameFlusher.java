package org.atsassessments.graphql;

import io.vertx.core.Context;
import org.atsassessments.ops.WorkCounters;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Flushes the WebSockets of one event loop together, at most once per {@code intervalMs}: the event frames of
 * live subscriptions are written to their sockets without a flush ({@link WebSocketSession#write}) and flushed
 * here. A flush is one system call per socket, and on a busy node it is the cost of a live event (a thousand
 * subscribers of an account are a thousand writes per event); written one by one, every frame is a flush. So
 * the first frame after a quiet interval is flushed as soon as the event loop finishes the task that wrote it
 * (no wait), and while events keep coming the frames of one interval go out in one flush per socket: several
 * graphql-ws messages in one TCP write, for the server's kernel and for the client's. A frame waits at most
 * {@code intervalMs} for its flush; 0 flushes after every task. Only the event loop of its {@code context}
 * touches it.
 */
final class FrameFlusher {

  private final Context context;
  private final WorkCounters counters;
  private final long intervalNs;
  private ArrayList<WebSocketSession> unflushed = new ArrayList<>();
  private ArrayList<WebSocketSession> spare = new ArrayList<>();
  private boolean scheduled;
  private long lastFlushNs;

  FrameFlusher(Context context, long intervalMs) {
    this.context = context;
    this.counters = WorkCounters.of(context.owner());
    this.intervalNs = TimeUnit.MILLISECONDS.toNanos(intervalMs);
    this.lastFlushNs = System.nanoTime() - intervalNs;
  }

  /** {@code session} has frames written and not flushed (called once until its flush). */
  void unflushed(WebSocketSession session) {
    unflushed.add(session);
    if (scheduled) return;
    scheduled = true;
    long waitNs = lastFlushNs + intervalNs - System.nanoTime();
    if (waitNs < TimeUnit.MILLISECONDS.toNanos(1)) {
      context.runOnContext(v -> flush());
    } else {
      context.owner().setTimer(TimeUnit.NANOSECONDS.toMillis(waitNs), id -> flush());
    }
  }

  private void flush() {
    scheduled = false;
    lastFlushNs = System.nanoTime();
    ArrayList<WebSocketSession> sessions = unflushed;
    unflushed = spare;
    // counted before they are written: whoever sees a frame arrive sees it counted
    long frames = 0, flushes = 0;
    for (WebSocketSession session : sessions) {
      int waiting = session.unflushedFrames();
      if (waiting > 0) {
        frames += waiting;
        flushes++;
      }
    }
    counters.liveFrames.addAndGet(frames);
    counters.liveFlushes.addAndGet(flushes);
    for (WebSocketSession session : sessions) session.flush();
    sessions.clear();
    spare = sessions;
  }
}
