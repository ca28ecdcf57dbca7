package org.atsassessments.repository.api;

import io.vertx.core.json.JsonObject;

/** What creating an order answers, StackOne's {@code {id, remote_id, test_url}}. */
public record CreatedOrder(String id, String remoteId, String testUrl) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("remote_id", remoteId).put("test_url", testUrl);
  }

  public static CreatedOrder fromJson(JsonObject json) {
    return new CreatedOrder(json.getString("id"), json.getString("remote_id"), json.getString("test_url"));
  }
}
