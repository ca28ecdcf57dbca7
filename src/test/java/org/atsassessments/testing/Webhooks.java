package org.atsassessments.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.testing.WebhookReceiver.Delivery;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** The webhook API and the event feed of a jar process, as the tests that run the jar use them. */
public final class Webhooks {

  public static final String EVENTS = "/unified/ats/assessments/events";

  private Webhooks() {
  }

  /** A subscription of the demo user to these event types at {@code url}; answers its id. */
  public static String subscribe(JarProcess node, String url, String... events) throws Exception {
    JsonObject body = new JsonObject().put("url", url);
    if (events.length > 0) body.put("events", new JsonArray(List.of((Object[]) events)));
    HttpResponse<String> created = node.send("POST", "/webhooks", body.encode());
    assertEquals(200, created.statusCode(), created.body());
    return new JsonObject(created.body()).getJsonObject("data").getString("id");
  }

  /** Every event of the demo account of this type in the feed, oldest first. */
  public static List<JsonObject> feed(JarProcess node, String type) throws Exception {
    List<JsonObject> events = new ArrayList<>();
    String next = null;
    do {
      HttpResponse<String> page = node.send("GET", EVENTS + "?page_size=100&filter%5Btype%5D=" + type
        + (next == null ? "" : "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)), null);
      assertEquals(200, page.statusCode(), page.body());
      JsonObject body = new JsonObject(page.body());
      body.getJsonArray("data").forEach(event -> events.add((JsonObject) event));
      next = body.getString("next");
    } while (next != null);
    return events;
  }

  /**
   * Waits until none of the subscription's deliveries is pending (each succeeded or failed, its outcome recorded):
   * from then on nothing more is sent. Answers how long it took.
   */
  public static long awaitNothingPending(JarProcess node, String subscription, long timeoutMs) throws Exception {
    long started = System.currentTimeMillis();
    while (true) {
      HttpResponse<String> pending = node.send("GET", "/webhooks/" + subscription + "/deliveries?status=pending&page_size=5", null);
      assertEquals(200, pending.statusCode(), pending.body());
      JsonArray data = new JsonObject(pending.body()).getJsonArray("data");
      if (data.isEmpty()) return System.currentTimeMillis() - started;
      if (System.currentTimeMillis() - started > timeoutMs) {
        fail("deliveries still pending after " + timeoutMs + " ms: " + data.encode());
      }
      Thread.sleep(100);
    }
  }

  /**
   * The deliveries by event: each request's webhook-id is its body's id, and every repeat of an event sent the same
   * body (apart from sent_at).
   */
  public static Map<String, List<Delivery>> byEvent(List<Delivery> deliveries) {
    Map<String, List<Delivery>> byEvent = new HashMap<>();
    Map<String, JsonObject> bodies = new HashMap<>();
    for (Delivery delivery : deliveries) {
      JsonObject body = delivery.json();
      String id = body.getString("id");
      assertEquals(id, delivery.webhookId(), "webhook-id is the event's id");
      body.remove("sent_at");
      JsonObject first = bodies.putIfAbsent(id, body);
      if (first != null) assertEquals(first, body, "a repeat of event " + id + " sent the same event");
      byEvent.computeIfAbsent(id, key -> new ArrayList<>()).add(delivery);
    }
    return byEvent;
  }
}
