package org.atsassessments.edge;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * A request's whole lifetime, from its headers to its answer, is at most {@code request_timeout_ms}:
 * receiving the body, authentication and the repository's reply included. Past it, 408 with
 * {@code Retry-After} through the failure handler. When the body has not all arrived (a client that stalls
 * or trickles it) the HTTP/1 connection is closed after the 408, so it cannot hold the socket. One timer per
 * request, cancelled when the answer ends. A platform handler, as vertx-web's TimeoutHandler: it runs before
 * the body is read.
 */
final class RequestDeadline implements PlatformHandler {

  private final long timeoutMs;

  RequestDeadline(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handle(RoutingContext rc) {
    if (timeoutMs <= 0) {
      rc.next();
      return;
    }
    long timer = rc.vertx().setTimer(timeoutMs, fired -> expire(rc));
    rc.addEndHandler(ended -> rc.vertx().cancelTimer(timer));
    rc.next();
  }

  private static void expire(RoutingContext rc) {
    if (rc.response().ended()) return;
    HttpServerRequest request = rc.request();
    if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
      rc.addEndHandler(answered -> request.connection().close());
    }
    rc.fail(408);
  }
}
