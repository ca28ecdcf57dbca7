package org.atsassessments;

import io.vertx.core.json.JsonObject;
import org.atsassessments.model.DemoData;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shaded jar itself, as an operator runs it: {@code java -jar target/ats-assessments.jar} from a
 * directory without conf/, configured by ATS_* variables and by an ATS_CONFIG file; killed with
 * {@code kill -9} while orders are being written, then restarted: every acknowledged order is there.
 */
class ServiceJarIT {

  private static final Path JAR = Path.of(System.getProperty("ats.jar", "target/ats-assessments.jar")).toAbsolutePath();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  private Process start(Path dir, Map<String, String> env, String log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("java", "-Xmx256m", "-jar", JAR.toString())
      .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("ATS_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private void awaitReady(int port, Process process, Path logFile) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) fail("the jar exited with " + process.exitValue() + ":\n" + Files.readString(logFile));
      try {
        if (send("GET", port, "/ready", null, false).statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    fail("not ready after 60 s:\n" + Files.readString(logFile));
  }

  private HttpResponse<String> send(String method, int port, String path, String body, boolean authenticated)
    throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
      .timeout(Duration.ofSeconds(10))
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (authenticated) {
      request.header("Authorization", TestService.basic(DemoData.USER, DemoData.PASSWORD))
        .header("x-account-id", DemoData.ACCOUNT_ID).header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void startsFromItsEnvironmentAndKeepsEveryAcknowledgedOrderThroughKillMinus9(@TempDir Path dir) throws Exception {
    ServiceConfigFiles files = ServiceConfigFiles.write(dir);
    int port = TestService.freePort();
    Map<String, String> env = new HashMap<>(Map.of("ATS_HTTP_PORT", String.valueOf(port), "ATS_HTTP_HOST", "127.0.0.1",
      "ATS_DATA_DIR", dir.resolve("data").toString(), "ATS_HTPASSWD", files.htpasswd, "ATS_ACCOUNTS", files.accounts,
      "ATS_DEMO", "true"));

    // given a node started by environment variables only, from a directory with no conf/
    Process first = start(dir, env, "first.log");
    awaitReady(port, first, dir.resolve("first.log"));
    HttpResponse<String> seed = send("GET", port, ORDERS + "/" + DemoData.ORDER_ID + "?fields=candidate.last_name", null, true);
    assertEquals(200, seed.statusCode(), seed.body());
    assertEquals("Sestier", new JsonObject(seed.body()).getJsonObject("data").getJsonObject("candidate").getString("last_name"));
    assertTrue(Files.readString(dir.resolve("first.log")).contains(DemoData.curl("http://localhost:" + port)),
      "make run prints a curl line that fetches the demo order");

    // when orders and their results are written by 8 clients and the process is killed with SIGKILL in the middle
    Map<String, JsonObject> acknowledged = new ConcurrentHashMap<>();
    Set<String> resultsAcknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger sequence = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    for (int c = 0; c < 8; c++) {
      clients.submit(() -> {
        while (writing.get()) {
          String remoteId = "kill-" + sequence.incrementAndGet();
          try {
            HttpResponse<String> response = send("POST", port, ORDERS,
              new JsonObject().put("id", remoteId).put("candidate", new JsonObject().put("first_name", remoteId)).encode(), true);
            if (response.statusCode() != 200) continue;
            acknowledged.put(remoteId, new JsonObject(response.body()));
            HttpResponse<String> result = send("PATCH", port, ORDERS + "/" + remoteId + "/result",
              new JsonObject().put("summary", "result of " + remoteId).encode(), true);
            if (result.statusCode() == 200) resultsAcknowledged.add(remoteId);
          } catch (Exception killed) {
            // the process died under this request: not acknowledged
          }
        }
        return null;
      });
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (acknowledged.size() < 300 && System.nanoTime() < deadline) Thread.sleep(5);
    first.destroyForcibly().waitFor();
    writing.set(false);
    clients.shutdown();
    assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
    assertTrue(acknowledged.size() >= 300, "acknowledged before the kill: " + acknowledged.size());

    // then a restart configured by an ATS_CONFIG file finds every acknowledged order, as acknowledged
    int secondPort = TestService.freePort();
    Path config = dir.resolve("node.json");
    Files.writeString(config, new JsonObject().put("http_port", secondPort).put("http_host", "127.0.0.1")
      .put("data_dir", dir.resolve("data").toString()).put("htpasswd", files.htpasswd).put("accounts", files.accounts)
      .put("demo", true).encodePrettily());
    Process second = start(dir, Map.of("ATS_CONFIG", config.toString()), "second.log");
    awaitReady(secondPort, second, dir.resolve("second.log"));
    for (Map.Entry<String, JsonObject> order : acknowledged.entrySet()) {
      HttpResponse<String> read = send("GET", secondPort, ORDERS + "/" + order.getKey() + "?fields=id,remote_id,candidate", null, true);
      assertEquals(200, read.statusCode(), order.getKey() + " was acknowledged but is gone");
      assertEquals(new JsonObject().put("id", order.getValue().getString("id")).put("remote_id", order.getKey())
        .put("candidate", new JsonObject().put("first_name", order.getKey())), new JsonObject(read.body()).getJsonObject("data"));
    }
    for (String remoteId : resultsAcknowledged) {
      HttpResponse<String> read = send("GET", secondPort, ORDERS + "/" + remoteId + "/results?fields=summary", null, true);
      assertEquals(200, read.statusCode(), "the result of " + remoteId + " was acknowledged but is gone");
      assertEquals("result of " + remoteId, new JsonObject(read.body()).getJsonObject("data").getString("summary"));
    }
    System.out.println("kill -9 under load: " + acknowledged.size() + " orders and " + resultsAcknowledged.size()
      + " results acknowledged; all " + (acknowledged.size() + resultsAcknowledged.size()) + " found after restart");
  }

  /** The htpasswd and accounts files the jar is pointed at (the demo user comes from the jar itself). */
  private record ServiceConfigFiles(String htpasswd, String accounts) {
    static ServiceConfigFiles write(Path dir) throws IOException {
      Path users = dir.resolve("users.htpasswd");
      Files.writeString(users, "# no users besides the demo one\n");
      Path accounts = dir.resolve("accounts.json");
      Files.writeString(accounts, "{\"accounts\": []}");
      return new ServiceConfigFiles(users.toString(), accounts.toString());
    }
  }
}
