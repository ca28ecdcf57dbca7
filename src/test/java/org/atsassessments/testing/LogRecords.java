package org.atsassessments.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What one logger logs while a test runs, so the test can wait for a line the node writes when something
 * happened (a file reloaded or kept) instead of sleeping and asserting that nothing changed.
 */
public final class LogRecords extends Handler implements AutoCloseable {

  private final Logger logger;  // java.util.logging holds loggers weakly
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private LogRecords(Logger logger) {
    this.logger = logger;
  }

  public static LogRecords of(String loggerName) {
    LogRecords records = new LogRecords(Logger.getLogger(loggerName));
    records.logger.addHandler(records);
    return records;
  }

  /** How many records so far have a message that matches. */
  public long count(Predicate<String> message) {
    return records.stream().filter(record -> message.test(record.getMessage())).count();
  }

  /** Forgets what was logged so far. */
  public void clear() {
    records.clear();
  }

  /** Waits (at most {@code seconds}) for a record whose message matches, and answers it. */
  public LogRecord await(String what, Predicate<String> message, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      for (LogRecord record : records) if (message.test(record.getMessage())) return record;
      if (System.nanoTime() > deadline) {
        return fail(logger.getName() + " did not log " + what + " within " + seconds + " s; it logged: "
          + records.stream().map(LogRecord::getMessage).toList());
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    logger.removeHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {
  }
}
