package org.atsassessments.ops;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;

import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Reloads a configuration file when it changes: every {@code intervalMs} its modification time and size are
 * read (asynchronously); on a change {@code reload} runs, and a reload that fails (a file being written, a
 * broken one) keeps what was loaded before and is tried again on the next change. Requests in flight keep
 * the version they started with; the next ones get the new one.
 */
public final class FileWatch {

  private static final Logger LOG = Logger.getLogger(FileWatch.class.getName());

  private final Vertx vertx;
  private final String path;
  private final Supplier<Future<?>> reload;
  private String seen;

  private FileWatch(Vertx vertx, String path, Supplier<Future<?>> reload) {
    this.vertx = vertx;
    this.path = path;
    this.reload = reload;
  }

  /** Starts watching {@code path} from its current state; the periodic timer ends with the verticle. */
  public static Future<Void> start(Vertx vertx, String path, long intervalMs, Supplier<Future<?>> reload) {
    FileWatch watch = new FileWatch(vertx, path, reload);
    return watch.stamp().map(stamp -> {
      watch.seen = stamp;
      if (intervalMs > 0) vertx.setPeriodic(intervalMs, tick -> watch.check());
      return null;
    });
  }

  private Future<String> stamp() {
    return vertx.fileSystem().props(path).map(FileWatch::stamp).otherwise((String) null);
  }

  private static String stamp(FileProps props) {
    return props.lastModifiedTime() + ":" + props.size();
  }

  private void check() {
    stamp().onSuccess(stamp -> {
      if (stamp == null || stamp.equals(seen)) return;
      seen = stamp;
      reload.get()
        .onSuccess(done -> LOG.info("reloaded " + path))
        .onFailure(e -> LOG.warning("kept the previous " + path + ": " + e.getMessage()));
    });
  }
}
