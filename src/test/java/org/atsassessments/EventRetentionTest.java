package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.events.Retention;
import org.atsassessments.testing.Eventually;
import org.atsassessments.testing.LogRecords;
import org.atsassessments.testing.TestService;
import org.atsassessments.testing.TestStores;
import org.atsassessments.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Events are kept for event_retention_days: every event_retention_sweep_ms the older ones are removed,
 * event_retention_batch at a time until none is left, and their deliveries with them.
 */
@ExtendWith(VertxExtension.class)
class EventRetentionTest {

  private static final String EVENTS = "/unified/ats/assessments/events";
  private static final long DAY_MS = Duration.ofDays(1).toMillis();
  // java.util.logging holds loggers weakly: kept here while its level is raised
  private static final Logger RETENTION = Logger.getLogger(Retention.class.getName());

  private static long count(String jdbcUrl, String sql) {
    String user = jdbcUrl.startsWith("jdbc:h2") ? "sa" : "postgres";
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, "");
         ResultSet rows = connection.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " on " + jdbcUrl + ": " + e.getMessage(), e);
    }
  }

  private static List<String> feed(TestService service) {
    List<String> remoteIds = new ArrayList<>();
    HttpResponse<Buffer> page = service.get(EVENTS + "?page_size=100");
    assertEquals(200, page.statusCode(), page.bodyAsString());
    page.bodyAsJsonObject().getJsonArray("data").forEach(event -> remoteIds.add(((JsonObject) event).getString("record_remote_id")));
    return remoteIds;
  }

  @Test
  void expiredEventsAreRemovedInBatchesWithTheirDeliveriesAndNewerOnesKept(Vertx vertx, @TempDir Path dir) throws Exception {
    Level level = RETENTION.getLevel();
    RETENTION.setLevel(Level.INFO);
    try (LogRecords log = LogRecords.of(Retention.class.getName()); WebhookReceiver receiver = WebhookReceiver.start(vertx)) {
      TestService service = TestService.start(vertx, dir, config -> config.with("event_retention_days", 1)
        .with("event_retention_sweep_ms", 100).with("event_retention_batch", 10));
      String jdbc = TestStores.jdbcUrl(service.config);
      HttpResponse<Buffer> subscribed = service.client.request(HttpMethod.POST, "/webhooks")
        .putHeader("Authorization", TestService.basic(TestService.ALICE, TestService.ALICE_PASSWORD))
        .sendJsonObject(new JsonObject().put("url", receiver.url("/hook"))).await();
      assertEquals(200, subscribed.statusCode(), subscribed.bodyAsString());

      // 25 events, each delivered, then made two days old: expired, more than two batches of them
      for (int i = 0; i < 25; i++) service.orderId("old-" + i);
      Eventually.await("25 deliveries recorded", () -> count(jdbc, "SELECT COUNT(*) FROM webhook_delivery WHERE state = 'succeeded'"),
        succeeded -> succeeded == 25, 20);
      TestStores.execute(jdbc, "UPDATE assessment_event SET created_ms = created_ms - " + 2 * DAY_MS);
      // two made 23 hours old (within the retention) and three new ones: all kept
      for (int i = 0; i < 2; i++) service.orderId("recent-" + i);
      TestStores.execute(jdbc, "UPDATE assessment_event SET created_ms = created_ms - " + (DAY_MS - Duration.ofHours(1).toMillis())
        + " WHERE created_ms > " + (System.currentTimeMillis() - Duration.ofHours(1).toMillis()));
      for (int i = 0; i < 3; i++) service.orderId("new-" + i);

      List<String> kept = List.of("recent-0", "recent-1", "new-0", "new-1", "new-2");
      assertEquals(kept, Eventually.await("the expired events removed", () -> feed(service), kept::equals, 20));
      log.await("one sweep removing all 25", "removed 25 events older than the retention"::equals, 10);
      assertEquals(5, count(jdbc, "SELECT COUNT(*) FROM assessment_event"));
      // the kept events' deliveries are written with their attempts' outcomes, a moment after the orders' answers
      assertEquals(5, Eventually.await("the removed events' deliveries went with them, the kept ones' are there",
        () -> count(jdbc, "SELECT COUNT(*) FROM webhook_delivery"), n -> n == 5, 10));
      assertEquals(0, count(jdbc, "SELECT COUNT(*) FROM webhook_delivery d"
        + " WHERE NOT EXISTS (SELECT 1 FROM assessment_event e WHERE e.id = d.event_id)"));
      assertEquals(30, count(jdbc, "SELECT COUNT(*) FROM assessment_order"), "the orders themselves stay");
    } finally {
      RETENTION.setLevel(level);
    }
  }

  /**
   * Deleting a subscription answers at once and its deliveries go afterwards, in short transactions of
   * event_retention_batch (one transaction over a busy subscription's deliveries met the deliverer's writes on
   * them and failed); what a stopped node left of them the sweep removes.
   */
  @Test
  void aDeletedSubscriptionsDeliveriesGoInBatchesAndLeftoversAtTheSweep(Vertx vertx, @TempDir Path dir) {
    try (WebhookReceiver receiver = WebhookReceiver.start(vertx)) {
      TestService service = TestService.start(vertx, dir, config -> config.with("event_retention_sweep_ms", 300)
        .with("event_retention_batch", 7));
      String jdbc = TestStores.jdbcUrl(service.config);
      String kept = subscribe(service, receiver);
      String deleted = subscribe(service, receiver);
      for (int i = 0; i < 20; i++) service.orderId("delete-" + i);
      Eventually.await("40 deliveries recorded", () -> count(jdbc, "SELECT COUNT(*) FROM webhook_delivery WHERE state = 'succeeded'"),
        succeeded -> succeeded == 40, 20);

      HttpResponse<Buffer> gone = service.client.request(HttpMethod.DELETE, "/webhooks/" + deleted)
        .putHeader("Authorization", TestService.basic(TestService.ALICE, TestService.ALICE_PASSWORD)).send().await();
      assertEquals(200, gone.statusCode(), gone.bodyAsString());
      Eventually.await("the deleted subscription's 20 deliveries removed", () -> count(jdbc,
        "SELECT COUNT(*) FROM webhook_delivery WHERE subscription_id = '" + deleted + "'"), left -> left == 0, 20);
      assertEquals(20, count(jdbc, "SELECT COUNT(*) FROM webhook_delivery WHERE subscription_id = '" + kept + "'"),
        "the other subscription's stay");

      // deliveries whose subscription is gone (a node stopped before removing them) go at the next sweep
      TestStores.execute(jdbc, "INSERT INTO webhook_delivery (subscription_id, event_id, state, attempt_count, attempts,"
        + " next_attempt_ms, lease_until_ms, created_ms, updated_ms) SELECT 'whk_left_over', event_id, state, attempt_count,"
        + " attempts, next_attempt_ms, 0, created_ms, updated_ms FROM webhook_delivery WHERE subscription_id = '" + kept + "'");
      Eventually.await("left-over deliveries removed by the sweep", () -> count(jdbc,
        "SELECT COUNT(*) FROM webhook_delivery WHERE subscription_id = 'whk_left_over'"), left -> left == 0, 20);
      assertEquals(20, count(jdbc, "SELECT COUNT(*) FROM webhook_delivery WHERE subscription_id = '" + kept + "'"));
    }
  }

  private static String subscribe(TestService service, WebhookReceiver receiver) {
    HttpResponse<Buffer> subscribed = service.client.request(HttpMethod.POST, "/webhooks")
      .putHeader("Authorization", TestService.basic(TestService.ALICE, TestService.ALICE_PASSWORD))
      .sendJsonObject(new JsonObject().put("url", receiver.url("/hook"))).await();
    assertEquals(200, subscribed.statusCode(), subscribed.bodyAsString());
    return subscribed.bodyAsJsonObject().getJsonObject("data").getString("id");
  }
}
