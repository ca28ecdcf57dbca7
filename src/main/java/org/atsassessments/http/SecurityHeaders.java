package org.atsassessments.http;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers for an API that serves JSON to programs, set on every answer before any route runs (errors
 * included): no MIME sniffing, no framing, no referrer, and for the API itself no caching and a
 * Content-Security-Policy that allows nothing. The pages for people ({@code /graphiql}, {@code /docs}) get
 * the first three only; they need their scripts. Vert.x sends no {@code Server} header.
 */
final class SecurityHeaders {

  private SecurityHeaders() {
  }

  static void handle(RoutingContext rc) {
    MultiMap headers = rc.response().headers();
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    String path = rc.request().path();  // raw: a path that does not decode is a 400 further on, not here
    if (!path.startsWith("/graphiql") && !path.startsWith("/docs")) {
      headers.set("Cache-Control", "no-store");
      headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
    rc.next();
  }
}
