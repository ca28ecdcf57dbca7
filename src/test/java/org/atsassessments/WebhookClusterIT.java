package org.atsassessments;

import org.atsassessments.testing.NodeLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.atsassessments.events.EventTypes;
import org.atsassessments.testing.JarProcess;
import org.atsassessments.testing.TestService;
import org.atsassessments.testing.TestStores;
import org.atsassessments.testing.WebhookReceiver;
import org.atsassessments.testing.WebhookReceiver.Delivery;
import org.atsassessments.testing.Webhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks from a cluster: two repository nodes of the jar on one PostgreSQL database and an http node, clustered
 * over Hazelcast on loopback. Orders posted through the http node are written by either repository node, and each
 * node delivers the events of its own writes (and claims due ones with FOR UPDATE SKIP LOCKED): with nothing
 * failing, every event reaches the receiver exactly once, and both repository nodes made attempts (each node's
 * {@code ats_webhook_attempts_total} on /metrics).
 */
@ExtendWith(NodeLogs.class)
class WebhookClusterIT {

  private static final int ORDERS = 80;
  private static final int CLIENTS = 8;
  private static final String PREFIX = "clustered-";

  private final List<JarProcess> nodes = new ArrayList<>();
  private Vertx vertx;
  private WebhookReceiver receiver;

  @AfterEach
  void stop() throws InterruptedException {
    for (JarProcess node : nodes) node.kill();
    if (receiver != null) receiver.close();
    if (vertx != null) vertx.close().await();
  }

  @Test
  void everyEventIsDeliveredExactlyOnceByTwoRepositoryNodes(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    receiver = WebhookReceiver.start(vertx, 5);
    String cluster = "ats-webhooks-" + UUID.randomUUID();
    String database = TestStores.createDatabase();
    List<Integer> hazelcastPorts = List.of(TestService.freePort(), TestService.freePort(), TestService.freePort());
    int repository1Metrics = TestService.freePort();
    int repository2Metrics = TestService.freePort();
    long starting = System.nanoTime();
    // all three at once on an empty database: Flyway's lock lets one repository node migrate while the other waits
    JarProcess repository1 = start(dir, "repository-1", env(dir, "repository", cluster, database, hazelcastPorts, 0,
      repository1Metrics));
    JarProcess repository2 = start(dir, "repository-2", env(dir, "repository", cluster, database, hazelcastPorts, 1,
      repository2Metrics));
    JarProcess http = start(dir, "http", env(dir, "http", cluster, database, hazelcastPorts, 2, 0));
    repository1.awaitReady(90);
    repository2.awaitReady(90);
    http.awaitReady(90);
    long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - starting);
    String subscription = Webhooks.subscribe(http, receiver.url(), EventTypes.ORDER_CREATED);
    // "ready" is one repository answering: until the http node has read both nodes' registrations (it reads them
    // every second) its orders may all go to one. Warm-up orders until each node has delivered some, then the
    // measured ones, counted from there.
    int[] ports = {repository1Metrics, repository2Metrics};
    long[] before = new long[2];
    long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (int w = 0; before[0] == 0 || before[1] == 0; w++) {
      assertTrue(System.nanoTime() < warmUntil, "the http node did not send orders to both repository nodes within 20 s: "
        + before[0] + " and " + before[1] + " deliveries");
      assertEquals(200, http.createOrder("warm-up-" + w).statusCode());
      if (w % 4 == 3) {
        Thread.sleep(200);
        for (int i = 0; i < 2; i++) before[i] = attempts(metrics(ports[i]), "succeeded");
      }
    }
    Webhooks.awaitNothingPending(http, subscription, 20_000);
    for (int i = 0; i < 2; i++) before[i] = attempts(metrics(ports[i]), "succeeded");

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    List<String> refused = new CopyOnWriteArrayList<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    long began = System.nanoTime();
    for (int c = 0; c < CLIENTS; c++) {
      clients.submit(() -> {
        int n;
        while ((n = next.getAndIncrement()) < ORDERS) {
          HttpResponse<String> created = http.createOrder(PREFIX + n);
          if (created.statusCode() == 200) {
            acknowledged.add(new JsonObject(created.body()).getString("id"));
          } else {
            refused.add(created.statusCode() + " " + created.body());
          }
        }
        return null;
      });
    }
    clients.shutdown();
    assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS), "the orders were posted within 30 s");
    long postedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
    assertEquals(List.of(), refused);
    assertEquals(ORDERS, acknowledged.size());

    List<JsonObject> feed = Webhooks.feed(http, EventTypes.ORDER_CREATED).stream()
      .filter(event -> event.getString("record_remote_id").startsWith(PREFIX)).toList();
    Set<String> events = new HashSet<>();
    Set<String> ordersWithEvents = new HashSet<>();
    for (JsonObject event : feed) {
      events.add(event.getString("id"));
      ordersWithEvents.add(event.getString("record_id"));
    }
    assertEquals(acknowledged, ordersWithEvents, "one created event per order in the feed");
    assertEquals(ORDERS, events.size());
    Set<String> missing = receiver.awaitIds(events, 30_000);
    long receivedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
    assertTrue(missing.isEmpty(), missing.size() + " events never reached the receiver: " + missing);
    Webhooks.awaitNothingPending(http, subscription, 20_000);

    List<Delivery> received = receiver.received().stream()
      .filter(delivery -> delivery.json().getString("record_remote_id").startsWith(PREFIX)).toList();
    Map<String, List<Delivery>> byEvent = Webhooks.byEvent(received);
    assertEquals(events, byEvent.keySet(), "every delivery is of a committed event");
    List<String> repeated = byEvent.entrySet().stream().filter(e -> e.getValue().size() > 1)
      .map(e -> e.getKey() + " x" + e.getValue().size()).toList();
    assertEquals(List.of(), repeated, "with nothing failing, each event is delivered once");
    assertEquals(ORDERS, received.size());

    // who made the attempts: each repository node's own counters
    long[] succeeded = new long[2];
    long[] others = new long[2];
    for (int i = 0; i < 2; i++) {
      String metrics = metrics(ports[i]);
      succeeded[i] = attempts(metrics, "succeeded") - before[i];
      others[i] = attempts(metrics, "retrying") + attempts(metrics, "failed");
    }
    assertEquals(ORDERS, succeeded[0] + succeeded[1], "attempts that succeeded, both nodes together");
    assertEquals(0, others[0] + others[1], "attempts that did not succeed");
    assertTrue(succeeded[0] > 0 && succeeded[1] > 0, "both repository nodes made attempts: " + succeeded[0] + " and "
      + succeeded[1]);
    System.out.println("webhooks from two repository nodes on PostgreSQL: three nodes ready in " + readyMs + " ms; "
      + ORDERS + " orders posted through an http node by " + CLIENTS + " clients in " + postedMs + " ms, every event"
      + " received " + receivedMs + " ms after the first post, each exactly once; attempts made by the repository"
      + " nodes: " + succeeded[0] + " and " + succeeded[1]);
  }

  private Map<String, String> env(Path dir, String role, String cluster, String database, List<Integer> hazelcastPorts,
                                  int index, int metricsPort) throws IOException {
    Map<String, String> env = JarProcess.demoEnvironment(dir);
    env.put("ATS_ROLE", role);
    env.put("ATS_STORE", "postgres");
    env.put("ATS_PG_URL", "postgresql://postgres@" + TestStores.PG_HOST + "/" + database);
    env.put("ATS_CLUSTER", "true");
    env.put("ATS_CLUSTER_NAME", cluster);
    env.put("ATS_CLUSTER_HOST", "127.0.0.1");
    env.put("ATS_CLUSTER_PORT", String.valueOf(hazelcastPorts.get(index)));
    env.put("ATS_CLUSTER_MEMBERS", String.join(",", hazelcastPorts.stream().map(p -> "127.0.0.1:" + p).toList()));
    env.put("ATS_REQUEST_TIMEOUT_MS", "10000");
    env.put("ATS_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true");
    env.put("ATS_WEBHOOK_POLL_MS", "100");
    if (metricsPort > 0) env.put("ATS_METRICS_PORT", String.valueOf(metricsPort));
    return env;
  }

  private JarProcess start(Path dir, String name, Map<String, String> env) throws IOException {
    JarProcess node = JarProcess.start(dir, name, env);
    nodes.add(node);
    return node;
  }

  private static String metrics(int port) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
      URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return response.body();
  }

  /** ats_webhook_attempts_total with this outcome (0 when the series is absent: none made). */
  private static long attempts(String metrics, String outcome) {
    return metrics.lines()
      .filter(line -> line.startsWith("ats_webhook_attempts_total{") && line.contains("outcome=\"" + outcome + "\""))
      .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }
}
