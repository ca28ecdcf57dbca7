package org.atsassessments.edge;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.micrometer.core.instrument.Counter;
import org.atsassessments.ops.WorkCounters;
import org.atsassessments.ops.Metrics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * {@code Authorization: Basic ...} checked against the htpasswd file. The password is always checked.
 * StackOne's API-key style works when the user's htpasswd password is empty: {@code base64(key:)} and
 * {@code base64(key)} without a colon both mean "key, empty password". Failures are 401 with
 * {@code WWW-Authenticate: Basic}.
 */
final class BasicAuthentication implements Handler<RoutingContext> {

  static final String USER = "ats.user";
  private static final Counter CACHE_HITS = Metrics.counter("ats.auth.cache", "result", "hit");
  private static final Counter CACHE_MISSES = Metrics.counter("ats.auth.cache", "result", "miss");
  private static final Counter LOCKED_OUT = Metrics.counter("ats.refusals", "reason", "login_lockout");

  private volatile Htpasswd.Users users;
  private final VerifiedCredentials verified;
  private final MessageDigest sha256 = VerifiedCredentials.digest();
  private final WorkCounters counters;
  private final LoginThrottle throttle;

  BasicAuthentication(Htpasswd.Users users, VerifiedCredentials verified, WorkCounters counters, LoginThrottle throttle) {
    this.users = users;
    this.verified = verified;
    this.counters = counters;
    this.throttle = throttle;
  }

  record Basic(String user, String password) {
  }

  /** The users file changed: verify against the new one (what the old one verified is never found again). */
  void replace(Htpasswd.Users reloaded) {
    this.users = reloaded;
  }

  @Override
  public void handle(RoutingContext rc) {
    Basic credentials = parse(rc.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (credentials == null) {
      rc.fail(new HttpException(401, "Missing or malformed Basic credentials"));
      return;
    }
    Htpasswd.Users checking = users;
    String key = VerifiedCredentials.key(sha256, checking.version(), credentials.user(), credentials.password());
    if (verified.contains(key)) {
      CACHE_HITS.increment();
      rc.put(USER, credentials.user());
      rc.next();
      return;
    }
    String address = throttle.clientAddress(rc.request());
    long locked = throttle.lockedSeconds(address, credentials.user());
    if (locked > 0) {
      LOCKED_OUT.increment();
      StackOneErrors.respond(rc, 429, "Too many failed logins; try again later", locked);
      return;
    }
    counters.credentialVerifications.incrementAndGet();
    CACHE_MISSES.increment();
    checking.provider().authenticate(new UsernamePasswordCredentials(credentials.user(), credentials.password()))
      .onComplete(result -> {
        if (result.succeeded()) {
          verified.add(key);  // under the version that verified it: a newer users file looks for another key
          rc.put(USER, credentials.user());
          rc.next();
        } else {
          long delay = throttle.failed(address, credentials.user());
          HttpException refusal = new HttpException(401, "Invalid credentials");
          if (delay == 0) {
            rc.fail(refusal);
          } else {
            rc.vertx().setTimer(delay, fired -> rc.fail(refusal));
          }
        }
      });
  }

  /** null when the header is missing, not Basic, not base64, or names no user. */
  static Basic parse(String header) {
    if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    String user = colon < 0 ? decoded : decoded.substring(0, colon);
    String password = colon < 0 ? "" : decoded.substring(colon + 1);
    return user.isEmpty() ? null : new Basic(user, password);
  }
}
