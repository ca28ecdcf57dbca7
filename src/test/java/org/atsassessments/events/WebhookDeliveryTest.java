package org.atsassessments.events;

import com.standardwebhooks.Webhook;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.ops.FileWatch;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.atsassessments.testing.TestService.ACME;
import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.ALICE_PASSWORD;
import static org.atsassessments.testing.TestService.API_KEY;
import static org.atsassessments.testing.TestService.BOB;
import static org.atsassessments.testing.TestService.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Webhook deliveries against real receivers (an HTTP server of the test on a free port): retries on the schedule,
 * redelivery, 410 Gone, Retry-After, timeouts, redirects, per-subscription isolation and concurrency, disabling
 * after a run of failures, disabled subscriptions and revoked grants. The delivery timings are shortened: most tests
 * share one node (each with subscriptions and receivers of its own, deleted after it), those that need other
 * settings (a short timeout, a long one, disabling after a second, reloading the accounts file) start their own.
 * Every wait is a bounded poll for the outcome, never a sleep that hopes it happened.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookDeliveryTest {

  private static final String CREATED = EventTypes.ORDER_CREATED;
  private static final long WAIT_MS = 10_000;
  /** The shared node's schedule: the first attempt and three repeats, 150 ms apart (each -10 % .. +10 %). */
  private static final String SCHEDULE = "150ms,150ms,150ms";

  private Vertx vertx;
  private TestService service;
  private final List<Receiver> receivers = new ArrayList<>();

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    service = node(vertx, dir, "webhook_retry_schedule", SCHEDULE);
  }

  /** Each test's subscriptions (and their deliveries) go with it, and its receivers stop. */
  @AfterEach
  void removeSubscriptions() {
    HttpResponse<Buffer> listed = webhooks(service, HttpMethod.GET, "/webhooks?page_size=100", null);
    assertEquals(200, listed.statusCode(), listed.bodyAsString());
    for (Object row : listed.bodyAsJsonObject().getJsonArray("data")) {
      String id = ((JsonObject) row).getString("id");
      assertEquals(200, webhooks(service, HttpMethod.DELETE, "/webhooks/" + id, null).statusCode());
    }
    receivers.forEach(receiver -> receiver.server.close().await());
    receivers.clear();
  }

  private Receiver receiver(IntFunction<Answer> answer) {
    Receiver receiver = Receiver.start(vertx, answer);
    receivers.add(receiver);
    return receiver;
  }

  /** Runs {@code test} against a node of its own (its own Vert.x, closed after it) with these settings. */
  private static void ownNode(Path dir, Object[] settings, OwnNodeTest test) throws Exception {
    Vertx own = Vertx.vertx();
    try {
      test.run(own, node(own, dir, settings));
    } finally {
      own.close().await();
    }
  }

  @FunctionalInterface
  private interface OwnNodeTest {
    void run(Vertx vertx, TestService service) throws Exception;
  }

  // ---- a receiver --------------------------------------------------------------------------------------------

  /** What the receiver does with a request: answer a status (with headers), or never answer. */
  private record Answer(int status, Map<String, String> headers) {
    static final Answer OK = new Answer(200, Map.of());
    static final Answer HANG = new Answer(-1, Map.of());

    static Answer status(int status) {
      return new Answer(status, Map.of());
    }
  }

  /** One request the receiver got. */
  private record Hit(long atMs, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** A webhook endpoint: records every request, answers as {@link #answer} says for the n-th one (from 0). */
  private static final class Receiver {
    final List<Hit> hits = new CopyOnWriteArrayList<>();
    final AtomicInteger arrived = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    volatile IntFunction<Answer> answer;
    HttpServer server;

    static Receiver start(Vertx vertx, IntFunction<Answer> answer) {
      Receiver receiver = new Receiver();
      receiver.answer = answer;
      receiver.server = vertx.createHttpServer().requestHandler(receiver::handle).listen(0, "127.0.0.1").await();
      return receiver;
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort() + "/hook";
    }

    private void handle(HttpServerRequest request) {
      int index = arrived.getAndIncrement();
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      HttpServerResponse response = request.response();
      AtomicBoolean over = new AtomicBoolean();
      Runnable done = () -> {
        if (over.compareAndSet(false, true)) inFlight.decrementAndGet();
      };
      response.closeHandler(closed -> done.run());  // a caller that gave up (timed out) closes the connection
      request.body().onSuccess(body -> {
        Map<String, List<String>> headers = new java.util.HashMap<>();
        request.headers().forEach(entry -> headers.computeIfAbsent(entry.getKey().toLowerCase(), k -> new ArrayList<>())
          .add(entry.getValue()));
        hits.add(new Hit(System.currentTimeMillis(), request.path(), Map.copyOf(headers), body.toString()));
        Answer what = answer.apply(index);
        if (what.status() < 0) return;  // never answered
        what.headers().forEach(response::putHeader);
        response.setStatusCode(what.status()).end();
        done.run();
      });
    }

    long count() {
      return hits.size();
    }
  }

  // ---- the node and its API ----------------------------------------------------------------------------------

  private static TestService node(Vertx vertx, Path dir, Object... settings) {
    return TestService.start(vertx, dir, config -> {
      for (int i = 0; i < settings.length; i += 2) config = config.with((String) settings[i], settings[i + 1]);
      return config;
    });
  }

  private static HttpResponse<Buffer> webhooks(TestService service, HttpMethod method, String uri, JsonObject body) {
    var request = service.client.request(method, uri).putHeader("Authorization", TestService.basic(ALICE, ALICE_PASSWORD));
    return body == null ? request.send().await()
      : request.putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()).await();
  }

  /** A subscription of alice's to order creations of acme, answered with its secret. */
  private static JsonObject subscribe(TestService service, String url) {
    return subscribe(service, new JsonObject().put("url", url).put("events", new JsonArray().add(CREATED))
      .put("account_ids", new JsonArray().add(ACME)));
  }

  private static JsonObject subscribe(TestService service, JsonObject body) {
    HttpResponse<Buffer> created = webhooks(service, HttpMethod.POST, "/webhooks", body);
    assertEquals(200, created.statusCode(), created.bodyAsString());
    JsonObject data = created.bodyAsJsonObject().getJsonObject("data");
    assertEquals("active", data.getString("status"));
    return data;
  }

  private static JsonObject subscription(TestService service, String id) {
    HttpResponse<Buffer> read = webhooks(service, HttpMethod.GET, "/webhooks/" + id, null);
    assertEquals(200, read.statusCode(), read.bodyAsString());
    return read.bodyAsJsonObject().getJsonObject("data");
  }

  private static JsonObject patch(TestService service, String id, JsonObject body) {
    HttpResponse<Buffer> patched = webhooks(service, HttpMethod.PATCH, "/webhooks/" + id, body);
    assertEquals(200, patched.statusCode(), patched.bodyAsString());
    return patched.bodyAsJsonObject().getJsonObject("data");
  }

  /** The subscription's deliveries, oldest first (one page: the tests make few). */
  private static List<JsonObject> deliveries(TestService service, String id, String status) {
    HttpResponse<Buffer> listed = webhooks(service, HttpMethod.GET,
      "/webhooks/" + id + "/deliveries" + (status == null ? "" : "?status=" + status), null);
    assertEquals(200, listed.statusCode(), listed.bodyAsString());
    JsonObject body = listed.bodyAsJsonObject();
    assertNull(body.getValue("next"), "one page");
    List<JsonObject> list = new ArrayList<>();
    body.getJsonArray("data").forEach(item -> list.add((JsonObject) item));
    return list;
  }

  /** The subscription's only delivery. */
  private static JsonObject delivery(TestService service, String id) {
    List<JsonObject> all = deliveries(service, id, null);
    assertEquals(1, all.size(), all.toString());
    return all.get(0);
  }

  private static List<Integer> statusCodes(JsonObject delivery) {
    List<Integer> codes = new ArrayList<>();
    delivery.getJsonArray("attempts").forEach(attempt -> codes.add(((JsonObject) attempt).getInteger("status_code")));
    return codes;
  }

  private static int attempts(JsonObject delivery) {
    return delivery.getJsonArray("attempts").size();
  }

  private static JsonObject lastAttempt(JsonObject delivery) {
    JsonArray attempts = delivery.getJsonArray("attempts");
    return attempts.getJsonObject(attempts.size() - 1);
  }

  /** An order of acme posted as alice; answers its id. */
  private static String order(TestService service, String remoteId) {
    return service.orderId(remoteId);
  }

  /** An order posted as {@code user} on {@code account}; answers its id. */
  /** Polls {@code probe} (every 50 ms, at most {@link #WAIT_MS}) until {@code done} holds; answers that value. */
  private static <T> T await(String what, Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) fail("not within " + WAIT_MS + " ms: " + what + "; last seen: " + last);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      last = probe.get();
    }
    return last;
  }

  private static JsonObject awaitDelivery(TestService service, String id, String what, Predicate<JsonObject> done) {
    // a delivery is listed once its first attempt's outcome is written (or it has waited a second without one)
    return await(what, () -> {
      List<JsonObject> all = deliveries(service, id, null);
      assertTrue(all.size() <= 1, all.toString());
      return all.isEmpty() ? null : all.get(0);
    }, delivery -> delivery != null && done.test(delivery));
  }

  private static Predicate<JsonObject> inState(String state) {
    return delivery -> state.equals(delivery.getString("state"));
  }

  // ---- the cases ---------------------------------------------------------------------------------------------

  @Test
  void aFailingReceiverGetsTheEventOnceItAnswersWithTheSameWebhookIdEveryTime() throws Exception {
    int failures = 3;
    Receiver receiver = receiver(n -> n < failures ? Answer.status(500) : Answer.OK);
    JsonObject subscription = subscribe(service, receiver.url());
    String orderId = order(service, "retried-1");

    JsonObject delivery = awaitDelivery(service, subscription.getString("id"), "the delivery succeeded",
      inState("succeeded"));

    assertEquals(List.of(500, 500, 500, 200), statusCodes(delivery), delivery.encodePrettily());
    assertEquals(failures + 1, receiver.count());
    assertEquals(CREATED, delivery.getString("type"));
    assertEquals(ACME, delivery.getString("account_id"));
    assertNull(delivery.getValue("next_attempt_at"));
    String eventId = delivery.getString("event_id");
    for (int i = 0; i < attempts(delivery); i++) {
      JsonObject attempt = delivery.getJsonArray("attempts").getJsonObject(i);
      assertTrue(attempt.getLong("duration_ms") >= 0);
      Instant.parse(attempt.getString("at"));
      if (i < failures) assertEquals("HTTP 500", attempt.getString("error")); else assertNull(attempt.getValue("error"));
    }
    Webhook verifier = new Webhook(subscription.getString("secret"));
    for (Hit hit : receiver.hits) {
      assertEquals(eventId, hit.header("webhook-id"), "every repeat is the same message");
      assertEquals("/hook", hit.path());
      assertEquals("application/json", hit.header("content-type"));
      assertTrue(hit.header("x-stackone-signature") != null && !hit.header("x-stackone-signature").isBlank());
      verifier.verify(hit.body(), hit.headers());
      JsonObject body = hit.json();
      assertEquals(eventId, body.getString("id"));
      assertEquals(CREATED, body.getString("event"));
      assertEquals(ACME, body.getString("account_id"));
      assertEquals(orderId, body.getString("record_id"));
      assertEquals("retried-1", body.getString("record_remote_id"));
      assertEquals(orderId, body.getJsonObject("event_data").getString("id"));
    }
    // the repeats came on the schedule (150 ms, -10 %), not at once
    for (int i = 1; i < receiver.hits.size(); i++) {
      long gap = receiver.hits.get(i).atMs() - receiver.hits.get(i - 1).atMs();
      assertTrue(gap >= 125, "attempt " + (i + 1) + " came " + gap + " ms after the previous one");
    }
  }

  @Test
  void aDeliveryFailedAfterTheLastAttemptIsMadeAgainByRedeliver() {
    Receiver receiver = receiver(n -> Answer.status(503));
    String id = subscribe(service, receiver.url()).getString("id");
    order(service, "redelivered-1");

    JsonObject failed = awaitDelivery(service, id, "the delivery failed", inState("failed"));
    assertEquals(List.of(503, 503, 503, 503), statusCodes(failed), "the first attempt and one per step of the schedule");
    assertNull(failed.getValue("next_attempt_at"));
    assertEquals(1, deliveries(service, id, "failed").size());
    assertEquals(0, deliveries(service, id, "succeeded").size());
    assertEquals(4, receiver.count());

    receiver.answer = n -> Answer.OK;
    long asked = System.currentTimeMillis();
    HttpResponse<Buffer> redelivered = webhooks(service, HttpMethod.POST,
      "/webhooks/" + id + "/deliveries/" + failed.getString("event_id") + "/redeliver", null);
    assertEquals(200, redelivered.statusCode(), redelivered.bodyAsString());
    JsonObject data = redelivered.bodyAsJsonObject().getJsonObject("data");
    assertEquals(failed.getString("event_id"), data.getString("event_id"));
    assertEquals("pending", data.getString("state"));

    JsonObject succeeded = awaitDelivery(service, id, "the redelivery succeeded", inState("succeeded"));
    assertEquals(List.of(503, 503, 503, 503, 200), statusCodes(succeeded));
    assertEquals(5, receiver.count());
    assertTrue(receiver.hits.get(4).atMs() - asked < 2_000, "redelivered at once");
    assertEquals(failed.getString("event_id"), receiver.hits.get(4).header("webhook-id"));
    assertEquals(1, deliveries(service, id, "succeeded").size());
    assertEquals(0, deliveries(service, id, "failed").size());

    HttpResponse<Buffer> unknown = webhooks(service, HttpMethod.POST, "/webhooks/" + id + "/deliveries/nope/redeliver", null);
    assertEquals(404, unknown.statusCode());
  }

  @Test
  void a410GoneDisablesTheSubscriptionAtOnce() {
    Receiver receiver = receiver(n -> Answer.status(410));
    Receiver other = receiver(n -> Answer.OK);
    String id = subscribe(service, receiver.url()).getString("id");
    String otherId = subscribe(service, other.url()).getString("id");
    order(service, "gone-1");

    JsonObject disabled = await("the subscription disabled", () -> subscription(service, id),
      row -> "disabled".equals(row.getString("status")));
    assertTrue(disabled.getString("disabled_reason").contains("410"), disabled.encode());
    JsonObject delivery = awaitDelivery(service, id, "the attempt recorded", d -> attempts(d) > 0);
    assertEquals("failed", delivery.getString("state"), "no retry after a 410");
    assertEquals(List.of(410), statusCodes(delivery));

    // later events: none for the disabled subscription (deliveries are made in the order's transaction), while
    // the other one gets them; by then the first event is past its schedule too
    order(service, "gone-2");
    order(service, "gone-3");
    await("the other subscription got all three", other::count, n -> n == 3);
    assertEquals(1, deliveries(service, id, null).size());
    assertEquals(3, await("the other's deliveries recorded", () -> deliveries(service, otherId, "succeeded"),
      list -> list.size() == 3).size());
    assertEquals(List.of(410), statusCodes(delivery(service, id)));
    assertEquals(1, receiver.count());
    assertEquals("disabled", subscription(service, id).getString("status"));
  }

  @Test
  void retryAfterOfA429IsHonoured() {
    Receiver receiver = receiver(n -> n == 0 ? new Answer(429, Map.of("Retry-After", "2")) : Answer.OK);
    String id = subscribe(service, receiver.url()).getString("id");
    order(service, "later-1");

    JsonObject waiting = awaitDelivery(service, id, "the first attempt logged", d -> attempts(d) >= 1);
    if ("pending".equals(waiting.getString("state"))) {
      long first = Instant.parse(lastAttempt(waiting).getString("at")).toEpochMilli();
      long next = Instant.parse(waiting.getString("next_attempt_at")).toEpochMilli();
      assertTrue(next - first >= 2_000, "next attempt due " + (next - first) + " ms after the first");
    }
    JsonObject succeeded = awaitDelivery(service, id, "the delivery succeeded", inState("succeeded"));
    assertEquals(List.of(429, 200), statusCodes(succeeded));
    long gap = receiver.hits.get(1).atMs() - receiver.hits.get(0).atMs();
    assertTrue(gap >= 1_950, "the second attempt came " + gap + " ms after the 429, not after Retry-After's 2 s");
    assertTrue(gap < 5_000, "but not much later either: " + gap + " ms");
  }

  @Test
  void anAttemptNotAnsweredInTimeIsLoggedAsTimedOutAndRetried(@TempDir Path dir) throws Exception {
    ownNode(dir, new Object[] {"webhook_retry_schedule", "200ms,200ms", "webhook_timeout_ms", 300, "webhook_lease_ms", 5_000},
      (vertx, service) -> {
        Receiver receiver = Receiver.start(vertx, n -> Answer.HANG);
        String id = subscribe(service, receiver.url()).getString("id");
        order(service, "silent-1");

        JsonObject failed = awaitDelivery(service, id, "every attempt timed out", inState("failed"));
        assertEquals(3, attempts(failed), failed.encodePrettily());
        for (Object item : failed.getJsonArray("attempts")) {
          JsonObject attempt = (JsonObject) item;
          assertNull(attempt.getValue("status_code"), attempt.encode());
          assertTrue(attempt.getString("error").startsWith("timed out"), attempt.encode());
          long took = attempt.getLong("duration_ms");
          assertTrue(took >= 250 && took < 3_000, "gave up after " + took + " ms");
        }
        assertEquals(3, receiver.count());
        String eventId = failed.getString("event_id");
        receiver.hits.forEach(hit -> assertEquals(eventId, hit.header("webhook-id")));
        await("the abandoned requests closed", receiver.inFlight::get, n -> n == 0);
      });
  }

  @Test
  void aRedirectIsNotFollowedAndCountsAsAFailure() {
    Receiver target = receiver(n -> Answer.OK);
    Receiver receiver = receiver(n -> new Answer(302, Map.of("Location", target.url())));
    String id = subscribe(service, receiver.url()).getString("id");
    order(service, "moved-1");

    JsonObject failed = awaitDelivery(service, id, "the delivery failed", inState("failed"));
    assertEquals(List.of(302, 302, 302, 302), statusCodes(failed));
    assertEquals("HTTP 302", lastAttempt(failed).getString("error"));
    assertEquals(4, receiver.count());
    assertEquals(0, target.count(), "the Location was never called");
  }

  @Test
  void aHangingEndpointHoldsOnlyItsOwnDeliveriesAndAtMostItsConcurrency(@TempDir Path dir) throws Exception {
    int concurrency = 2;
    int orders = 6;
    // the stuck endpoint's attempts are not given up within the test (30 s timeout): its slots stay taken, and an
    // endpoint that had to wait for them would get nothing within the waits below (10 s at most)
    ownNode(dir, new Object[] {"webhook_concurrency_per_endpoint", concurrency, "webhook_lease_ms", 60_000,
      "webhook_timeout_ms", 30_000}, (vertx, service) -> {
      Receiver stuck = Receiver.start(vertx, n -> Answer.HANG);
      Receiver prompt = Receiver.start(vertx, n -> Answer.OK);
      String stuckId = subscribe(service, stuck.url()).getString("id");
      String promptId = subscribe(service, prompt.url()).getString("id");

      List<String> created = new ArrayList<>();
      for (int i = 0; i < orders; i++) created.add(order(service, "busy-" + i));
      await("the prompt endpoint got every event", prompt::count, n -> n == orders);
      assertEquals(Set.copyOf(created), prompt.hits.stream().map(hit -> hit.json().getString("record_id"))
        .collect(Collectors.toSet()));
      await("the stuck endpoint holds its concurrency", stuck.inFlight::get, n -> n == concurrency);

      // more events while the stuck endpoint is full: the prompt one gets them too, the stuck one no more requests
      for (int i = orders; i < 2 * orders; i++) created.add(order(service, "busy-" + i));
      await("the prompt endpoint got the later events", prompt::count, n -> n == 2 * orders);
      await("the prompt deliveries recorded", () -> deliveries(service, promptId, "succeeded"),
        list -> list.size() == 2 * orders);
      assertEquals(concurrency, stuck.maxInFlight.get(), "at most webhook_concurrency_per_endpoint in flight");
      assertEquals(concurrency, stuck.arrived.get(), "the others wait their turn");
      // held in memory, without an outcome: listed once they have waited WRITE_DOWN_AFTER_MS (in flight or queued)
      List<JsonObject> stuckDeliveries = await("the stuck endpoint's deliveries listed", () -> deliveries(service, stuckId, null),
        list -> list.size() == 2 * orders);
      for (JsonObject delivery : stuckDeliveries) {
        assertEquals("pending", delivery.getString("state"));
        assertEquals(0, attempts(delivery), "nothing answered yet");
      }
    });
  }

  @Test
  void aSubscriptionWhoseDeliveriesAllFailForDisableAfterIsDisabled(@TempDir Path dir) throws Exception {
    ownNode(dir, new Object[] {"webhook_retry_schedule", "150ms,150ms,150ms,150ms,150ms,150ms,150ms,150ms,150ms,150ms",
      "webhook_disable_after", "1s"}, (vertx, service) -> {
      Receiver receiver = Receiver.start(vertx, n -> Answer.status(500));
      String id = subscribe(service, receiver.url()).getString("id");
      order(service, "failing-1");

      JsonObject disabled = await("the subscription disabled", () -> subscription(service, id),
        row -> "disabled".equals(row.getString("status")));
      String reason = disabled.getString("disabled_reason");
      assertTrue(reason != null && reason.contains("failed"), reason);
      int made = receiver.hits.size();
      assertTrue(made >= 2 && made < 11, made + " attempts");
      assertTrue(receiver.hits.get(made - 1).atMs() - receiver.hits.get(0).atMs() >= 900,
        "disabled only after about 1 s of failures");
      assertEquals("pending", delivery(service, id).getString("state"), "the delivery waits for the subscription");

      // re-enabled, it starts afresh: the waiting delivery and a new one arrive, and it stays active
      receiver.answer = n -> Answer.OK;
      patch(service, id, new JsonObject().put("status", "active"));
      order(service, "failing-2");
      await("both delivered", () -> deliveries(service, id, "succeeded"), list -> list.size() == 2);
      assertEquals("active", subscription(service, id).getString("status"));
    });
  }

  @Test
  void aDisabledSubscriptionGetsNothingAndReEnabledItGetsLaterEvents() {
    Receiver receiver = receiver(n -> Answer.OK);
    Receiver marker = receiver(n -> Answer.OK);
    String id = subscribe(service, receiver.url()).getString("id");
    subscribe(service, marker.url());

    JsonObject disabled = patch(service, id, new JsonObject().put("status", "disabled"));
    assertEquals("disabled", disabled.getString("status"));
    assertEquals("disabled by its owner", disabled.getString("disabled_reason"));
    String whileDisabled = order(service, "paused-1");
    await("the marker subscription got the event", marker::count, n -> n == 1);
    assertEquals(List.of(), deliveries(service, id, null), "no delivery made for a disabled subscription");

    JsonObject active = patch(service, id, new JsonObject().put("status", "active"));
    assertEquals("active", active.getString("status"));
    assertNull(active.getValue("disabled_reason"));
    String afterwards = order(service, "paused-2");

    await("the re-enabled subscription got the later event", receiver::count, n -> n >= 1);
    await("the marker subscription got both", marker::count, n -> n == 2);
    assertEquals(List.of(afterwards), receiver.hits.stream().map(hit -> hit.json().getString("record_id")).toList());
    assertFalse(receiver.hits.stream().anyMatch(hit -> whileDisabled.equals(hit.json().getString("record_id"))));
    awaitDelivery(service, id, "its delivery recorded", inState("succeeded"));
  }

  @Test
  void aRevokedGrantStopsDeliveries(@TempDir Path dir) throws Exception {
    ownNode(dir, new Object[] {"config_reload_ms", 100, "webhook_retry_schedule", "300ms,300ms,300ms,300ms,300ms"},
      (vertx, service) -> revokedGrant(vertx, service, dir));
  }

  private static void revokedGrant(Vertx vertx, TestService service, Path dir) throws Exception {
    AtomicInteger ok = new AtomicInteger();
    Receiver receiver = Receiver.start(vertx, n -> Answer.status(500));
    // no account_ids: every account granted to alice (acme, globex), whoever writes on them
    String id = subscribe(service, new JsonObject().put("url", receiver.url())).getString("id");

    // an acme order posted by api-key: alice's subscription gets it (and fails it for now: it is retried)
    String before = service.orderIdAs("granted-1", API_KEY, "", ACME);
    await("the first attempt", receiver::count, n -> n >= 1);
    assertEquals(before, receiver.hits.get(0).json().getString("record_id"));

    // acme is taken from alice; once every watch of the node reloaded the file, the receiver would answer 200
    Path accounts = Path.of(service.config.accounts());
    Logger watchLogger = Logger.getLogger(FileWatch.class.getName());
    Level level = watchLogger.getLevel();
    List<String> logged = new CopyOnWriteArrayList<>();
    Handler watch = new Handler() {
      @Override
      public void publish(LogRecord record) {
        logged.add(record.getMessage());
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    watchLogger.addHandler(watch);
    try {
      watchLogger.setLevel(Level.INFO);  // "reloaded <file>" is logged at INFO
      Path written = dir.resolve("accounts.json.new");
      Files.writeString(written, new JsonObject().put("accounts", new JsonArray()
        .add(new JsonObject().put("id", ACME).put("name", ACME).put("status", "active").put("users", new JsonArray().add(API_KEY)))
        .add(new JsonObject().put("id", GLOBEX).put("name", GLOBEX).put("status", "active")
          .put("users", new JsonArray().add(ALICE).add(BOB)))).encode());
      Files.move(written, accounts, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      int watches = service.config.httpInstances() + 1;  // each HTTP verticle's edge, and the repository's
      String reloaded = "reloaded " + accounts;
      await("every watch reloaded " + accounts, () -> logged.stream().filter(reloaded::equals).count(),
        n -> n >= watches);
    } finally {
      watchLogger.removeHandler(watch);
      watchLogger.setLevel(level);
    }
    receiver.answer = n -> {
      ok.incrementAndGet();
      return Answer.OK;
    };

    // the pending delivery's next attempts are not sent: the grant is checked again for each
    JsonObject stopped = await("the pending delivery stopped by the grant", () -> deliveries(service, id, null).get(0),
      d -> lastAttempt(d).getString("error") != null && lastAttempt(d).getString("error").contains("no longer granted"));
    assertNull(lastAttempt(stopped).getValue("status_code"), stopped.encode());
    assertTrue(lastAttempt(stopped).getString("error").contains(ACME), stopped.encode());

    // a later acme order: not delivered to alice's subscription (no delivery, or one never sent for the grant)
    String after = service.orderIdAs("revoked-1", API_KEY, "", ACME);
    // alice keeps globex: that event is delivered, so the subscription itself still works
    String globex = service.orderIdAs("kept-1", ALICE, ALICE_PASSWORD, GLOBEX);
    await("the globex event delivered", () -> receiver.hits.stream()
      .anyMatch(hit -> globex.equals(hit.json().getString("record_id"))), Boolean::booleanValue);
    await("the first delivery given up", () -> deliveries(service, id, null).get(0), inState("failed"));

    assertEquals(1, ok.get(), "only the globex event was answered 200");
    assertFalse(receiver.hits.stream().anyMatch(hit -> after.equals(hit.json().getString("record_id"))));
    // the globex delivery is listed once its outcome is written, a moment after the receiver answered
    List<JsonObject> all = await("the globex delivery recorded", () -> deliveries(service, id, null),
      list -> list.stream().anyMatch(d -> GLOBEX.equals(d.getString("account_id"))));
    assertTrue(all.size() == 2 || all.size() == 3, all.toString());
    for (JsonObject delivery : all.subList(1, all.size())) {
      if (!ACME.equals(delivery.getString("account_id"))) continue;
      for (Object attempt : delivery.getJsonArray("attempts")) {
        assertTrue(((JsonObject) attempt).getString("error").contains("no longer granted"), delivery.encode());
      }
    }
    assertEquals("active", subscription(service, id).getString("status"));
  }
}
