package org.atsassessments.repository.api;

/**
 * An order to store: the body as received (any JSON value; the repository validates it against StackOne's
 * request schema), the request that carried it, and the account's templates for {@code test_url} and the
 * default {@code results_update_url} ({@code {id}} is the new order's id; either may be null).
 */
public record NewOrder(Object body, Exchange request, String testUrlTemplate, String resultsUpdateUrlTemplate) {
}
