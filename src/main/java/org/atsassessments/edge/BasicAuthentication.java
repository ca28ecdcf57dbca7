package org.atsassessments.edge;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
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
    verify(rc.vertx(), checking, key, credentials, throttle.clientAddress(rc.request())).onComplete(done -> {
      if (done.succeeded()) {
        rc.put(USER, credentials.user());
        rc.next();
      } else if (done.cause() instanceof Gate.Refused refused && refused.status() == 429) {
        StackOneErrors.respond(rc, 429, refused.getMessage(), refused.retryAfterSeconds());
      } else {
        rc.fail(new HttpException(401, done.cause().getMessage()));
      }
    });
  }

  /**
   * The same check for a caller that is not an HTTP route (a WebSocket's connection_init, a bridge frame): the
   * user name, or a {@link Gate.Refused} of 401 (missing, malformed or wrong, after the same hold-back) or 429
   * (locked out, with the seconds left).
   */
  Future<String> verify(Vertx vertx, String authorization, SocketAddress remote, MultiMap headers) {
    Basic credentials = parse(authorization);
    if (credentials == null) return Future.failedFuture(new Gate.Refused(401, "Missing or malformed Basic credentials", 0));
    Htpasswd.Users checking = users;
    // one digest per call: callers here run on any event loop, the handler's digest belongs to its own
    String key = VerifiedCredentials.key(VerifiedCredentials.digest(), checking.version(), credentials.user(), credentials.password());
    if (verified.contains(key)) {
      CACHE_HITS.increment();
      return Future.succeededFuture(credentials.user());
    }
    return verify(vertx, checking, key, credentials, throttle.clientAddress(remote, headers)).map(credentials.user());
  }

  private Future<Void> verify(Vertx vertx, Htpasswd.Users checking, String key, Basic credentials, String address) {
    long locked = throttle.lockedSeconds(address, credentials.user());
    if (locked > 0) {
      LOCKED_OUT.increment();
      return Future.failedFuture(new Gate.Refused(429, "Too many failed logins; try again later", locked));
    }
    counters.credentialVerifications.incrementAndGet();
    CACHE_MISSES.increment();
    Promise<Void> verdict = Promise.promise();
    checking.provider().authenticate(new UsernamePasswordCredentials(credentials.user(), credentials.password()))
      .onComplete(result -> {
        if (result.succeeded()) {
          verified.add(key);  // under the version that verified it: a newer users file looks for another key
          verdict.complete();
        } else {
          long delay = throttle.failed(address, credentials.user());
          Gate.Refused refusal = new Gate.Refused(401, "Invalid credentials", 0);
          if (delay == 0) {
            verdict.fail(refusal);
          } else {
            vertx.setTimer(delay, fired -> verdict.fail(refusal));
          }
        }
      });
    return verdict.future();
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
