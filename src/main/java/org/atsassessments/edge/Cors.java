package org.atsassessments.edge;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CORS for frontends on other origins ({@code cors_allowed_origins}), by vertx-web's {@link CorsHandler}, in front
 * of the API's guards so a browser's preflight is answered before authentication. Only a request whose
 * {@code Origin} is in the list reaches the CORS handler: any other (another site, or this service's own pages,
 * which send their origin on a POST too) passes on without CORS headers, where vertx-web's handler would answer
 * 403, so an origin not listed learns nothing and same-origin callers are unaffected. Credentials are allowed, so
 * the allowed origin is echoed, never {@code *}.
 */
public final class Cors {

  static final Set<String> ALLOWED_HEADERS = Set.of("Authorization", "x-account-id", "If-Match", "Content-Type", "X-Request-Id");
  static final Set<String> EXPOSED_HEADERS = Set.of("ETag", "Retry-After", "X-Request-Id", RateLimiter.LIMIT,
    RateLimiter.REMAINING, RateLimiter.RESET);

  private Cors() {
  }

  /** The handler for {@code origins}; null when the list is empty (CORS off). */
  public static Handler<RoutingContext> of(List<String> origins) {
    if (origins.isEmpty()) return null;
    Set<String> allowed = allowed(origins);
    CorsHandler cors = CorsHandler.create().addOrigins(List.copyOf(allowed)).allowCredentials(true)
      .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE))
      .allowedHeaders(ALLOWED_HEADERS).exposedHeaders(EXPOSED_HEADERS).maxAgeSeconds(600);
    return rc -> {
      rc.response().headers().add(HttpHeaders.VARY, "Origin");
      String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
      // browsers send the origin in lower case, as the list is kept
      if (origin != null && allowed.contains(origin)) {
        cors.handle(rc);
      } else {
        rc.next();
      }
    };
  }

  /**
   * For a door that answers CORS by itself (SockJS echoes any origin, with credentials): its CORS headers are
   * taken off the answers to an origin not in {@code origins}, as {@link #of} gives none to those.
   */
  public static Handler<RoutingContext> othersRefused(List<String> origins) {
    Set<String> allowed = allowed(origins);
    return rc -> {
      String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
      if (origin != null && !allowed.contains(origin)) {
        rc.addHeadersEndHandler(ended -> rc.response().headers().remove(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)
          .remove(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS));
      }
      rc.next();
    };
  }

  /** The origins as browsers send them (lower case). */
  private static Set<String> allowed(List<String> origins) {
    return origins.stream().map(origin -> origin.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }
}
