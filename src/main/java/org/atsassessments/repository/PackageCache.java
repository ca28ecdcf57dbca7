package org.atsassessments.repository;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.atsassessments.store.StoredDocument;

import java.util.function.Supplier;

/**
 * Recently read packages (document and version, not the exchange), by account and the id they were asked by:
 * every connector order reads its package (for its name), and a catalogue changes rarely. Any committed package
 * write is published on {@value #CHANGED} and empties the cache of every repository node, this one included
 * (a write may change a package's remote id, which another key may have found it by); a read that started
 * before an invalidation arrived is not cached; an entry lives a minute at most. Bounded (Caffeine, maintenance on the calling event loop); one
 * per repository verticle, used on its event loop. Size 0 turns it off, with the order cache.
 */
final class PackageCache {

  static final String CHANGED = "ats.assessments.repository.packages.changed";
  /** Packages kept at most (a catalogue is small; the order cache's size when that is smaller). */
  static final int MAX_SIZE = 10_000;

  private final Vertx vertx;
  /** Null when the cache is off. */
  private final Cache<String, StoredDocument> entries;
  private final MessageConsumer<JsonObject> consumer;
  private long invalidations;

  PackageCache(Vertx vertx, int capacity) {
    this.vertx = vertx;
    int size = Math.min(capacity, MAX_SIZE);
    this.entries = size <= 0 ? null : Caffeine.newBuilder().maximumSize(size)
      // a bound on staleness should an invalidation never come (a write whose commit outlived its caller's wait)
      .expireAfterWrite(java.time.Duration.ofMinutes(1)).executor(Runnable::run).build();
    this.consumer = vertx.eventBus().consumer(CHANGED, message -> {
      invalidations++;
      if (entries != null) entries.invalidateAll();
    });
  }

  Future<Void> ready() {
    return consumer.completion();
  }

  /** The package from memory, else from {@code load} (cached when found and nothing changed meanwhile). */
  Future<StoredDocument> get(String accountId, String id, Supplier<Future<StoredDocument>> load) {
    String key = accountId + '\u0000' + id;
    StoredDocument cached = entries == null ? null : entries.getIfPresent(key);
    if (cached != null) return Future.succeededFuture(cached);
    long before = invalidations;
    return load.get().map(found -> {
      if (found != null && entries != null && before == invalidations) entries.put(key, found);
      return found;
    });
  }

  /** Tells every repository node that a package of {@code accountId} changed. */
  void changed(String accountId) {
    vertx.eventBus().publish(CHANGED, new JsonObject().put("account_id", accountId));
  }
}
