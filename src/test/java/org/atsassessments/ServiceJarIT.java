package org.atsassessments;

import org.atsassessments.testing.NodeLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.core.json.JsonObject;
import org.atsassessments.demo.DemoData;
import org.atsassessments.testing.JarProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded jar itself, as an operator runs it: {@code java -jar target/ats-assessments.jar} from a
 * directory without conf/, configured by ATS_* variables and by an ATS_CONFIG file; killed with
 * {@code kill -9} while orders are being written, then restarted: every acknowledged order is there.
 */
@ExtendWith(NodeLogs.class)
class ServiceJarIT {

  private final List<JarProcess> nodes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (JarProcess node : nodes) node.kill();
  }

  private JarProcess start(Path dir, String name, Map<String, String> env) throws IOException {
    JarProcess node = JarProcess.start(dir, name, env);
    nodes.add(node);
    return node;
  }

  @Test
  void startsFromItsEnvironmentAndKeepsEveryAcknowledgedOrderThroughKillMinus9(@TempDir Path dir) throws Exception {
    Map<String, String> env = JarProcess.demoEnvironment(dir);
    env.put("ATS_DATA_DIR", dir.resolve("data").toString());

    // given a node started by environment variables only, from a directory with no conf/
    JarProcess first = start(dir, "first", env).awaitReady(60);
    HttpResponse<String> seed = first.send("GET", ORDERS + "/" + DemoData.ORDER_ID + "?fields=candidate.last_name", null);
    assertEquals(200, seed.statusCode(), seed.body());
    assertEquals("Sestier", new JsonObject(seed.body()).getJsonObject("data").getJsonObject("candidate").getString("last_name"));
    assertTrue(Files.readString(first.log).contains(DemoData.curl("http://127.0.0.1:" + first.port)),
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
            HttpResponse<String> response = first.createOrder(remoteId);
            if (response.statusCode() != 200) continue;
            acknowledged.put(remoteId, new JsonObject(response.body()));
            HttpResponse<String> result = first.send("PATCH", ORDERS + "/" + remoteId + "/result",
              new JsonObject().put("summary", "result of " + remoteId).encode());
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
    first.kill();
    writing.set(false);
    clients.shutdown();
    assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
    assertTrue(acknowledged.size() >= 300, "acknowledged before the kill: " + acknowledged.size());

    // then a restart configured by an ATS_CONFIG file finds every acknowledged order, as acknowledged
    Path config = dir.resolve("node.json");
    Files.writeString(config, new JsonObject().put("http_host", "127.0.0.1").put("data_dir", dir.resolve("data").toString())
      .put("htpasswd", env.get("ATS_HTPASSWD")).put("accounts", env.get("ATS_ACCOUNTS")).put("demo", true).encodePrettily());
    JarProcess second = start(dir, "second", Map.of("ATS_CONFIG", config.toString())).awaitReady(60);
    for (Map.Entry<String, JsonObject> order : acknowledged.entrySet()) {
      HttpResponse<String> read = second.send("GET", ORDERS + "/" + order.getKey() + "?fields=id,remote_id,candidate", null);
      assertEquals(200, read.statusCode(), order.getKey() + " was acknowledged but is gone");
      assertEquals(new JsonObject().put("id", order.getValue().getString("id")).put("remote_id", order.getKey())
        .put("candidate", new JsonObject().put("first_name", order.getKey())), new JsonObject(read.body()).getJsonObject("data"));
    }
    for (String remoteId : resultsAcknowledged) {
      HttpResponse<String> read = second.send("GET", ORDERS + "/" + remoteId + "/results?fields=summary", null);
      assertEquals(200, read.statusCode(), "the result of " + remoteId + " was acknowledged but is gone");
      assertEquals("result of " + remoteId, new JsonObject(read.body()).getJsonObject("data").getString("summary"));
    }
    System.out.println("kill -9 under load: " + acknowledged.size() + " orders and " + resultsAcknowledged.size()
      + " results acknowledged; all " + (acknowledged.size() + resultsAcknowledged.size()) + " found after restart");
  }

  /**
   * The jar as an operator runs it, from a directory without conf/: a connector account's credential that is
   * not in the environment stops start-up with a message naming the account and the key; given it, the
   * account's ATS is served, with the status tables the jar ships.
   */
  @Test
  void aConnectorsCredentialsComeFromTheEnvironmentAndAMissingOneStopsStartUpNamingIt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("accounts.json"), new JsonObject().put("accounts", new io.vertx.core.json.JsonArray()
      .add(new JsonObject().put("id", "jar-tt").put("users", new io.vertx.core.json.JsonArray().add(DemoData.USER))
        .put("provider", new JsonObject().put("type", "teamtailor").put("provider_key_env", "JAR_TT_PROVIDER_KEY")
          .put("api_key_env", "JAR_TT_API_KEY").put("allowed_callback_hosts", new io.vertx.core.json.JsonArray().add("api.teamtailor.com")))))
      .encode());
    Map<String, String> env = JarProcess.demoEnvironment(dir);
    env.put("ATS_DATA_DIR", dir.resolve("data").toString());
    env.put("JAR_TT_API_KEY", "jar-api-key");

    JarProcess missing = start(dir, "missing-credential", env);
    assertTrue(missing.awaitExit(60) != 0, "start-up fails");
    String log = Files.readString(missing.log);
    assertTrue(log.contains("jar-tt") && log.contains("provider_key") && log.contains("JAR_TT_PROVIDER_KEY"), log);
    assertFalse(log.contains("jar-api-key"), "no credential in the log");

    env.put("JAR_TT_PROVIDER_KEY", "jar-provider-key-31");
    JarProcess node = start(dir, "with-credentials", env).awaitReady(60);
    HttpResponse<String> pkg = node.call("PUT", "/unified/ats/assessments/packages/1", new JsonObject().put("name", "Test").encode(),
      Map.of("Authorization", org.atsassessments.testing.TestService.basic(DemoData.USER, DemoData.PASSWORD), "x-account-id", "jar-tt",
        "Content-Type", "application/json"));
    assertEquals(200, pkg.statusCode(), pkg.body());
    String event = new JsonObject().put("partner-event", new JsonObject().put("id", "evt-1")
      .put("webhook-data", new JsonObject().put("test", "1"))
      .put("partner-result", new JsonObject().put("id", "res-1").put("update-url", "https://api.teamtailor.com/partner/v1/partner-results/res-1"))
      .put("candidate", new JsonObject().put("id", 7).put("first-name", "Juston").put("email", "j@example.test")
        .put("job", new JsonObject().put("id", 1).put("title", "Engineer").put("stage", "Screening")))).encode();
    assertEquals(401, node.call("POST", "/connectors/teamtailor/jar-tt/webhook", event,
      Map.of("Authorization", "Bearer wrong", "Content-Type", "application/json")).statusCode());
    HttpResponse<String> ordered = node.call("POST", "/connectors/teamtailor/jar-tt/webhook", event,
      Map.of("Authorization", "Bearer jar-provider-key-31", "Content-Type", "application/json"));
    assertEquals(200, ordered.statusCode(), ordered.body());
    HttpResponse<String> order = node.call("GET", ORDERS + "/res-1", null,
      Map.of("Authorization", org.atsassessments.testing.TestService.basic(DemoData.USER, DemoData.PASSWORD), "x-account-id", "jar-tt"));
    assertEquals(200, order.statusCode(), order.body());
    assertEquals("screen", new JsonObject(order.body()).getJsonObject("data").getJsonObject("application")
      .getJsonObject("application_status").getString("value"), "conf/status-maps/teamtailor.json from the jar");
    assertFalse(Files.readString(node.log).contains("jar-provider-key-31"), "no credential in the log");
  }
}
