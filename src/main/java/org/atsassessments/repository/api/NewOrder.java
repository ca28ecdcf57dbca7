package org.atsassessments.repository.api;

import io.vertx.core.json.JsonObject;

/**
 * An order to store: the body as received (any JSON value; the repository validates it against StackOne's
 * request schema), the request that carried it, and the account's templates for {@code test_url} and the
 * default {@code results_update_url} ({@code {id}} is the new order's id; either may be null).
 */
public record NewOrder(Object body, Exchange request, String testUrlTemplate, String resultsUpdateUrlTemplate) {

  /**
   * The provider's id of this order, by which creating it is idempotent: the body's {@code remote_id}, else its
   * {@code id}, when a non-blank string; null when the body names none (then the order is never merged).
   */
  public String providerId() {
    return providerId(body);
  }

  /** The same, for a body (any JSON value). */
  public static String providerId(Object body) {
    if (!(body instanceof JsonObject order)) return null;
    String remote = nonBlank(order.getValue("remote_id"));
    return remote != null ? remote : nonBlank(order.getValue("id"));
  }

  private static String nonBlank(Object value) {
    return value instanceof String text && !text.isBlank() ? text : null;
  }
}
