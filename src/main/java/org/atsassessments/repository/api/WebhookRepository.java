package org.atsassessments.repository.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The events of the repository: the account's feed, and the webhook subscriptions with their deliveries, one
 * method per action of {@code schema/event-bus.md}. Subscriptions belong to their caller: another caller's, like
 * an unknown one, is a 404. Bodies are the REST bodies of {@code docs/events.md}; failures are
 * {@link RepositoryException}s with the status REST answers.
 */
public interface WebhookRepository {

  /** {@code event.list}: the account's events, oldest first, of the given types (null: all). */
  Future<PageReply> listEvents(Scope scope, Page page, List<String> types);

  /** {@code webhook.create}: a new subscription, answered with its secret (the only time but rotation); 422 for a bad one. */
  Future<RecordReply> createWebhook(Caller caller, JsonObject body);

  /** {@code webhook.list}: the caller's subscriptions, oldest first. */
  Future<PageReply> listWebhooks(Caller caller, Page page);

  /** {@code webhook.get}. */
  Future<RecordReply> getWebhook(Caller caller, String id);

  /** {@code webhook.update}: url, events, account_ids, description, status (active or disabled). */
  Future<RecordReply> updateWebhook(Caller caller, String id, JsonObject body);

  /** {@code webhook.delete}: the subscription and its deliveries. */
  Future<Void> deleteWebhook(Caller caller, String id);

  /** {@code webhook.rotate}: a new secret; the old one keeps signing beside it for the configured overlap. */
  Future<RecordReply> rotateSecret(Caller caller, String id);

  /** {@code delivery.list}: the subscription's deliveries, oldest first, in one state (null: any). */
  Future<PageReply> listDeliveries(Caller caller, String id, String state, Page page);

  /** {@code delivery.redeliver}: a new attempt of the delivery of that event now, whatever its state. */
  Future<RecordReply> redeliver(Caller caller, String id, String eventId);
}
