package org.atsassessments.events;

import io.vertx.core.json.JsonObject;
import org.atsassessments.model.Timestamps;
import org.atsassessments.repository.api.EventNames;
import org.atsassessments.store.EventRow;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The events a committed change announces, with StackOne's names where it has them, and the one body every
 * webhook and the feed serve: StackOne's unified event fields ({@code event_data} is the record as it is after
 * the change). {@code sent_at} is added when the body is sent.
 */
public final class EventTypes {

  /** An order arrived. */
  public static final String ORDER_CREATED = EventNames.ORDER_CREATED;
  /** An order changed: a result was reported for it. */
  public static final String ORDER_UPDATED = EventNames.ORDER_UPDATED;
  /** Reserved: an order an ATS cancels (connectors). */
  public static final String ORDER_DELETED = EventNames.ORDER_DELETED;
  /** A package was published or replaced (ours: StackOne has no package event). */
  public static final String PACKAGE_UPDATED = EventNames.PACKAGE_UPDATED;

  public static final List<String> ALL = EventNames.ALL;

  public static final String ORDER = EventNames.ORDER;
  public static final String RESULT = EventNames.RESULT;
  public static final String PACKAGE = EventNames.PACKAGE;
  /** Orders posted to this service; a connector's orders name their ATS. */
  public static final String NATIVE = "native";

  private EventTypes() {
  }

  /** The event of one change, its body encoded once. */
  public static EventRow event(String type, String accountId, String provider, String recordType, String recordId,
                               String recordRemoteId, JsonObject record, long changeSeq, long nowMs) {
    String id = timeOrderedId(nowMs).toString();
    JsonObject body = new JsonObject()
      .put("id", id)
      .put("event", type)
      .put("account_id", accountId)
      .put("provider", provider)
      .put("record_type", recordType)
      .put("record_id", recordId)
      .put("record_remote_id", recordRemoteId)
      .put("event_date", Timestamps.format(Instant.ofEpochMilli(nowMs)))
      .put("event_data", record);
    return new EventRow(id, accountId, type, changeSeq, nowMs, body.encode(), body, null);
  }

  /**
   * A UUID version 7 (RFC 9562): the time in milliseconds, then 74 random bits. Events are keyed by their id in
   * two indexes (the event's own, and each delivery's); ids in time order are appended at the end of those
   * B-trees, where random ones (version 4) landed on a different page each, and every commit wrote each such
   * page out again (the embedded store writes whole pages). Unique as version 4 is for practical purposes: 74
   * random bits per millisecond.
   */
  static UUID timeOrderedId(long nowMs) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (nowMs << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low);
  }

  /** The stored body with {@code sent_at} added: the bytes a webhook or a feed page sends. */
  public static String withSentAt(String body, long sentAtMs) {
    return body.substring(0, body.length() - 1) + ",\"sent_at\":\"" + Timestamps.format(Instant.ofEpochMilli(sentAtMs)) + "\"}";
  }
}
