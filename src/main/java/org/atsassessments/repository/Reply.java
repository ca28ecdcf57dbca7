package org.atsassessments.repository;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A repository answer: the body (exactly the REST body), as a JSON object or as its UTF-8 bytes, and, for
 * records with a version, its ETag, which travels as the reply's {@code etag} header. Hot reads answer with
 * bytes: REST writes them as they are, with no copy of a JSON tree on the local bus and no second encoding.
 */
public final class Reply {

  public static final String ETAG_HEADER = "etag";

  private final Object content;
  private final String etag;

  public Reply(Object content, String etag) {
    if (!(content instanceof JsonObject) && !(content instanceof Buffer)) {
      throw new IllegalArgumentException("a reply is a JSON object or its bytes, not " + content);
    }
    this.content = content;
    this.etag = etag;
  }

  public static Reply of(Object content) {
    return new Reply(content, null);
  }

  /** The body as a JSON object (decoded when it came as bytes: call once). */
  public JsonObject body() {
    return content instanceof Buffer bytes ? new JsonObject(bytes) : (JsonObject) content;
  }

  /** The body as JSON bytes (encoded when it came as an object). */
  public Buffer bytes() {
    return content instanceof Buffer bytes ? bytes : ((JsonObject) content).toBuffer();
  }

  /** What goes on the event bus. */
  Object content() {
    return content;
  }

  public String etag() {
    return etag;
  }
}
