package org.atsassessments.model;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ids this service makes for what it stores (orders, events): UUIDs version 7 (RFC 9562), the time in
 * milliseconds, then 74 random bits. Each is a key of indexes (an order's own, its results', its connector calls';
 * an event's own, each delivery's): ids in time order are appended at the end of those B-trees, where random ones
 * (version 4) landed on a different page each, and every commit wrote each such page out again (the embedded
 * store writes whole pages). Unique as version 4 is for practical purposes: 74 random bits per millisecond. The id
 * tells when it was made, which the record says anyway ({@code created_at}).
 */
public final class TimeOrderedIds {

  private TimeOrderedIds() {
  }

  public static UUID at(long nowMs) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (nowMs << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low);
  }

  public static String next() {
    return at(System.currentTimeMillis()).toString();
  }
}
