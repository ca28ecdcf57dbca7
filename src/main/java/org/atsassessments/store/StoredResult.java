package org.atsassessments.store;

import io.vertx.core.json.JsonObject;

/** One accepted result update of an order: the AssessmentResult as it stood after it, and the PATCH that made it. */
public record StoredResult(String orderId, int version, JsonObject document, JsonObject exchange, long createdMs) {
}
