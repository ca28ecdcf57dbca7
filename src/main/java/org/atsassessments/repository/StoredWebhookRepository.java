package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.events.AccountGrants;
import org.atsassessments.events.ConnectorSubscriptions;
import org.atsassessments.events.Deliverer;
import org.atsassessments.events.Retention;
import org.atsassessments.events.EventTypes;
import org.atsassessments.events.Signatures;
import org.atsassessments.events.Targets;
import org.atsassessments.model.Timestamps;
import org.atsassessments.repository.api.Caller;
import org.atsassessments.repository.api.Page;
import org.atsassessments.repository.api.PageReply;
import org.atsassessments.repository.api.RecordReply;
import org.atsassessments.repository.api.RepositoryException;
import org.atsassessments.repository.api.Scope;
import org.atsassessments.repository.api.WebhookRepository;
import org.atsassessments.store.DeliveryRow;
import org.atsassessments.store.EventRow;
import org.atsassessments.store.Store;
import org.atsassessments.store.SubscriptionRow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The feed and the webhook subscriptions, on the store. A subscription is its owner's: every lookup is by
 * (owner, id), so another caller's is not found, exactly like an unknown one. A target URL is checked (scheme,
 * and the addresses its host resolves to) whenever it is written.
 */
final class StoredWebhookRepository implements WebhookRepository {

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(StoredWebhookRepository.class.getName());

  static final String EVENTS = "events";
  static final String WEBHOOKS = "webhooks";
  private static final int MAX_DESCRIPTION = 1024;
  private static final int MAX_ACCOUNT_IDS = 1000;

  private final Store store;
  private final Deliverer deliverer;
  private final Retention retention;
  private final Duration secretOverlap;
  private final AccountGrants grants;

  StoredWebhookRepository(Store store, Deliverer deliverer, Retention retention, Duration secretOverlap, AccountGrants grants) {
    this.grants = grants;
    this.store = store;
    this.deliverer = deliverer;
    this.retention = retention;
    this.secretOverlap = secretOverlap;
  }

  // ---- the feed ----------------------------------------------------------------------------------------------

  @Override
  public Future<PageReply> listEvents(Scope scope, Page page, List<String> types) {
    return StoredAssessmentRepository.run(scope.requestId(), "event.list", () -> {
      if (types != null) {
        for (String type : types) {
          if (!EventTypes.ALL.contains(type)) {
            throw new RepositoryException(400, "filter[type]: unknown event type '" + type + "'; one of " + EventTypes.ALL);
          }
        }
      }
      String account = scope.accountId();
      long after = page.after() == null ? 0 : Cursor.decode(page.after(), EVENTS, account);
      long createdAfter = page.updatedAfter() == null ? Long.MIN_VALUE : page.updatedAfter().toEpochMilli();
      return store.events().list(account, after, createdAfter, types, page.size() + 1).map(rows -> {
        boolean more = rows.size() > page.size();
        List<EventRow> shown = more ? rows.subList(0, page.size()) : rows;
        long now = System.currentTimeMillis();
        JsonArray data = new JsonArray();
        for (EventRow row : shown) data.add(new JsonObject(EventTypes.withSentAt(row.body(), now)));
        // where this page ends, on every page: the last one too (its next is null), so a reader resumes from it later
        String cursor = shown.isEmpty() ? page.after() : Cursor.encode(EVENTS, account, shown.get(shown.size() - 1).changeSeq());
        return new PageReply(new JsonObject().put("next", more ? cursor : null).put("data", data).put("cursor", cursor));
      });
    });
  }

  // ---- subscriptions -----------------------------------------------------------------------------------------

  @Override
  public Future<RecordReply> createWebhook(Caller caller, JsonObject body) {
    return StoredAssessmentRepository.run(caller.requestId(), "webhook.create", () -> {
      String url = url(body.getValue("url"));
      List<String> events = events(body, "events");
      List<String> accounts = accountIds(body);
      String description = description(body.getValue("description"));
      return checkedTarget(url).compose(checked -> {
        long now = System.currentTimeMillis();
        String secret = Signatures.newSecret();
        SubscriptionRow row = new SubscriptionRow(0, "whk_" + UUID.randomUUID().toString().replace("-", ""), caller.user(),
          url, events, accounts, description, SubscriptionRow.ACTIVE, null, secret, null, null, null, now, now);
        return store.webhooks().insertSubscription(row)
          .map(inserted -> RecordReply.of(new JsonObject().put("data", view(row).put("secret", secret)), null));
      });
    });
  }

  @Override
  public Future<PageReply> listWebhooks(Caller caller, Page page) {
    return StoredAssessmentRepository.run(caller.requestId(), "webhook.list", () -> {
      long after = page.after() == null ? 0 : Cursor.decode(page.after(), WEBHOOKS, caller.user());
      return store.webhooks().listSubscriptions(caller.user(), after, page.size() + 1).map(rows -> {
        boolean more = rows.size() > page.size();
        List<SubscriptionRow> shown = more ? rows.subList(0, page.size()) : rows;
        JsonArray data = new JsonArray();
        for (SubscriptionRow row : shown) data.add(view(row));
        String next = more ? Cursor.encode(WEBHOOKS, caller.user(), shown.get(shown.size() - 1).seq()) : null;
        return new PageReply(new JsonObject().put("next", next).put("data", data));
      });
    });
  }

  @Override
  public Future<RecordReply> getWebhook(Caller caller, String id) {
    return StoredAssessmentRepository.run(caller.requestId(), "webhook.get", () -> readable(caller, id)
      .map(row -> RecordReply.of(new JsonObject().put("data", view(row)), null)));
  }

  @Override
  public Future<RecordReply> updateWebhook(Caller caller, String id, JsonObject body) {
    return StoredAssessmentRepository.run(caller.requestId(), "webhook.update", () -> {
      // every field is checked before anything is looked up or written
      String url = body.containsKey("url") ? url(body.getValue("url")) : null;
      boolean newEvents = body.containsKey("events");
      List<String> events = newEvents ? events(body, "events") : null;
      boolean newAccounts = body.containsKey("account_ids");
      List<String> accounts = newAccounts ? accountIds(body) : null;
      boolean newDescription = body.containsKey("description");
      String description = newDescription ? description(body.getValue("description")) : null;
      String status = null;
      if (body.getValue("status") != null) {
        if (!(body.getValue("status") instanceof String text)
          || !(text.equals(SubscriptionRow.ACTIVE) || text.equals(SubscriptionRow.DISABLED))) {
          throw new RepositoryException(422, "status: must be active or disabled");
        }
        status = text;
      }
      String newStatus = status;
      Future<Void> checked = url == null ? Future.succeededFuture() : checkedTarget(url);
      return checked.compose(ok -> owned(caller, id)).compose(row -> {
        long now = System.currentTimeMillis();
        String finalStatus = newStatus == null ? row.status() : newStatus;
        boolean reenabled = SubscriptionRow.ACTIVE.equals(finalStatus) && !row.active();
        SubscriptionRow updated = new SubscriptionRow(row.seq(), row.id(), row.owner(), url == null ? row.url() : url,
          newEvents ? events : row.events(), newAccounts ? accounts : row.accountIds(),
          newDescription ? description : row.description(), finalStatus,
          SubscriptionRow.ACTIVE.equals(finalStatus) ? null
            : newStatus != null && !newStatus.equals(row.status()) ? "disabled by its owner" : row.disabledReason(),
          row.secret(), row.previousSecret(), row.previousSecretUntilMs(), reenabled ? null : row.firstFailureMs(),
          row.createdMs(), now);
        return store.webhooks().updateSubscription(updated).map(found -> {
          if (!found) throw RepositoryException.notFound();
          return RecordReply.of(new JsonObject().put("data", view(updated)), null);
        });
      });
    });
  }

  @Override
  public Future<Void> deleteWebhook(Caller caller, String id) {
    return StoredAssessmentRepository.run(caller.requestId(), "webhook.delete", () -> store.webhooks().deleteSubscription(caller.user(), StoredAssessmentRepository.lookupId(id))
      .map(found -> {
        if (!found) throw RepositoryException.notFound();
        // its deliveries are no longer claimed; they go in short transactions after the answer (the sweep finishes
        // what a failure leaves)
        String subscription = StoredAssessmentRepository.lookupId(id);
        retention.forget(subscription).onFailure(e -> LOG.warning("removing the deliveries of deleted subscription "
          + subscription + " failed (the retention sweep removes them): " + e));
        return null;
      }));
  }

  @Override
  public Future<RecordReply> rotateSecret(Caller caller, String id) {
    return StoredAssessmentRepository.run(caller.requestId(), "webhook.rotate", () -> owned(caller, id).compose(row -> {
      long now = System.currentTimeMillis();
      String secret = Signatures.newSecret();
      SubscriptionRow rotated = new SubscriptionRow(row.seq(), row.id(), row.owner(), row.url(), row.events(),
        row.accountIds(), row.description(), row.status(), row.disabledReason(), secret, row.secret(),
        now + secretOverlap.toMillis(), row.firstFailureMs(), row.createdMs(), now);
      return store.webhooks().updateSubscription(rotated).map(found -> {
        if (!found) throw RepositoryException.notFound();
        JsonObject view = view(rotated).put("secret", secret)
          .put("previous_secret_expires_at", Timestamps.format(Instant.ofEpochMilli(rotated.previousSecretUntilMs())));
        return RecordReply.of(new JsonObject().put("data", view), null);
      });
    }));
  }

  // ---- deliveries --------------------------------------------------------------------------------------------

  @Override
  public Future<PageReply> listDeliveries(Caller caller, String id, String state, Page page) {
    return StoredAssessmentRepository.run(caller.requestId(), "delivery.list", () -> {
      if (state != null && !List.of(DeliveryRow.PENDING, DeliveryRow.SUCCEEDED, DeliveryRow.FAILED).contains(state)) {
        throw new RepositoryException(400, "status: must be pending, succeeded or failed");
      }
      String listing = "deliveries:" + id;
      long after = page.after() == null ? 0 : Cursor.decode(page.after(), listing, caller.user());
      return readable(caller, id).compose(row -> store.webhooks().listDeliveries(row.id(), state, after, page.size() + 1))
        .map(rows -> {
          boolean more = rows.size() > page.size();
          List<DeliveryRow> shown = more ? rows.subList(0, page.size()) : rows;
          JsonArray data = new JsonArray();
          for (DeliveryRow row : shown) data.add(view(row));
          String next = more ? Cursor.encode(listing, caller.user(), shown.get(shown.size() - 1).seq()) : null;
          return new PageReply(new JsonObject().put("next", next).put("data", data));
        });
    });
  }

  @Override
  public Future<RecordReply> redeliver(Caller caller, String id, String eventId) {
    return StoredAssessmentRepository.run(caller.requestId(), "delivery.redeliver", () -> readable(caller, id).compose(row -> {
      long now = System.currentTimeMillis();
      return store.webhooks().redeliver(deliverer.nodeId(), row.id(), StoredAssessmentRepository.lookupId(eventId), now, now + deliverer.leaseMs());
    }).map(delivery -> {
      if (delivery == null) throw RepositoryException.notFound();
      deliverer.take(delivery);
      return RecordReply.of(new JsonObject().put("data", view(delivery)), null);
    }));
  }

  // ---- checks and views --------------------------------------------------------------------------------------

  /**
   * For a read or a redelivery: the caller's own subscription, or the connector subscription of an account the
   * caller may read (its push-backs); anything else is not found, exactly like an unknown id.
   */
  private Future<SubscriptionRow> readable(Caller caller, String id) {
    String lookup = StoredAssessmentRepository.lookupId(id);
    if (!lookup.startsWith("con_")) return owned(caller, id);
    return store.webhooks().findSubscription(lookup).map(row -> {
      if (row == null || !ConnectorSubscriptions.isConnector(row)
        || !grants.readable(caller.user(), ConnectorSubscriptions.accountOf(row))) {
        throw RepositoryException.notFound();
      }
      return row;
    });
  }

  private Future<SubscriptionRow> owned(Caller caller, String id) {
    return store.webhooks().findSubscription(caller.user(), StoredAssessmentRepository.lookupId(id)).map(row -> {
      if (row == null) throw RepositoryException.notFound();
      return row;
    });
  }

  private static String url(Object value) {
    if (!(value instanceof String url) || url.isBlank()) throw new RepositoryException(422, "url: required, an http or https URL");
    try {
      Targets.parse(url);
    } catch (Targets.Refused refused) {
      throw new RepositoryException(422, refused.getMessage());
    }
    // a URL cannot carry NUL (Targets.parse refuses it); a lone surrogate it can, and UTF-8 cannot
    if (BodyValidation.unpaired(url)) throw new RepositoryException(422, "url: not valid Unicode (a lone surrogate)");
    return url;
  }

  /** The URL's host may be used: it resolves, and not to a forbidden address (unless those are allowed). */
  private Future<Void> checkedTarget(String url) {
    Targets.Target target;
    try {
      target = Targets.parse(url);
    } catch (Targets.Refused refused) {
      return Future.failedFuture(new RepositoryException(422, refused.getMessage()));
    }
    return deliverer.targets().address(target).<Void>mapEmpty()
      .recover(refused -> Future.failedFuture(refused instanceof Targets.Refused
        ? new RepositoryException(422, refused.getMessage()) : refused));
  }

  private static List<String> events(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value == null) return null;
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw new RepositoryException(422, key + ": a non-empty array of event types, or absent for all; types: " + EventTypes.ALL);
    }
    Set<String> types = new LinkedHashSet<>();
    for (Object item : array) {
      if (!(item instanceof String type) || !EventTypes.ALL.contains(type)) {
        throw new RepositoryException(422, key + ": unknown event type " + item + "; types: " + EventTypes.ALL);
      }
      types.add(type);
    }
    return List.copyOf(types);
  }

  /** The shape only: that each is granted to the caller was checked at the edge (a 404 there, like any unknown account). */
  private static List<String> accountIds(JsonObject body) {
    Object value = body.getValue("account_ids");
    if (value == null) return null;
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_ACCOUNT_IDS) {
      throw new RepositoryException(422, "account_ids: a non-empty array of account ids (at most " + MAX_ACCOUNT_IDS
        + "), or absent for every account granted to you");
    }
    Set<String> ids = new LinkedHashSet<>();
    for (Object item : array) {
      if (!(item instanceof String account) || account.isBlank()) throw new RepositoryException(422, "account_ids: ids are strings");
      ids.add(account);
    }
    return List.copyOf(new ArrayList<>(ids));
  }

  /** Refused alike on every store: text PostgreSQL cannot hold as sent (NUL, a lone surrogate). */
  private static String description(Object value) {
    if (value == null) return null;
    if (!(value instanceof String text) || text.length() > MAX_DESCRIPTION) {
      throw new RepositoryException(422, "description: a string of at most " + MAX_DESCRIPTION + " characters");
    }
    if (text.indexOf('\u0000') >= 0) throw new RepositoryException(422, "description: must not contain the NUL character");
    if (BodyValidation.unpaired(text)) throw new RepositoryException(422, "description: not valid Unicode (a lone surrogate)");
    return text;
  }

  /** A subscription as the API shows it: never its secret (only creation and rotation answer that). */
  private static JsonObject view(SubscriptionRow row) {
    return new JsonObject()
      .put("id", row.id())
      .put("url", row.url())
      .put("events", row.events() == null ? null : new JsonArray(new ArrayList<>(row.events())))
      .put("account_ids", row.accountIds() == null ? null : new JsonArray(new ArrayList<>(row.accountIds())))
      .put("description", row.description())
      .put("status", row.status())
      .put("disabled_reason", row.disabledReason())
      .put("created_at", time(row.createdMs()))
      .put("updated_at", time(row.updatedMs()));
  }

  private static JsonObject view(DeliveryRow row) {
    return new JsonObject()
      .put("event_id", row.eventId())
      .put("type", row.eventType())
      .put("account_id", row.accountId())
      .put("state", row.state())
      .put("attempts", row.attempts())
      .put("next_attempt_at", DeliveryRow.PENDING.equals(row.state()) ? time(row.nextAttemptMs()) : null)
      .put("created_at", time(row.createdMs()))
      .put("updated_at", time(row.updatedMs()));
  }

  private static String time(long ms) {
    return Timestamps.format(Instant.ofEpochMilli(ms));
  }
}
