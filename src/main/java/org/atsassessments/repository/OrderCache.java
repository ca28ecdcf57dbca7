package org.atsassessments.repository;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.FieldSelection;
import org.atsassessments.store.StoredDocument;

import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Recently read orders (document and version, not the exchange), by account and id or remote id: a hot
 * order is read from memory, not from the store. Bounded (Caffeine, the one cache implementation; its
 * maintenance runs on the calling event loop). Every committed write to
 * an order is published on {@value #CHANGED} and drops the order from the cache of every repository node,
 * this one included. A read that started before an invalidation arrived is not cached, so a stale read
 * cannot outlive the invalidation that raced it. One per repository verticle, used on its event loop.
 * An order enters the cache on its second read while the first is still remembered (a slot per key hash,
 * four per entry): reads spread over millions of orders, each read once in a while, would otherwise put an
 * entry in the cache on every read and fill the old generation with entries never read again (measured with a
 * million orders under -Xmx512m and our earlier LRU map: half the throughput, most of it lost to GC; Caffeine's
 * own admission decides at eviction, after the entry was made, so this filter stays in front of it).
 */
final class OrderCache {

  static final String CHANGED = "ats.assessments.repository.changed";

  private final Vertx vertx;
  /** Null when the cache is off (size 0). */
  private final Cache<String, Cached> entries;
  private final MessageConsumer<JsonObject> consumer;
  private final int[] seen;
  private long invalidations;

  OrderCache(Vertx vertx, int capacity) {
    this.vertx = vertx;
    this.entries = capacity <= 0 ? null : Caffeine.newBuilder().maximumSize(capacity).executor(Runnable::run).build();
    this.consumer = vertx.eventBus().consumer(CHANGED, message -> drop(message.body()));
    this.seen = new int[Integer.highestOneBit(Math.max(16, capacity * 4))];
  }

  Future<Void> ready() {
    return consumer.completion();
  }

  /**
   * An order in memory: the stored record, and the whole GET body {@code {"data": order}} already encoded,
   * so the most common read (no fields, no raw) costs neither a tree copy nor an encoding.
   */
  record Cached(StoredDocument order, Buffer wholeBody) {
  }

  /** The order from memory, else from {@code load} (cached when found and nothing changed meanwhile). */
  Future<Cached> get(String accountId, String id, Supplier<Future<StoredDocument>> load) {
    String key = key(accountId, id);
    Cached cached = entries == null ? null : entries.getIfPresent(key);
    if (cached != null) return Future.succeededFuture(cached);
    long before = invalidations;
    return load.get().map(order -> {
      if (order == null) return null;
      Cached loaded = new Cached(order, wholeBody(order));
      if (entries != null && before == invalidations && readBefore(key)) entries.put(key, loaded);
      return loaded;
    });
  }

  /**
   * {@code {"data": order}}: around the stored text as it is when the order comes from the store (no parse, no
   * encoding: a store read used to spend as much on those as on the query), else encoded.
   */
  static Buffer wholeBody(StoredDocument order) {
    String text = order.documentText();
    if (text == null) return Envelopes.single(order.document(), null, FieldSelection.ALL, false).toBuffer();
    return Buffer.buffer(text.length() + 10).appendString("{\"data\":").appendString(asJacksonWritesBytes(text))
      .appendString("}");
  }

  private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

  /**
   * The stored text is Jackson's encoding to a String, which keeps characters outside the BMP as they are;
   * encoding to bytes (what every other answer is) writes them, and lone surrogates, as backslash-u escapes
   * (four upper-case hex digits). Surrogates only occur inside JSON strings, where an escape is the same
   * character.
   */
  private static String asJacksonWritesBytes(String text) {
    int i = 0;
    while (i < text.length() && !Character.isSurrogate(text.charAt(i))) i++;
    if (i == text.length()) return text;
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        out.append("\\u").append(UPPER_HEX.toHexDigits(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Whether this key was read recently (remembers it otherwise): admission to the cache. */
  private boolean readBefore(String key) {
    int hash = key.hashCode();
    int slot = (hash ^ (hash >>> 16)) & (seen.length - 1);
    if (seen[slot] == hash) return true;
    seen[slot] = hash;
    return false;
  }

  /** Tells every repository node that this order changed. */
  void changed(StoredDocument order) {
    vertx.eventBus().publish(CHANGED, new JsonObject().put("account_id", order.accountId()).put("id", order.id())
      .put("remote_id", order.remoteId()));
  }

  private void drop(JsonObject change) {
    invalidations++;
    if (entries == null) return;
    String account = change.getString("account_id");
    entries.invalidate(key(account, change.getString("id")));
    if (change.getString("remote_id") != null) entries.invalidate(key(account, change.getString("remote_id")));
  }

  private static String key(String accountId, String id) {
    return accountId + '\u0000' + id;
  }
}
