package org.atsassessments.edge;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import org.atsassessments.model.LinkedAccount;

/**
 * The edge's checks for doors that are not HTTP routes (GraphQL over WebSocket, the event-bus bridges): the same
 * users file, credential cache and login lockouts as Basic authentication, the same grants as the account guard,
 * the same per-user rate limit. Each check answers its value or throws (or fails with) a {@link Refused} that
 * carries the status an HTTP route would have answered.
 */
public final class Gate {

  /** A refusal, as the HTTP status the same request on a route would get. */
  public static final class Refused extends RuntimeException {
    private final int status;
    private final long retryAfterSeconds;

    public Refused(int status, String message, long retryAfterSeconds) {
      super(message, null, false, false);
      this.status = status;
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
      return status;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  private final Vertx vertx;
  private final BasicAuthentication authentication;
  private final AccountGuard accounts;
  private final RateLimiter limiter;

  Gate(Vertx vertx, BasicAuthentication authentication, AccountGuard accounts, RateLimiter limiter) {
    this.vertx = vertx;
    this.authentication = authentication;
    this.accounts = accounts;
    this.limiter = limiter;
  }

  /**
   * The user named by a Basic {@code authorization} value: failed with {@link Refused} 401 (missing, malformed
   * or wrong; held back like a route's after repeated failures) or 429 (locked out). {@code remote} and
   * {@code headers} (for {@code X-Forwarded-For}) say which client address failures count against.
   */
  public Future<String> authenticate(String authorization, SocketAddress remote, MultiMap headers) {
    return authentication.verify(vertx, authorization, remote, headers);
  }

  /**
   * The account {@code accountId} when it is granted to the user and active. Refused 400 when no id is given,
   * 404 when it is unknown or not granted (one answer for both), 412 when disabled.
   */
  public LinkedAccount account(String user, String accountId) {
    return accounts.check(user, accountId);
  }

  /** Whether the user is still granted the account and it is active (a grant revoked, an account disabled since). */
  public boolean stillGranted(String user, String accountId) {
    LinkedAccount account = accounts.find(accountId);
    return account != null && user != null && account.grantedTo(user) && account.active();
  }

  /**
   * A credential or header carried in a JSON object (a WebSocket's connectionParams, a bridge frame's headers): the
   * string value of {@code name} in any case (clients write Authorization or authorization), or null.
   */
  public static String header(io.vertx.core.json.JsonObject headers, String name) {
    if (headers == null) return null;
    for (String key : headers.fieldNames()) {
      if (key.equalsIgnoreCase(name) && headers.getValue(key) instanceof String value) return value;
    }
    return null;
  }

  /** One request of the user counted against its rate limit; Refused 429 beyond it. */
  public void admit(String user) {
    RateLimiter.Admission admission = limiter.admit(user);
    if (!admission.admitted()) throw new Refused(429, limiter.refusal(), admission.resetSeconds());
  }
}
