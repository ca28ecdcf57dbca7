package org.atsassessments.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the node logs at SEVERE: an unexpected failure (the cause of a 500 or an INTERNAL_SERVER_ERROR)
 * is logged there even when the client's answer hides it, so a test can insist on none.
 */
public final class SevereLog extends Handler {

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  public static SevereLog install() {
    SevereLog log = new SevereLog();
    log.setLevel(Level.SEVERE);
    Logger.getLogger("").addHandler(log);
    return log;
  }

  public void uninstall() {
    Logger.getLogger("").removeHandler(this);
  }

  /** Fails with the first SEVERE record since the last call, and forgets them all. */
  public void assertNone() {
    if (records.isEmpty()) return;
    LogRecord first = records.get(0);
    records.clear();
    throw new AssertionError("the node logged SEVERE " + first.getLoggerName() + ": " + first.getMessage(), first.getThrown());
  }

  @Override
  public void publish(LogRecord record) {
    if (record.getLevel().intValue() >= Level.SEVERE.intValue()) records.add(record);
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
  }
}
