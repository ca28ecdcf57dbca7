package org.atsassessments.events;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.ALICE_PASSWORD;
import static org.atsassessments.testing.TestService.GLOBEX;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Committed events are published on the bus for live consumers, after the commit: at {@code ats.assessments.events}
 * and at {@code ats.assessments.events.<account_id>}, as plain JSON, the feed's event without {@code sent_at}.
 */
@ExtendWith(VertxExtension.class)
class EventBusEventsTest {

  @Test
  void eachCommittedEventIsPublishedAtBothAddressesAsTheFeedServesIt(Vertx vertx, @TempDir Path dir) throws InterruptedException {
    TestService service = TestService.start(vertx, dir);
    List<JsonObject> all = new CopyOnWriteArrayList<>();
    List<JsonObject> acme = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(EventOutbox.ADDRESS, message -> all.add(message.body())).completion().await();
    vertx.eventBus().<JsonObject>consumer(EventOutbox.ADDRESS + "." + TestService.ACME, message -> acme.add(message.body()))
      .completion().await();

    assertEquals(200, service.post(ORDERS, "{\"id\":\"bus-1\"}").statusCode());
    assertEquals(200, service.postAs(ORDERS, "{\"id\":\"bus-2\"}", ALICE, ALICE_PASSWORD, GLOBEX).statusCode());
    assertEquals(422, service.post(ORDERS, "{\"candidate\":{\"emails\":[{\"value\":5}]}}").statusCode());
    long deadline = System.currentTimeMillis() + 5_000;
    while ((all.size() < 2 || acme.isEmpty()) && System.currentTimeMillis() < deadline) Thread.sleep(10);

    JsonArray feed = service.get("/unified/ats/assessments/events").bodyAsJsonObject().getJsonArray("data");
    assertEquals(1, feed.size(), feed.encode());
    JsonObject served = feed.getJsonObject(0).copy();
    assertFalse(served.getString("sent_at").isEmpty());
    served.remove("sent_at");
    assertEquals(1, acme.size(), "acme's address has acme's event only: " + acme);
    assertEquals(served, acme.get(0));
    assertNull(acme.get(0).getValue("sent_at"));
    assertEquals(2, all.size(), "the failed write announced nothing: " + all);
    assertTrue(all.stream().anyMatch(event -> event.getString("account_id").equals(GLOBEX)
      && event.getJsonObject("event_data").getString("remote_id").equals("bus-2")), all.toString());
    assertEquals("ats_assessments.created", acme.get(0).getString("event"));
  }
}
