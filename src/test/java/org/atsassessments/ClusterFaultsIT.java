package org.atsassessments;

import org.atsassessments.testing.NodeLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.core.json.JsonObject;
import org.atsassessments.demo.DemoData;
import org.atsassessments.testing.JarProcess;
import org.atsassessments.testing.PostgresServer;
import org.atsassessments.testing.TestService;
import org.atsassessments.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults with real processes: http and repository nodes of the jar clustered over Hazelcast on loopback,
 * on the real PostgreSQL. Each test prints one line with its figures (docs/deployment.md, what happens when things fail).
 */
@ExtendWith(NodeLogs.class)
class ClusterFaultsIT {

  private final List<JarProcess> nodes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (JarProcess node : nodes) node.kill();
  }

  /** One cluster: a name of its own, a Hazelcast port per node, every node listing all of them. */
  private static final class Cluster {
    final String name = "ats-faults-" + UUID.randomUUID();
    final String database = TestStores.createDatabase();
    final List<Integer> ports = List.of(TestService.freePort(), TestService.freePort(), TestService.freePort(),
      TestService.freePort());
    int next;

    Map<String, String> env(Path dir, String role) throws IOException {
      Map<String, String> env = JarProcess.demoEnvironment(dir);
      env.put("ATS_ROLE", role);
      env.put("ATS_STORE", "postgres");
      env.put("ATS_PG_URL", "postgresql://postgres@" + TestStores.PG_HOST + "/" + database);
      env.put("ATS_CLUSTER", "true");
      env.put("ATS_CLUSTER_NAME", name);
      env.put("ATS_CLUSTER_HOST", "127.0.0.1");
      env.put("ATS_CLUSTER_PORT", String.valueOf(ports.get(next++ % ports.size())));
      env.put("ATS_CLUSTER_MEMBERS", String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList()));
      env.put("ATS_REQUEST_TIMEOUT_MS", "10000");
      return env;
    }
  }

  private JarProcess start(Path dir, String name, Map<String, String> env) throws IOException {
    JarProcess node = JarProcess.start(dir, name, env);
    nodes.add(node);
    return node;
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Test
  void theOnlyRepositoryGoingAwayGives503AtOnceAndServiceResumesWhenOneComesBack(@TempDir Path dir) throws Exception {
    Cluster cluster = new Cluster();
    JarProcess repository = start(dir, "repository-1", cluster.env(dir, "repository")).awaitReady(90);
    JarProcess http = start(dir, "http", cluster.env(dir, "http")).awaitReady(90);
    assertEquals(200, http.createOrder("before-the-fault").statusCode());

    repository.kill();
    long killed = System.nanoTime();
    long first503 = -1;
    long slowest = 0;
    while (millisSince(killed) < 4000) {
      long sent = System.nanoTime();
      HttpResponse<String> response = http.send("GET", ORDERS + "/before-the-fault", null);
      slowest = Math.max(slowest, millisSince(sent));
      assertTrue(response.statusCode() == 503 || response.statusCode() == 200, response.body());
      if (response.statusCode() == 503) {
        if (first503 < 0) first503 = millisSince(killed);
        assertNotNull(response.headers().firstValue("Retry-After").orElse(null));
        assertEquals(503, new JsonObject(response.body()).getInteger("statusCode"));
      }
      Thread.sleep(50);
    }
    assertTrue(first503 >= 0 && first503 <= 2000, "first 503 after " + first503 + " ms");
    assertTrue(slowest <= 2000, "no request hung: the slowest took " + slowest + " ms");

    JarProcess replacement = start(dir, "repository-2", cluster.env(dir, "repository")).awaitReady(90);
    long back = System.nanoTime();
    long served = -1;
    while (millisSince(back) < 10_000) {
      if (http.send("GET", ORDERS + "/before-the-fault", null).statusCode() == 200) {
        served = millisSince(back);
        break;
      }
      Thread.sleep(50);
    }
    assertTrue(served >= 0, "the http node did not serve again within 10 s of a repository coming back");
    assertTrue(replacement.alive());
    System.out.println("repository node killed: first 503 after " + first503 + " ms, slowest request " + slowest
      + " ms; served again " + served + " ms after a new repository node was ready, without restarting the http node");
  }

  /** What one client does in a loop under the steady load; each kind is safe to repeat, or not. */
  private enum Work {
    CREATE(true), LIST(true), GET(true), PATCH_IF_MATCH(true), PATCH(false);

    final boolean safeToRepeat;

    Work(boolean safeToRepeat) {
      this.safeToRepeat = safeToRepeat;
    }
  }

  /** One request: what it was, when it started relative to the kill (negative before), its status and duration. */
  private record Outcome(Work work, long startMs, int status, long durationMs, String retryAfter) {
  }

  /**
   * One of two repository nodes killed (kill -9) under a steady load of reads and writes through an http node.
   * Requests safe to repeat (reads, creates that carry an id, result updates with If-Match) that were in flight to
   * the dead node are sent once more to the other: no client sees a 5xx for them, and no request waits more than
   * 3 s. A result update without If-Match may be answered 503 with Retry-After. Every acknowledged write is in
   * PostgreSQL, and no update was applied twice (each If-Match client's result version equals its acknowledged
   * updates).
   */
  @Test
  void killingOneOfTwoRepositoriesUnderLoadGivesNo5xxForRequestsSafeToRepeat(@TempDir Path dir) throws Exception {
    Cluster cluster = new Cluster();
    // both at once on an empty database: Flyway's lock lets one migrate while the other waits
    JarProcess victim = start(dir, "repository-1", cluster.env(dir, "repository"));
    JarProcess survivor = start(dir, "repository-2", cluster.env(dir, "repository"));
    victim.awaitReady(90);
    survivor.awaitReady(90);
    Map<String, String> httpEnv = cluster.env(dir, "http");
    int metricsPort = TestService.freePort();
    httpEnv.put("ATS_METRICS_PORT", String.valueOf(metricsPort));
    JarProcess http = start(dir, "http", httpEnv).awaitReady(90);

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    Map<String, AtomicInteger> updatesAcknowledged = new ConcurrentHashMap<>();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger sequence = new AtomicInteger();
    long[] killedAt = {0};
    List<Work> clients = List.of(Work.CREATE, Work.CREATE, Work.LIST, Work.GET, Work.PATCH_IF_MATCH, Work.PATCH_IF_MATCH,
      Work.PATCH, Work.PATCH);
    ExecutorService pool = Executors.newFixedThreadPool(clients.size());
    for (int c = 0; c < clients.size(); c++) {
      Work work = clients.get(c);
      String ownOrder = (work == Work.PATCH_IF_MATCH ? "if-match-" : "updated-by-") + c;
      if (work == Work.PATCH_IF_MATCH || work == Work.PATCH) {
        assertEquals(200, http.createOrder(ownOrder).statusCode());
        updatesAcknowledged.put(ownOrder, new AtomicInteger());
      }
      pool.submit(() -> {
        String etag = "\"0\"";
        while (running.get()) {
          long started = System.nanoTime();
          long sinceKill = killedAt[0] == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(started - killedAt[0]);
          HttpResponse<String> response;
          try {
            response = switch (work) {
              case CREATE -> http.createOrder("steady-" + sequence.incrementAndGet());
              case LIST -> http.send("GET", ORDERS + "?page_size=5", null);
              case GET -> http.send("GET", ORDERS + "/" + DemoData.ORDER_ID, null);
              case PATCH_IF_MATCH -> http.send("PATCH", ORDERS + "/" + ownOrder + "/result",
                new JsonObject().put("summary", "update " + sequence.incrementAndGet()).encode(), Map.of("If-Match", etag));
              case PATCH -> http.send("PATCH", ORDERS + "/" + ownOrder + "/result",
                new JsonObject().put("summary", "update " + sequence.incrementAndGet()).encode());
            };
          } catch (Exception e) {
            outcomes.add(new Outcome(work, sinceKill, -1, millisSince(started), null));
            continue;
          }
          int status = response.statusCode();
          outcomes.add(new Outcome(work, sinceKill, status, millisSince(started), response.headers().firstValue("Retry-After")
            .orElse(null)));
          if (status == 200 && work == Work.CREATE) acknowledged.add(new JsonObject(response.body()).getString("remote_id"));
          if (status == 200 && (work == Work.PATCH_IF_MATCH || work == Work.PATCH)) {
            updatesAcknowledged.get(ownOrder).incrementAndGet();
            etag = response.headers().firstValue("ETag").orElseThrow();
          }
        }
        return null;
      });
    }
    Thread.sleep(3000);
    killedAt[0] = System.nanoTime();
    victim.kill();
    Thread.sleep(8_000);
    running.set(false);
    pool.shutdown();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));

    // every acknowledged write is in PostgreSQL, and no update was applied twice
    Set<String> stored = new HashSet<>();
    Map<String, Integer> versions = new HashMap<>();
    try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + TestStores.PG_HOST + "/" + cluster.database,
      "postgres", "")) {
      try (ResultSet rows = connection.createStatement().executeQuery("SELECT remote_id, result_version FROM assessment_order")) {
        while (rows.next()) {
          stored.add(rows.getString(1));
          versions.put(rows.getString(1), rows.getInt(2));
        }
      }
    }
    assertTrue(stored.containsAll(acknowledged), "acknowledged but missing: " + acknowledged.stream()
      .filter(id -> !stored.contains(id)).toList());
    updatesAcknowledged.forEach((order, count) -> {
      int version = versions.get(order);
      if (order.startsWith("if-match-")) {
        assertEquals(count.get(), version, "If-Match updates of " + order + ": each applied once");
      } else {
        assertTrue(version >= count.get(), "updates of " + order + ": every acknowledged one applied");
      }
    });

    // every request of the run, those started before the kill (and in flight at it) included
    List<Outcome> afterKill = outcomes.stream().filter(o -> o.startMs() >= 0).toList();
    List<Outcome> safe = outcomes.stream().filter(o -> o.work().safeToRepeat).toList();
    List<Outcome> unsafe = outcomes.stream().filter(o -> !o.work().safeToRepeat).toList();
    assertFalse(safe.isEmpty());
    assertTrue(safe.stream().allMatch(o -> o.status() == 200), "requests safe to repeat that failed: " + safe.stream()
      .filter(o -> o.status() != 200).toList());
    assertTrue(unsafe.stream().allMatch(o -> o.status() == 200 || (o.status() == 503 && o.retryAfter() != null)),
      "updates without If-Match: 200, or 503 with Retry-After: " + unsafe.stream().filter(o -> o.status() != 200).toList());
    long slowest = outcomes.stream().mapToLong(Outcome::durationMs).max().orElse(0);
    assertTrue(slowest <= 3000, "no request waits more than 3 s: the slowest took " + slowest + " ms");
    long unsafe503 = unsafe.stream().filter(o -> o.status() == 503).count();
    // the http node's own count of what it sent again after the node left (its Prometheus metrics)
    String metrics = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(java.net.http.HttpRequest.newBuilder(
      java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    long repeated = counter(metrics, "ats_repository_repeats_total{reason=\"member_left\"");
    long failedOnDeparture = counter(metrics, "ats_repository_departure_failures_total");
    assertTrue(repeated > 0, "requests in flight to the killed node were sent again: " + repeated);
    assertEquals(unsafe503, failedOnDeparture, "the 503s are the requests not safe to repeat that were in flight to it");
    System.out.println("one of two repository nodes killed under load: " + outcomes.size() + " requests in 3 s before and 8 s"
      + " after the kill (" + afterKill.size() + " after); " + repeated + " in flight to the killed node sent again to the other; "
      + safe.size() + " safe to repeat (reads, creates with an id, updates with If-Match), all 200; " + unsafe.size()
      + " updates without If-Match, " + unsafe503 + " answered 503 with Retry-After; slowest request " + slowest + " ms; "
      + acknowledged.size() + " creates acknowledged, all in PostgreSQL; every If-Match update applied once");
  }

  /** The restart test's own PostgreSQL: restarting the machine's would break every other test using it. */
  private PostgresServer postgres;

  @AfterEach
  void stopPostgres() throws Exception {
    if (postgres != null) postgres.close();
  }

  /** The value of a Prometheus counter whose line starts with {@code series} (labels included up to there). */
  private static long counter(String metrics, String series) {
    return metrics.lines().filter(line -> line.startsWith(series)).findFirst()
      .map(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).orElse(0L);
  }

  @Test
  void postgresRestartingUnderLoadGives503sAndTheServiceRecoversByItself(@TempDir Path dir) throws Exception {
    postgres = PostgresServer.start();
    String database = postgres.createDatabase();
    Map<String, String> env = JarProcess.demoEnvironment(dir);
    env.put("ATS_ROLE", "all");
    env.put("ATS_STORE", "postgres");
    env.put("ATS_PG_URL", postgres.url(database));
    env.put("ATS_REQUEST_TIMEOUT_MS", "10000");
    JarProcess node = start(dir, "node", env).awaitReady(90);

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger sequence = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    for (int c = 0; c < 4; c++) {
      clients.submit(() -> {
        while (running.get()) {
          String remoteId = "pg-restart-" + sequence.incrementAndGet();
          try {
            HttpResponse<String> response = node.createOrder(remoteId);
            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
            if (response.statusCode() == 200) acknowledged.add(remoteId);
            else if (bodies.size() < 5) bodies.add(response.body());
          } catch (Exception e) {
            statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
          }
          Thread.sleep(5);
        }
        return null;
      });
    }
    Thread.sleep(2000);
    postgres.restart();
    long restarted = System.nanoTime();
    long recovered = -1;
    while (millisSince(restarted) < 15_000 && recovered < 0) {
      if (node.createOrder("probe-" + UUID.randomUUID()).statusCode() == 200) recovered = millisSince(restarted);
      else Thread.sleep(100);
    }
    Thread.sleep(1000);
    running.set(false);
    clients.shutdown();
    assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));

    assertTrue(recovered >= 0, "no success within 15 s of PostgreSQL being back");
    Set<Integer> seen = statuses.keySet();
    assertTrue(Set.of(200, 503).containsAll(seen), "statuses seen: " + statuses + " " + bodies);
    for (String body : bodies) {
      JsonObject error = new JsonObject(body);
      assertEquals(503, error.getInteger("statusCode"));
      assertTrue(error.getString("timestamp").matches(org.atsassessments.testing.ContractAssertions.TIMESTAMP));
    }
    Set<String> stored = new HashSet<>();
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(database), "postgres", "");
         ResultSet rows = connection.createStatement().executeQuery("SELECT remote_id FROM assessment_order")) {
      while (rows.next()) stored.add(rows.getString(1));
    }
    assertTrue(stored.containsAll(acknowledged));
    System.out.println("PostgreSQL restarted under load: " + statuses.getOrDefault(200, new AtomicInteger()) + " writes 200, "
      + statuses.getOrDefault(503, new AtomicInteger()) + " answered 503 (StackOne body, Retry-After), none other; served again "
      + recovered + " ms after PostgreSQL was back; all " + acknowledged.size() + " acknowledged writes in PostgreSQL");
  }
}
