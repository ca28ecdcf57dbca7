package org.atsassessments.store;

import java.util.List;

/**
 * What the store asks of the events layer around each write transaction: inside it, which deliveries the events
 * of the transaction need (given the active subscriptions as the transaction sees them); after the commit, what
 * to do with the events and the deliveries this node claimed.
 */
public interface Outbox {

  /** A delivery to insert with the events: claimed by {@code leaseOwner} until {@code leaseUntilMs}, or nobody's (0). */
  record NewDelivery(String subscriptionId, EventRow event, String leaseOwner, long leaseUntilMs) {
  }

  /** Inside the transaction, on the repository's event loop: the deliveries of these events. */
  List<NewDelivery> fanOut(List<EventRow> events, List<SubscriptionRow> activeSubscriptions);

  /** After the commit, on the repository's event loop: publish the events, attempt the claimed deliveries. */
  void committed(List<EventRow> events, List<NewDelivery> deliveries);

  /** No events: nothing to fan out or announce. */
  Outbox NONE = new Outbox() {
    @Override
    public List<NewDelivery> fanOut(List<EventRow> events, List<SubscriptionRow> activeSubscriptions) {
      return List.of();
    }

    @Override
    public void committed(List<EventRow> events, List<NewDelivery> deliveries) {
    }
  };
}
