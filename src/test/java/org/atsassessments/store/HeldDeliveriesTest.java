package org.atsassessments.store;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.events.EventTypes;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rows behind deliveries a node holds in memory, on the store the run uses: the event row names the node and
 * the subscriptions; a delivery's row is written once, whoever writes it first (the node with its outcome, the
 * node that took a gone one's over), and the other write changes nothing; a node's heartbeat row says what it has
 * written through, and a silent one is found and forgotten.
 */
@ExtendWith(VertxExtension.class)
class HeldDeliveriesTest {

  private static final String NODE = "node-that-dies";

  private static Store open(Vertx vertx, Context context, Path dir) {
    ServiceConfig config = TestService.config(dir);
    Promise<Store> opened = Promise.promise();
    context.runOnContext(v -> Stores.open(vertx, config).onComplete(opened));
    return opened.future().await();
  }

  /** Holds every delivery of every event, for subscriptions "s1" and "s2", as node {@link #NODE}. */
  private static final class HoldingEverything implements Outbox {
    @Override
    public String nodeId() {
      return NODE;
    }

    @Override
    public List<NewDelivery> fanOut(List<EventRow> events, List<SubscriptionRow> activeSubscriptions) {
      List<NewDelivery> held = new ArrayList<>();
      for (EventRow event : events) {
        held.add(new NewDelivery("s1", event, true));
        held.add(new NewDelivery("s2", event, true));
      }
      return held;
    }

    @Override
    public void committed(List<EventRow> events, List<NewDelivery> deliveries) {
    }
  }

  private static EventRow write(Store store, String id) {
    long now = System.currentTimeMillis();
    List<EventRow> made = new ArrayList<>();
    store.writeOne(change -> {
      EventRow event = EventTypes.event(EventTypes.PACKAGE_UPDATED, "acme", EventTypes.NATIVE, EventTypes.PACKAGE, id, id,
        new JsonObject().put("id", id), change.seq(), now);
      made.add(event);
      change.emit(event);
      return store.packages().insert(change.connection(), new StoredDocument(id, "acme", id, new JsonObject().put("id", id),
        new JsonObject(), now, now, change.seq(), 1));
    }).await();
    return made.get(0);
  }

  @Test
  void aHeldDeliveryGetsOneRowWhoeverWritesItFirst(Vertx vertx, @TempDir Path dir) {
    Context context = vertx.getOrCreateContext();
    Store store = open(vertx, context, dir);
    store.outbox(new HoldingEverything());
    WebhookTable table = store.webhooks();
    table.heartbeat(NODE, 0, 1_000).await();
    EventRow first = write(store, "p1");
    EventRow second = write(store, "p2");

    // no delivery rows: the event rows name the node and the subscriptions
    List<EventTable.Held> held = store.events().heldBy(NODE, 0, "", 10).await();
    assertEquals(List.of(first.id(), second.id()), held.stream().map(EventTable.Held::eventId).toList());
    assertEquals(List.of("s1", "s2"), held.get(0).subscriptionIds());
    assertEquals(0, table.listDeliveries("s1", null, 0, 10).await().size());
    // keyset: after the first one
    assertEquals(List.of(second.id()), store.events().heldBy(NODE, first.createdMs(), first.id(), 10).await().stream()
      .map(EventTable.Held::eventId).toList());
    assertEquals(List.of(), store.events().heldBy("another-node", 0, "", 10).await());

    // the node writes the first event's s1 row with its outcome; a take-over afterwards adds only the missing ones
    table.record(NODE, 0, List.of(new WebhookTable.Outcome("s1", first.id(), DeliveryRow.SUCCEEDED, 1,
      new JsonArray().add(new JsonObject().put("status_code", 200)), 5, 5, false, first.createdMs(), false))).await();
    List<WebhookTable.Unattempted> all = new ArrayList<>();
    for (EventTable.Held event : held) {
      for (String subscription : event.subscriptionIds()) {
        all.add(new WebhookTable.Unattempted(subscription, event.eventId(), event.createdMs()));
      }
    }
    assertEquals(3, table.insertUnattempted(all, null, 0, 10).await(), "the three without a row");
    assertEquals(0, table.insertUnattempted(all, null, 0, 10).await(), "again: nothing");
    assertEquals(2, table.listDeliveries("s2", null, 0, 10).await().size());
    List<DeliveryRow> s1 = table.listDeliveries("s1", null, 0, 10).await();
    assertEquals(List.of(DeliveryRow.SUCCEEDED, DeliveryRow.PENDING), s1.stream().map(DeliveryRow::state).toList(),
      "the outcome written first is kept");
    assertEquals(1, s1.get(0).attemptCount());

    // an outcome of a delivery whose row a take-over wrote meanwhile changes nothing (it is attempted again)
    table.record(NODE, 0, List.of(new WebhookTable.Outcome("s2", second.id(), DeliveryRow.SUCCEEDED, 1, new JsonArray(), 5, 5,
      false, second.createdMs(), false))).await();
    assertEquals(DeliveryRow.PENDING, table.listDeliveries("s2", null, 0, 10).await().get(1).state());
  }

  @Test
  void aSilentNodeIsFoundAndForgottenUnlessItSpokeAgain(Vertx vertx, @TempDir Path dir) {
    Store store = open(vertx, vertx.getOrCreateContext(), dir);
    WebhookTable table = store.webhooks();
    table.heartbeat("alive", 100, 5_000).await();
    table.heartbeat("silent", 50, 1_000).await();

    List<WebhookTable.FanoutNode> gone = table.goneNodes("alive", 2_000, 10).await();
    assertEquals(List.of(new WebhookTable.FanoutNode("silent", 50, 1_000)), gone);
    assertEquals(List.of(), table.goneNodes("silent", 2_000, 10).await(), "a node is never gone to itself");

    // it spoke again before it was forgotten: its row stays
    table.heartbeat("silent", 60, 1_500).await();
    table.forgetNode(gone.get(0)).await();
    assertEquals(List.of(new WebhookTable.FanoutNode("silent", 60, 1_500)), table.goneNodes("alive", 2_000, 10).await());
    table.forgetNode(table.goneNodes("alive", 2_000, 10).await().get(0)).await();
    assertTrue(table.goneNodes("alive", Long.MAX_VALUE, 10).await().isEmpty());
  }
}
