package org.atsassessments.events;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.store.DeliveryRow;
import org.atsassessments.store.EventRow;
import org.atsassessments.store.Outbox;
import org.atsassessments.store.SubscriptionRow;

import java.util.ArrayList;
import java.util.List;

/**
 * The outbox around each write transaction: inside it, one delivery per (event, active subscription that wants the
 * event's type and covers its account), held by this node in memory when it has room (no row until the first
 * attempt's outcome; the event row names this node) and otherwise inserted as a row for the poller; after the
 * commit, each event published on the bus ({@value #ADDRESS} and {@value #ADDRESS}{@code .<account_id>}, the
 * event's JSON without {@code sent_at}; see {@code schema/event-bus.md}) and the held deliveries attempted at once.
 */
public final class EventOutbox implements Outbox {

  /** Where a held connector delivery's context has its event (read-only: the object the bus publishes copies of). */
  static final String EVENT = "event";

  /** Every committed event is published here, and at this address plus {@code .<account_id>}. */
  public static final String ADDRESS = org.atsassessments.repository.api.EventNames.ADDRESS;

  private final Vertx vertx;
  private final AccountGrants grants;
  private final Deliverer deliverer;

  public EventOutbox(Vertx vertx, AccountGrants grants, Deliverer deliverer) {
    this.vertx = vertx;
    this.grants = grants;
    this.deliverer = deliverer;
  }

  @Override
  public String nodeId() {
    return deliverer.nodeId();
  }

  @Override
  public List<NewDelivery> fanOut(List<EventRow> events, List<SubscriptionRow> subscriptions) {
    if (subscriptions.isEmpty()) return List.of();
    List<NewDelivery> deliveries = new ArrayList<>();
    for (EventRow event : events) {
      for (SubscriptionRow subscription : subscriptions) {
        if (!subscription.active() || !subscription.wants(event.type()) || !grants.covers(subscription, event.accountId())) {
          continue;
        }
        deliveries.add(new NewDelivery(subscription.id(), event, deliverer.hasRoom(subscription.id())));
      }
    }
    return deliveries;
  }

  @Override
  public void committed(List<EventRow> events, List<NewDelivery> deliveries) {
    DeliveryOptions local = new DeliveryOptions();
    for (EventRow event : events) {
      JsonObject body = event.tree();
      vertx.eventBus().publish(ADDRESS, body, local);
      vertx.eventBus().publish(ADDRESS + "." + event.accountId(), body, local);
    }
    long now = System.currentTimeMillis();
    List<DeliveryRow> held = new ArrayList<>(deliveries.size());
    for (NewDelivery delivery : deliveries) {
      if (!delivery.held()) continue;  // its row is the poller's
      EventRow event = delivery.event();
      // a connector's event: its call is built from the event as this node has it, not parsed again from its text
      if (event.context() != null && event.json() != null) event.context().put(EVENT, event.json());
      // created at the event's time: the row written with the outcome, and what this node has written through, use it
      held.add(new DeliveryRow(0, delivery.subscriptionId(), event.id(), DeliveryRow.PENDING, 0, new JsonArray(), now,
        event.createdMs(), now, event.type(), event.accountId(), event.body(), event.context()));
    }
    deliverer.takeHeld(held);
  }
}
