package org.atsassessments.edge;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Headers for an API that serves JSON to programs, set on every answer before any route runs (errors
 * included, and requests the HTTP decoder refused): no MIME sniffing, no framing, no referrer, and for the
 * API itself no caching and a Content-Security-Policy that allows nothing. The pages for people
 * ({@code /graphiql}, {@code /docs}) get the first three only and set their own policy
 * ({@link #pagePolicy}); they need their scripts. Vert.x sends no {@code Server} header.
 */
public final class SecurityHeaders {

  static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";
  static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

  private SecurityHeaders() {
  }

  static void handle(RoutingContext rc) {
    String path = rc.request().path();  // raw: a path that does not decode is a 400 further on, not here
    apply(rc.response().headers(), !path.startsWith("/graphiql") && !path.startsWith("/docs"));
    rc.next();
  }

  /** The headers of every answer; {@code api}: also no caching and a policy that allows nothing. */
  static void apply(MultiMap headers, boolean api) {
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    if (api) {
      headers.set("Cache-Control", "no-store");
      headers.set(CONTENT_SECURITY_POLICY, API_POLICY);
    }
  }

  /**
   * The policy of a page served from this origin: its scripts, styles, fonts and images from here (inline
   * styles and data: fonts and images allowed, as single-page apps use them), requests to here only, no
   * framing, and of inline scripts only those given (by their SHA-256), so injected markup runs nothing.
   */
  public static String pagePolicy(String... inlineScripts) {
    StringBuilder scripts = new StringBuilder("'self'");
    for (String script : inlineScripts) scripts.append(" 'sha256-").append(sha256(script)).append('\'');
    return "default-src 'none'; script-src " + scripts + "; style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
      + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  }

  private static String sha256(String text) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
