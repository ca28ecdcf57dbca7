package org.atsassessments.edge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;

/**
 * Credentials that passed the htpasswd check recently, so the next request with the same ones costs a
 * SHA-256 instead of an apr1 verification (~0.3 ms of event-loop time). One per node, shared by its event
 * loops (Caffeine, the one cache implementation): a credential verified through one loop is trusted on all of
 * them, so a user already working is not refused on another loop when their address is locked out by someone
 * else's failures. Bounded and short-lived. Keys are digests of the users file's version, the user and the
 * password: no password is kept, and a changed users file verifies anew (entries of the old one are never
 * found again and age out).
 */
final class VerifiedCredentials implements Shareable {

  private final Cache<String, Boolean> verified;
  private final boolean enabled;

  /** {@code ticker}: the clock entries age by (tests give their own). */
  VerifiedCredentials(long ttlMs, int maxEntries, Ticker ticker) {
    this.enabled = ttlMs > 0;
    this.verified = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(Duration.ofMillis(Math.max(1, ttlMs)))
      .ticker(ticker).executor(Runnable::run).build();  // maintenance on the calling thread: no pool of Caffeine's own
  }

  /** This node's cache (the first HTTP verticle creates it; the others share it). */
  static VerifiedCredentials of(Vertx vertx, long ttlMs, int maxEntries) {
    LocalMap<String, VerifiedCredentials> shared = vertx.sharedData().getLocalMap("ats.verified-credentials");
    VerifiedCredentials created = new VerifiedCredentials(ttlMs, maxEntries, Ticker.systemTicker());
    VerifiedCredentials existing = shared.putIfAbsent("cache", created);
    return existing != null ? existing : created;
  }

  boolean contains(String key) {
    return enabled && verified.getIfPresent(key) != null;
  }

  void add(String key) {
    if (enabled) verified.put(key, Boolean.TRUE);
  }

  /** How many are kept, once pending evictions are done (for tests). */
  long size() {
    verified.cleanUp();
    return verified.estimatedSize();
  }

  /** The key of a user and password checked against one version of the users file (not thread-safe: one digest per verticle). */
  static String key(MessageDigest sha256, String usersVersion, String user, String password) {
    sha256.reset();
    sha256.update(usersVersion.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
    sha256.update(user.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
    sha256.update(password.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(sha256.digest());
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
