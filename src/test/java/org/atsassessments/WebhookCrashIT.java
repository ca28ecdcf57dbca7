package org.atsassessments;

import org.atsassessments.testing.NodeLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.atsassessments.events.EventTypes;
import org.atsassessments.testing.JarProcess;
import org.atsassessments.testing.WebhookReceiver;
import org.atsassessments.testing.WebhookReceiver.Delivery;
import org.atsassessments.testing.Webhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.atsassessments.testing.TestStores;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks survive {@code kill -9}, on each store: the jar delivers to a receiver that answers 200 after 30 ms (so attempts
 * are in flight) while a burst of orders is posted by 16 clients; the process is killed half-way through it and
 * started again (on the same data directory; on PostgreSQL the new process is another node, which takes over the
 * deliveries the killed one held in memory once it has been silent for {@code webhook_lease_ms}). Every committed
 * order's event (the feed of the restarted process) reaches the receiver at least once, repeats with the same
 * webhook-id and the same event. Prints how many were sent twice.
 */
@ExtendWith(NodeLogs.class)
class WebhookCrashIT {

  private static final int ORDERS = 300;
  private static final int CLIENTS = 16;
  private static final long ANSWER_AFTER_MS = 30;
  private static final String PREFIX = "burst-";

  private final List<JarProcess> nodes = new ArrayList<>();
  private Vertx vertx;
  private WebhookReceiver receiver;

  @AfterEach
  void stop() throws InterruptedException {
    for (JarProcess node : nodes) node.kill();
    if (receiver != null) receiver.close();
    if (vertx != null) vertx.close().await();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres"})
  void everyCommittedEventReachesTheReceiverAfterKillMinus9AndRepeatsKeepTheirWebhookId(String store, @TempDir Path dir)
      throws Exception {
    vertx = Vertx.vertx();
    receiver = WebhookReceiver.start(vertx, ANSWER_AFTER_MS);
    Map<String, String> env = JarProcess.demoEnvironment(dir);
    env.put("ATS_DATA_DIR", dir.resolve("data").toString());
    if (store.equals("postgres")) {
      env.put("ATS_STORE", "postgres");
      env.put("ATS_PG_URL", "postgresql://postgres@" + TestStores.PG_HOST + "/" + TestStores.createDatabase());
      // the killed node's held deliveries and leases are taken over once it has been silent this long
      env.put("ATS_WEBHOOK_LEASE_MS", "3000");
      env.put("ATS_WEBHOOK_TIMEOUT_MS", "1000");
    }
    env.put("ATS_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true");
    env.put("ATS_WEBHOOK_POLL_MS", "100");
    // an attempt the kill cut short is not an answer the receiver gave; should any fail, it is tried again soon
    env.put("ATS_WEBHOOK_RETRY_SCHEDULE", "500ms,1s,1s,1s,1s");
    JarProcess first = start(dir, "first", env).awaitReady(60);
    String subscription = Webhooks.subscribe(first, receiver.url(), EventTypes.ORDER_CREATED);

    // the burst, killed half-way through it while deliveries are in flight at the receiver
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean killed = new AtomicBoolean();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    for (int c = 0; c < CLIENTS; c++) {
      clients.submit(() -> {
        int n;
        while (!killed.get() && (n = next.getAndIncrement()) < ORDERS) {
          try {
            HttpResponse<String> created = first.createOrder(PREFIX + n);
            if (created.statusCode() == 200) acknowledged.add(new JsonObject(created.body()).getString("id"));
          } catch (IOException killedUnderIt) {
            // the process died under this request: nothing was acknowledged
          }
        }
        return null;
      });
    }
    long began = System.nanoTime();
    long deadline = began + TimeUnit.SECONDS.toNanos(20);
    while ((acknowledged.size() < ORDERS / 2 || receiver.inFlight() == 0) && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    int inFlightAtKill = receiver.inFlight();
    int receivedAtKill = receiver.received().size();
    int acknowledgedAtKill = acknowledged.size();
    first.kill();
    killed.set(true);
    long killedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
    clients.shutdown();
    assertTrue(clients.awaitTermination(20, TimeUnit.SECONDS));
    assertTrue(inFlightAtKill > 0, "deliveries in flight at the kill: received " + receivedAtKill + ", in flight "
      + inFlightAtKill + " after " + killedAfterMs + " ms");

    // the same data directory: every committed event is in the feed, and each reaches the receiver
    long restarting = System.nanoTime();
    JarProcess second = start(dir, "after-kill", env).awaitReady(60);
    List<JsonObject> feed = Webhooks.feed(second, EventTypes.ORDER_CREATED).stream()
      .filter(event -> event.getString("record_remote_id").startsWith(PREFIX)).toList();
    Set<String> events = new HashSet<>();
    Set<String> ordersWithEvents = new HashSet<>();
    for (JsonObject event : feed) {
      events.add(event.getString("id"));
      ordersWithEvents.add(event.getString("record_id"));
    }
    assertEquals(feed.size(), ordersWithEvents.size(), "one created event per order");
    assertTrue(ordersWithEvents.containsAll(acknowledged), "acknowledged orders without an event: "
      + acknowledged.stream().filter(id -> !ordersWithEvents.contains(id)).toList());
    Set<String> missing = receiver.awaitIds(events, 30_000);
    long allReceivedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarting);
    assertTrue(missing.isEmpty(), missing.size() + " of " + events.size() + " committed events never reached the receiver: "
      + missing);
    long settledMs = Webhooks.awaitNothingPending(second, subscription, 20_000);
    // the deliveries the killed node held in memory (no rows yet) were written down by the new one
    java.util.regex.Matcher tookOver = java.util.regex.Pattern.compile("went silent; (\\d+) deliveries it held without")
      .matcher(java.nio.file.Files.readString(second.log));
    assertTrue(tookOver.find(), "the restarted process took the killed one's held deliveries over (its log)");
    int heldAtKill = Integer.parseInt(tookOver.group(1));
    assertTrue(heldAtKill > 0, "the killed process held deliveries without rows");

    List<Delivery> received = receiver.received().stream()
      .filter(delivery -> delivery.json().getString("record_remote_id").startsWith(PREFIX)).toList();
    Map<String, List<Delivery>> byEvent = Webhooks.byEvent(received);
    assertEquals(events, byEvent.keySet(), "every delivery is of a committed event");
    int duplicates = received.size() - byEvent.size();
    long twice = byEvent.values().stream().filter(sent -> sent.size() > 1).count();
    int most = byEvent.values().stream().mapToInt(List::size).max().orElse(0);
    System.out.printf("webhooks after kill -9 on " + store + ": killed %d ms into a burst of %d orders by %d clients (%d acknowledged,"
        + " %d deliveries received, %d in flight at the receiver); %d orders committed in all (%d acknowledged), every"
        + " one's event received within %d ms of the restart (nothing pending %d ms later; %d deliveries the killed"
        + " process held in memory without rows taken over); %d deliveries for %d events:"
        + " %d duplicates (%d events sent more than once, at most %d times), each with the same webhook-id and event%n",
      killedAfterMs, ORDERS, CLIENTS, acknowledgedAtKill, receivedAtKill, inFlightAtKill, events.size(), acknowledged.size(),
      allReceivedMs, settledMs, heldAtKill, received.size(), byEvent.size(), duplicates, twice, most);
  }

  private JarProcess start(Path dir, String name, Map<String, String> env) throws IOException {
    JarProcess node = JarProcess.start(dir, name, env);
    nodes.add(node);
    return node;
  }
}
