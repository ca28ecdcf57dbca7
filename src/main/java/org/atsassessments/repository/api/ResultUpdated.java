package org.atsassessments.repository.api;

import io.vertx.core.json.JsonObject;

/** What a result update answers: StackOne's {@code UpdateResult} body, and the result's new ETag. */
public record ResultUpdated(String message, String timestamp, String etag) {

  /** {@code {"statusCode": 200, "message", "timestamp"}}. */
  public JsonObject toJson() {
    return new JsonObject().put("statusCode", 200).put("message", message).put("timestamp", timestamp);
  }

  public static ResultUpdated fromJson(JsonObject json, String etag) {
    return new ResultUpdated(json.getString("message"), json.getString("timestamp"), etag);
  }
}
