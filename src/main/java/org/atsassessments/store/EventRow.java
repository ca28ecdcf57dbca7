package org.atsassessments.store;

import io.vertx.core.json.JsonObject;

/**
 * One event of the outbox: its id (a UUID, the {@code webhook-id}), type, account, the change that made it (its
 * number orders the feed), when, and its body as webhooks and the feed serve it, encoded, without {@code sent_at},
 * and, when made in this process, the tree it was encoded from and what the change knew that the body does not
 * say ({@code context}, never stored: for an order of a connector account, the exchanges the calls to its ATS
 * are built from, so that a delivery attempted from memory reads nothing).
 */
public record EventRow(String id, String accountId, String type, long changeSeq, long createdMs, String body, JsonObject json,
                       JsonObject context) {

  /** As read from the store: the body only. */
  public EventRow(String id, String accountId, String type, long changeSeq, long createdMs, String body) {
    this(id, accountId, type, changeSeq, createdMs, body, null, null);
  }

  /** The same event with what the change knew beside it. */
  public EventRow withContext(JsonObject context) {
    return new EventRow(id, accountId, type, changeSeq, createdMs, body, json, context);
  }

  /** The body as a JSON tree (the one it was encoded from, when made in this process; nobody changes it). */
  public JsonObject tree() {
    return json != null ? json : new JsonObject(body);
  }
}
