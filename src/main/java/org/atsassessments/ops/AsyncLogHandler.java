package org.atsassessments.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * A log handler for the one-line-per-request access log: the event loop only queues the record (no lock, no
 * wake-up, no formatting); one daemon thread formats and writes what is queued every 50 ms through a
 * buffer. java.util.logging's console handler writes and flushes every record under a lock, which halved the
 * throughput of a GET (measured: ~30 against ~59 µs of CPU per request). When the queue is full (the output
 * cannot keep up) lines are dropped and counted, never waited for; the count is written when there is room
 * again.
 */
final class AsyncLogHandler extends Handler {

  private static final int CAPACITY = 65_536;
  private static final long PAUSE_MS = 50;

  // no lock and no wake-up per line: the writer drains the queue every PAUSE_MS
  private final Queue<LogRecord> lines = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final Writer out;

  AsyncLogHandler(Formatter formatter, OutputStream stream) {
    setFormatter(formatter);
    this.out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
    Thread writer = new Thread(this::write, "ats-access-log");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) return;
    if (queued.incrementAndGet() > CAPACITY) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    lines.add(record);
  }

  private void write() {
    while (true) {
      try {
        Thread.sleep(PAUSE_MS);
        boolean wrote = false;
        for (LogRecord record = lines.poll(); record != null; record = lines.poll()) {
          queued.decrementAndGet();
          out.write(getFormatter().format(record));
          wrote = true;
        }
        long lost = dropped.getAndSet(0);
        if (lost > 0) out.write("access log: " + lost + " lines dropped (output too slow)" + System.lineSeparator());
        if (wrote || lost > 0) out.flush();
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        // the output is gone, or a record would not format: keep draining so the queue does not fill
      }
    }
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
  }
}
