package org.atsassessments.store;

import io.vertx.core.json.JsonObject;

/**
 * A record as a document table keeps it: the JSON served by GET ({@code document}), the exchange that last
 * wrote it ({@code method}, {@code url}, {@code body}, {@code response}; null when not asked for), its
 * position in the account's change order ({@code changeSeq}) and a version (an order's result count, a
 * package's revision).
 */
public record StoredDocument(String id, String accountId, String remoteId, JsonObject document, JsonObject exchange,
                             long createdMs, long updatedMs, long changeSeq, int version) {

  public StoredDocument withChange(JsonObject document, JsonObject exchange, long updatedMs, long changeSeq, int version) {
    return new StoredDocument(id, accountId, remoteId, document, exchange, createdMs, updatedMs, changeSeq, version);
  }
}
