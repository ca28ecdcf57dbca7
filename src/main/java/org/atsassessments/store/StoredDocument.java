package org.atsassessments.store;

import io.vertx.core.json.JsonObject;

/**
 * A record as a document table keeps it: the JSON served by GET ({@code document}), the exchange that last
 * wrote it ({@code method}, {@code url}, {@code body}, {@code response}; null when not asked for), its
 * position in the account's change order ({@code changeSeq}) and a version (an order's result count, a
 * package's revision). A record read from the store keeps its document as the stored text and parses it
 * only when asked: the commonest read (a whole order) is answered from the text as it is.
 */
public final class StoredDocument {

  private final String id;
  private final String accountId;
  private final String remoteId;
  private final String documentText;
  private JsonObject document;
  private final JsonObject exchange;
  private final long createdMs;
  private final long updatedMs;
  private final long changeSeq;
  private final int version;

  public StoredDocument(String id, String accountId, String remoteId, JsonObject document, JsonObject exchange,
                        long createdMs, long updatedMs, long changeSeq, int version) {
    this(id, accountId, remoteId, document, null, exchange, createdMs, updatedMs, changeSeq, version);
  }

  private StoredDocument(String id, String accountId, String remoteId, JsonObject document, String documentText,
                         JsonObject exchange, long createdMs, long updatedMs, long changeSeq, int version) {
    this.id = id;
    this.accountId = accountId;
    this.remoteId = remoteId;
    this.document = document;
    this.documentText = documentText;
    this.exchange = exchange;
    this.createdMs = createdMs;
    this.updatedMs = updatedMs;
    this.changeSeq = changeSeq;
    this.version = version;
  }

  /** As read from the store: the document is the stored text, parsed on first use. */
  public static StoredDocument read(String id, String accountId, String remoteId, String documentText, JsonObject exchange,
                             long createdMs, long updatedMs, long changeSeq, int version) {
    return new StoredDocument(id, accountId, remoteId, null, documentText, exchange, createdMs, updatedMs, changeSeq, version);
  }

  public StoredDocument withChange(JsonObject document, JsonObject exchange, long updatedMs, long changeSeq, int version) {
    return new StoredDocument(id, accountId, remoteId, document, exchange, createdMs, updatedMs, changeSeq, version);
  }

  public String id() {
    return id;
  }

  public String accountId() {
    return accountId;
  }

  public String remoteId() {
    return remoteId;
  }

  /** The document (parsed from the stored text on first use; used by one event loop at a time). */
  public JsonObject document() {
    if (document == null) document = new JsonObject(documentText);
    return document;
  }

  /**
   * The document as the store holds it, when this record was read from the store and its document has not
   * been parsed and possibly changed since; else null. Every document is stored as the encoding of a
   * projection ({@code FieldSelection#apply}), so this text is the same bytes a whole-document answer would
   * encode ({@code StoredTextTest}).
   */
  public String documentText() {
    return document == null ? documentText : null;
  }

  public JsonObject exchange() {
    return exchange;
  }

  public long createdMs() {
    return createdMs;
  }

  public long updatedMs() {
    return updatedMs;
  }

  public long changeSeq() {
    return changeSeq;
  }

  public int version() {
    return version;
  }

  @Override
  public String toString() {
    return "StoredDocument[id=" + id + ", accountId=" + accountId + ", remoteId=" + remoteId + ", version=" + version
      + ", changeSeq=" + changeSeq + "]";
  }
}
