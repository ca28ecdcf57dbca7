package org.atsassessments.repository.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One record as REST serves it, {@code {"data": record, "raw"?: [exchange, ...]}}, and its ETag when it has a
 * version. The body is held as the repository made it: a whole order read from memory or from the store is its
 * encoded bytes (REST writes them as they are: encoded once), a projection is a JSON tree (GraphQL walks it:
 * never encoded and decoded on one node). Read the body once, in the form the facade needs.
 */
public final class RecordReply {

  private final Object content;
  private final String etag;

  private RecordReply(Object content, String etag) {
    this.content = content;
    this.etag = etag;
  }

  public static RecordReply of(JsonObject body, String etag) {
    return new RecordReply(body, etag);
  }

  /** A body already encoded as JSON bytes. */
  public static RecordReply encoded(Buffer body, String etag) {
    return new RecordReply(body, etag);
  }

  /** The body as JSON bytes (encoded here when it is a tree). */
  public Buffer bytes() {
    return content instanceof Buffer bytes ? bytes : ((JsonObject) content).toBuffer();
  }

  /** The body as a JSON tree (decoded here when it is bytes). */
  public JsonObject body() {
    return content instanceof Buffer bytes ? new JsonObject(bytes) : (JsonObject) content;
  }

  /** The record itself, with {@code raw} and {@code etag} as fields of it (GraphQL's shape). */
  public JsonObject record() {
    JsonObject body = body();
    JsonObject record = body.getJsonObject("data");
    JsonArray raw = body.getJsonArray("raw");
    if (raw != null) record.put("raw", raw);
    return record.put("etag", etag);
  }

  public String etag() {
    return etag;
  }

  /** What travels on the bus: the tree or the bytes. */
  public Object content() {
    return content;
  }
}
