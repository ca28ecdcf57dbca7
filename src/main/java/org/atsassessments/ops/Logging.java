package org.atsassessments.ops;

import io.vertx.core.json.JsonObject;
import org.atsassessments.config.ServiceConfig;

import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Log level and format from the configuration ({@code log_level}, {@code log_format}), applied to the root
 * logger at start-up. {@code text}: one readable line per record. {@code json}: one JSON object per line
 * ({@code time, level, logger, message}, the access log's fields, {@code error} for a throwable's class and
 * message).
 */
public final class Logging {

  /** The logger of the line per request. */
  public static final String ACCESS = "ats.access";
  // java.util.logging holds loggers weakly: without this reference its configuration could be collected
  private static final Logger ACCESS_LOGGER = Logger.getLogger(ACCESS);

  private Logging() {
  }

  public static void configure(Level level, ServiceConfig.LogFormat format) {
    Logger root = Logger.getLogger("");
    root.setLevel(level);
    boolean json = format == ServiceConfig.LogFormat.JSON;
    for (Handler handler : root.getHandlers()) {
      handler.setLevel(level);
      if (json) handler.setFormatter(new JsonFormatter());
    }
    // the access log (a line per request) is written off the event loop, in batches
    Logger access = ACCESS_LOGGER;
    access.setUseParentHandlers(false);
    AsyncLogHandler handler = new AsyncLogHandler(json ? new JsonFormatter() : new LineFormatter(), System.err);
    handler.setLevel(level);
    access.addHandler(handler);
  }

  /** {@code time LEVEL logger - message}, like the other lines, without String.format's cost per request. */
  public static final class LineFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      return Instant.ofEpochMilli(record.getMillis()) + " " + record.getLevel().getName() + " " + record.getLoggerName() + " - "
        + record.getMessage() + System.lineSeparator();
    }
  }

  /** One JSON object per record. */
  public static final class JsonFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      JsonObject line = new JsonObject().put("time", Instant.ofEpochMilli(record.getMillis()).toString())
        .put("level", record.getLevel().getName()).put("logger", record.getLoggerName()).put("message", formatMessage(record));
      Object[] parameters = record.getParameters();
      if (parameters != null && parameters.length == 1 && parameters[0] instanceof JsonObject fields) line.mergeIn(fields);
      if (record.getThrown() != null) {
        line.put("error", record.getThrown().getClass().getName() + ": " + record.getThrown().getMessage());
      }
      return line.encode() + System.lineSeparator();
    }
  }
}
