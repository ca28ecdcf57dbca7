package org.atsassessments.events;

import io.vertx.core.json.JsonObject;
import org.atsassessments.model.TimeOrderedIds;
import org.atsassessments.model.Timestamps;
import org.atsassessments.repository.api.EventNames;
import org.atsassessments.store.EventRow;

import java.time.Instant;
import java.util.List;

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
    String id = TimeOrderedIds.at(nowMs).toString();
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

  /** The stored body with {@code sent_at} added: the bytes a webhook or a feed page sends. */
  public static String withSentAt(String body, long sentAtMs) {
    return body.substring(0, body.length() - 1) + ",\"sent_at\":\"" + Timestamps.format(Instant.ofEpochMilli(sentAtMs)) + "\"}";
  }
}
