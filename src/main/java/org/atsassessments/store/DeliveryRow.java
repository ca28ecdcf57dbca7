package org.atsassessments.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One (subscription, event) to deliver: its state ({@value #PENDING}, {@value #SUCCEEDED}, {@value #FAILED}), the
 * attempts made so far (each {@code {at, status_code, duration_ms, error}}), when the next is due, the event's
 * type and account, and, when read for an attempt, its body.
 */
public record DeliveryRow(long seq, String subscriptionId, String eventId, String state, int attemptCount,
                          JsonArray attempts, long nextAttemptMs, long createdMs, long updatedMs,
                          String eventType, String accountId, String eventBody, JsonObject context) {

  /** As read from the store: no context (see {@link EventRow#context}). */
  public DeliveryRow(long seq, String subscriptionId, String eventId, String state, int attemptCount, JsonArray attempts,
                     long nextAttemptMs, long createdMs, long updatedMs, String eventType, String accountId, String eventBody) {
    this(seq, subscriptionId, eventId, state, attemptCount, attempts, nextAttemptMs, createdMs, updatedMs, eventType, accountId,
      eventBody, null);
  }

  public static final String PENDING = "pending";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
}
