package org.atsassessments.repository.api;

import io.vertx.core.json.JsonObject;

/** The HTTP request that carried a write, as {@code raw} shows it: method and absolute URL. */
public record Exchange(String method, String url) {

  public JsonObject toJson() {
    return new JsonObject().put("method", method).put("url", url);
  }
}
