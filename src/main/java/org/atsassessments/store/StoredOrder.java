package org.atsassessments.store;

import io.vertx.core.json.JsonObject;

/**
 * An order as the store keeps it: the AssessmentOrder document served by GET, and the exchange that
 * delivered it ({@code method}, {@code url}, {@code body}, {@code response}), served as {@code raw}.
 * {@code exchange} is null when it was not asked for.
 */
public record StoredOrder(String id, String accountId, String remoteId, JsonObject document, JsonObject exchange,
                          long createdMs, long updatedMs) {
}
