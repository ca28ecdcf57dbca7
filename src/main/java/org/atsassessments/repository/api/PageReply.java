package org.atsassessments.repository.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A page of a list in StackOne's envelope {@code {"next", "data": [...], "raw"?: [...]}}, and, when the page
 * asked for them, {@code "cursors"}: each item's own cursor, in the order of {@code data} (GraphQL edges).
 */
public final class PageReply {

  private final JsonObject envelope;

  public PageReply(JsonObject envelope) {
    this.envelope = envelope;
  }

  /** The cursor of the next page; null on the last one. */
  public String next() {
    return envelope.getString("next");
  }

  public JsonArray data() {
    return envelope.getJsonArray("data");
  }

  /** One exchange per item, when raw was asked; else null. */
  public JsonArray raw() {
    return envelope.getJsonArray("raw");
  }

  /** Each item's cursor, when asked; else null. */
  public JsonArray cursors() {
    return envelope.getJsonArray("cursors");
  }

  /** The envelope as JSON bytes: REST's body. */
  public Buffer bytes() {
    return envelope.toBuffer();
  }

  /** What travels on the bus. */
  public JsonObject envelope() {
    return envelope;
  }
}
