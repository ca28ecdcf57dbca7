package org.atsassessments.store;

import io.vertx.core.json.JsonObject;

/**
 * A record as a document table keeps it: the JSON served by GET ({@link #document}), the exchange that last
 * wrote it ({@code method}, {@code url}, {@code body}, {@code response}; null when not asked for), its
 * position in the account's change order ({@code changeSeq}) and a version (an order's result count, a
 * package's revision). A record read from the store keeps its document as the stored text and parses it
 * only when asked: the commonest read (a whole order) is answered from the text as it is.
 */
public record StoredDocument(String id, String accountId, String remoteId, Body body, JsonObject exchange,
                             long createdMs, long updatedMs, long changeSeq, int version) {

  /** A record built in memory: its document as it is. */
  public StoredDocument(String id, String accountId, String remoteId, JsonObject document, JsonObject exchange,
                        long createdMs, long updatedMs, long changeSeq, int version) {
    this(id, accountId, remoteId, new Body(document, null), exchange, createdMs, updatedMs, changeSeq, version);
  }

  /** As read from the store: the document is the stored text, parsed on first use. */
  public static StoredDocument read(String id, String accountId, String remoteId, String documentText, JsonObject exchange,
                                    long createdMs, long updatedMs, long changeSeq, int version) {
    return new StoredDocument(id, accountId, remoteId, new Body(null, documentText), exchange, createdMs, updatedMs,
      changeSeq, version);
  }

  public StoredDocument withChange(JsonObject document, JsonObject exchange, long updatedMs, long changeSeq, int version) {
    return new StoredDocument(id, accountId, remoteId, document, exchange, createdMs, updatedMs, changeSeq, version);
  }

  /** The document (parsed from the stored text on first use; used by one event loop at a time). */
  public JsonObject document() {
    return body.parsed();
  }

  /**
   * The document as the store holds it, when this record was read from the store and its document has not
   * been parsed and possibly changed since; else null. Every document is stored as the encoding of a
   * projection ({@code FieldSelection#apply}), so this text is the same bytes a whole-document answer would
   * encode ({@code StoredTextTest}).
   */
  public String documentText() {
    return body.parsed == null ? body.text : null;
  }

  /** The document: parsed, or the stored text until first asked for. */
  public static final class Body {
    private JsonObject parsed;
    private final String text;

    private Body(JsonObject parsed, String text) {
      this.parsed = parsed;
      this.text = text;
    }

    private JsonObject parsed() {
      if (parsed == null) parsed = new JsonObject(text);
      return parsed;
    }
  }
}
