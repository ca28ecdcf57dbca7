package org.atsassessments.edge;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.ops.Logging;
import org.atsassessments.ops.RequestId;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * First handler of every request: gives it a request id (echoed in {@code X-Request-Id} on every answer,
 * errors included) and, when the answer has been sent, logs one line on the logger {@code ats.access}:
 * method, route template (not the raw path: ids stay out of the log), status, duration, user name,
 * account id (only once the account check has accepted it; the raw header is never logged), request id
 * and facade. Credentials are never logged. At a level above INFO the line costs nothing.
 */
final class AccessLog {

  static final Logger LOG = Logger.getLogger(Logging.ACCESS);

  private AccessLog() {
  }

  static void handle(RoutingContext rc) {
    String id = RequestId.accept(rc.request().getHeader(RequestId.HEADER));
    rc.put(Requests.REQUEST_ID, id);
    rc.response().putHeader(RequestId.HEADER, id);
    if (LOG.isLoggable(Level.INFO)) {
      long started = System.nanoTime();
      rc.addBodyEndHandler(ended -> log(rc, id, started));
    }
    rc.next();
  }

  private static void log(RoutingContext rc, String id, long started) {
    LinkedAccount account = Requests.account(rc);
    LOG.log(new Line(rc.request().method().name(), rc.request().path(), rc.response().getStatusCode(),
      System.nanoTime() - started, rc.get(BasicAuthentication.USER), account == null ? null : account.id(), id));
  }

  /**
   * The record of one request: the event loop only collects the values; the message and the fields (route
   * template, rounding, JSON) are built when a handler reads them, which the access log's own handler does
   * on its writer thread. Measured with async-profiler on cached GETs, building them on the event loop was
   * about 6% of the service's CPU.
   */
  static final class Line extends LogRecord {
    private final String method;
    private final String path;
    private final int status;
    private final long nanos;
    private final String user;
    private final String account;
    private final String requestId;
    private String message;
    private JsonObject fields;

    Line(String method, String path, int status, long nanos, String user, String account, String requestId) {
      super(Level.INFO, null);
      setLoggerName(Logging.ACCESS);
      this.method = method;
      this.path = path;
      this.status = status;
      this.nanos = nanos;
      this.user = user;
      this.account = account;
      this.requestId = requestId;
    }

    private void build() {
      if (fields != null) return;
      String route = RouteTemplates.of(path);
      double ms = Math.round(nanos / 100_000.0) / 10.0;
      String facade = route.startsWith("/unified/") ? "rest" : route.startsWith("/graphql") ? "graphql" : "other";
      message = method + " " + route + " " + status + " " + ms + " ms user=" + (user == null ? "-" : user)
        + " account=" + (account == null ? "-" : account) + " request_id=" + requestId + " facade=" + facade;
      fields = new JsonObject().put("method", method).put("route", route).put("status", status).put("duration_ms", ms)
        .put("user", user).put("account", account).put("request_id", requestId).put("facade", facade);
    }

    @Override
    public synchronized String getMessage() {
      build();
      return message;
    }

    @Override
    public synchronized Object[] getParameters() {
      build();
      return new Object[] {fields};
    }
  }
}
