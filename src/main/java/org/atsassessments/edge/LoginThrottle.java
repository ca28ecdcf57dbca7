package org.atsassessments.edge;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.shareddata.Shareable;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins, counted per client address and per user name: after {@code login_slowdown_after} failures
 * each further 401 is answered later (250 ms more per failure, at most 3 s, on a timer: nothing waits on an
 * event loop), and after {@code login_lockout_after} failures that address or name is refused with 429 for
 * {@code login_lockout_seconds} without its password being checked. Counts are forgotten that long after the
 * last failure; a success does not reset another key's count. Per node (a cluster multiplies the attempts an
 * attacker gets by the number of http nodes, not more). At most {@value #MAX_TRACKED} addresses and names are
 * tracked: past that, those not locked out are forgotten first.
 *
 * <p>Behind load balancers every connection comes from one of them: with {@code trusted_proxy_hops} = n, the
 * client's address is the n-th entry of {@code X-Forwarded-For} counted from the right, the one the outermost
 * trusted proxy wrote (entries further left are the client's own word).
 */
final class LoginThrottle {

  private static final long STEP_MS = 250;
  private static final long MAX_DELAY_MS = 3_000;
  static final int MAX_TRACKED = 100_000;

  private record Failures(int count, long lastMs) {
  }

  /** The failure counts of one Vert.x instance, shared by its HTTP verticles. */
  static final class Counts implements Shareable {
    final Map<String, Failures> byKey = new ConcurrentHashMap<>();
  }

  private final Counts counts;
  private final int slowdownAfter;
  private final int lockoutAfter;
  private final long lockoutMs;
  private final int proxyHops;

  LoginThrottle(Vertx vertx, int slowdownAfter, int lockoutAfter, int lockoutSeconds, int proxyHops) {
    var shared = vertx.sharedData().<String, Counts>getLocalMap("ats.login-failures");
    Counts created = new Counts();
    Counts existing = shared.putIfAbsent("counts", created);
    this.counts = existing != null ? existing : created;
    this.slowdownAfter = slowdownAfter;
    this.lockoutAfter = lockoutAfter;
    this.lockoutMs = lockoutSeconds * 1000L;
    this.proxyHops = proxyHops;
    vertx.setPeriodic(60_000, tick -> forgetOld());
  }

  /** The address failures are counted for: the connection's, or the one the trusted proxies forwarded. */
  String clientAddress(HttpServerRequest request) {
    return clientAddress(request.remoteAddress(), request.headers());
  }

  /** The same for a connection that is not an HTTP request (a WebSocket, a bridge socket). */
  String clientAddress(io.vertx.core.net.SocketAddress remote, io.vertx.core.MultiMap headers) {
    String connection = remote == null ? null : remote.hostAddress();
    if (proxyHops <= 0 || headers == null) return connection;
    String forwarded = String.join(",", headers.getAll("X-Forwarded-For"));
    if (forwarded.isBlank()) return connection;
    String[] hops = forwarded.split(",");
    String client = hops[Math.max(0, hops.length - proxyHops)].trim();
    return client.isEmpty() ? connection : client;
  }

  /** Seconds this address or user name stays refused, or 0. */
  long lockedSeconds(String address, String user) {
    long now = System.currentTimeMillis();
    long left = Math.max(left(key("address", address), now), left(key("user", user), now));
    return left <= 0 ? 0 : (left + 999) / 1000;
  }

  private long left(String key, long now) {
    if (lockoutAfter <= 0 || key == null) return 0;
    Failures failures = counts.byKey.get(key);
    if (failures == null || failures.count() < lockoutAfter) return 0;
    return failures.lastMs() + lockoutMs - now;
  }

  /** Records a failure; answers how long to hold its 401 back. */
  long failed(String address, String user) {
    long now = System.currentTimeMillis();
    int worst = Math.max(record(key("address", address), now), record(key("user", user), now));
    if (slowdownAfter <= 0 || worst <= slowdownAfter) return 0;
    return Math.min(MAX_DELAY_MS, (worst - slowdownAfter) * STEP_MS);
  }

  private int record(String key, long now) {
    if (key == null) return 0;
    if (counts.byKey.size() >= MAX_TRACKED && !counts.byKey.containsKey(key)) makeRoom(now);
    return counts.byKey.compute(key, (k, old) -> old == null || now - old.lastMs() > lockoutMs
      ? new Failures(1, now) : new Failures(old.count() + 1, now)).count();
  }

  private void forgetOld() {
    long now = System.currentTimeMillis();
    counts.byKey.values().removeIf(failures -> now - failures.lastMs() > lockoutMs);
  }

  /** Too many keys (many addresses or invented names): forget the expired, then those not locked out. */
  private void makeRoom(long now) {
    counts.byKey.values().removeIf(failures -> now - failures.lastMs() > lockoutMs);
    if (counts.byKey.size() >= MAX_TRACKED) {
      counts.byKey.values().removeIf(failures -> lockoutAfter <= 0 || failures.count() < lockoutAfter);
    }
  }

  int tracked() {
    return counts.byKey.size();
  }

  private static String key(String kind, String value) {
    return value == null ? null : kind + ':' + value;
  }
}
