package org.atsassessments.store;

import java.util.List;

/**
 * What the store asks of the events layer around each write transaction: inside it, which deliveries the events
 * of the transaction need (given the active subscriptions as the transaction sees them) and which of them this
 * node holds in memory; after the commit, what to do with the events and the held deliveries.
 */
public interface Outbox {

  /**
   * A delivery of an event: {@code held} by this node (attempted from memory, its row written with the first
   * attempt's outcome; the event row names the node and the subscription), or not (its row is inserted with the
   * event, nobody's, for the poller).
   */
  record NewDelivery(String subscriptionId, EventRow event, boolean held) {
  }

  /** The node that holds the deliveries this outbox calls held (named in their event rows). */
  String nodeId();

  /** Inside the transaction, on the repository's event loop: the deliveries of these events. */
  List<NewDelivery> fanOut(List<EventRow> events, List<SubscriptionRow> activeSubscriptions);

  /** After the commit, on the repository's event loop: publish the events, attempt the held deliveries. */
  void committed(List<EventRow> events, List<NewDelivery> deliveries);

  /** No events: nothing to fan out or announce. */
  Outbox NONE = new Outbox() {
    @Override
    public String nodeId() {
      return null;
    }

    @Override
    public List<NewDelivery> fanOut(List<EventRow> events, List<SubscriptionRow> activeSubscriptions) {
      return List.of();
    }

    @Override
    public void committed(List<EventRow> events, List<NewDelivery> deliveries) {
    }
  };
}
