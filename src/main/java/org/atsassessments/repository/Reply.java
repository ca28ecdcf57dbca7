package org.atsassessments.repository;

import io.vertx.core.json.JsonObject;

/**
 * A repository answer: the body (exactly the REST body) and, for records with a version, its ETag,
 * which travels as the reply's {@code etag} header.
 */
public record Reply(JsonObject body, String etag) {

  public static final String ETAG_HEADER = "etag";

  public static Reply of(JsonObject body) {
    return new Reply(body, null);
  }
}
