package org.atsassessments.store;

import io.vertx.core.json.JsonObject;

/**
 * One accepted result update of an order: the AssessmentResult as it stood after it, the PATCH that made it,
 * and the key of that update (null when the caller gave none).
 */
public record StoredResult(String orderId, int version, JsonObject document, JsonObject exchange, long createdMs,
                           String requestKey) {
}
