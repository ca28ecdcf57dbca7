package org.atsassessments.http;

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
    RequestId.bind(id);
    rc.response().putHeader(RequestId.HEADER, id);
    if (LOG.isLoggable(Level.INFO)) {
      long started = System.nanoTime();
      rc.addBodyEndHandler(ended -> log(rc, id, started));
    }
    rc.next();
  }

  private static void log(RoutingContext rc, String id, long started) {
    String route = RouteTemplates.of(rc.request().path());
    int status = rc.response().getStatusCode();
    double ms = Math.round((System.nanoTime() - started) / 100_000.0) / 10.0;
    String user = rc.get(BasicAuthentication.USER);
    LinkedAccount account = rc.get(AccountGuard.ACCOUNT);
    String facade = route.startsWith("/unified/") ? "rest" : route.startsWith("/graphql") ? "graphql" : "other";
    JsonObject fields = new JsonObject().put("method", rc.request().method().name()).put("route", route)
      .put("status", status).put("duration_ms", ms).put("user", user).put("account", account == null ? null : account.id())
      .put("request_id", id).put("facade", facade);
    LogRecord record = new LogRecord(Level.INFO, rc.request().method().name() + " " + route + " " + status + " " + ms + " ms"
      + " user=" + (user == null ? "-" : user) + " account=" + (account == null ? "-" : account.id())
      + " request_id=" + id + " facade=" + facade);
    record.setLoggerName(LOG.getName());
    record.setParameters(new Object[] {fields});
    LOG.log(record);
  }
}
