package org.atsassessments.connectors;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.demo.DemoData;
import org.atsassessments.testing.Eventually;
import org.atsassessments.testing.JarProcess;
import org.atsassessments.testing.NodeLogs;
import org.atsassessments.testing.TestService;
import org.atsassessments.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A result's push-back survives {@code kill -9}, on each store: the jar takes a Teamtailor order whose
 * update-url is a fake Teamtailor here, the vendor reports the result (answered 200), the fake holds the
 * completion call without answering, and the process is killed with it in flight. Started again (on PostgreSQL
 * another node, which takes the killed one's deliveries over after its silence), the completion arrives.
 */
@ExtendWith(NodeLogs.class)
class PushBackCrashIT {

  private static final String ACCOUNT = "crash-tt";
  private static final String RESULT = "crash-res-1";

  private final List<JarProcess> nodes = new ArrayList<>();
  private Vertx vertx;
  private FakeAts ats;

  @AfterEach
  void stop() throws InterruptedException {
    for (JarProcess node : nodes) node.kill();
    if (ats != null) ats.close();
    if (vertx != null) vertx.close().await();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres"})
  void theCompletionInFlightAtKillMinus9ArrivesAfterTheRestart(String store, @TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    ats = FakeAts.start(vertx, "http://127.0.0.1:1", "none", "none", "none", "none", "crash-api-key");
    String path = "/partner/v1/partner-results/" + RESULT;
    Files.writeString(dir.resolve("accounts.json"), new JsonObject().put("accounts", new JsonArray()
      .add(new JsonObject().put("id", ACCOUNT).put("users", new JsonArray().add(DemoData.USER))
        .put("provider", new JsonObject().put("type", "teamtailor").put("provider_key_env", "CRASH_TT_KEY")
          .put("api_key_env", "CRASH_TT_API_KEY").put("allowed_callback_hosts", new JsonArray().add("127.0.0.1"))))).encode());
    Map<String, String> env = JarProcess.demoEnvironment(dir);
    env.put("ATS_DATA_DIR", dir.resolve("data").toString());
    env.put("CRASH_TT_KEY", "crash-provider-key");
    env.put("CRASH_TT_API_KEY", "crash-api-key");
    env.put("ATS_WEBHOOK_POLL_MS", "100");
    env.put("ATS_WEBHOOK_RETRY_SCHEDULE", "500ms,1s,1s");
    if (store.equals("postgres")) {
      env.put("ATS_STORE", "postgres");
      env.put("ATS_PG_URL", "postgresql://postgres@" + TestStores.PG_HOST + "/" + TestStores.createDatabase());
      env.put("ATS_WEBHOOK_LEASE_MS", "3000");
      env.put("ATS_WEBHOOK_TIMEOUT_MS", "1000");
    }
    Map<String, String> vendor = Map.of("Authorization", TestService.basic(DemoData.USER, DemoData.PASSWORD), "x-account-id", ACCOUNT,
      "Content-Type", "application/json");
    // the first process: the completion is never answered ("sent" goes in the webhook's answer, no call)
    ats.outage = n -> -1;
    JarProcess first = start(dir, "first", env).awaitReady(60);
    assertEquals(200, first.call("PUT", "/unified/ats/assessments/packages/1", new JsonObject().put("name", "Test").encode(), vendor)
      .statusCode());
    JsonObject event = TeamtailorConnectorTest.partnerEvent("crash-evt-1", RESULT, "1");
    event.getJsonObject("partner-event").getJsonObject("partner-result").put("update-url", ats.teamtailorResult(RESULT));
    HttpResponse<String> ordered = first.call("POST", "/connectors/teamtailor/" + ACCOUNT + "/webhook", event.encode(),
      Map.of("Authorization", "Bearer crash-provider-key", "Content-Type", "application/json"));
    assertEquals(200, ordered.statusCode(), ordered.body());
    assertTrue(ats.teamtailorWebhookAnswered(RESULT, ordered.statusCode(), ordered.headers().firstValue("Content-Type").orElse(null),
      ordered.body()), ordered.body());

    HttpResponse<String> reported = first.call("PATCH", "/unified/ats/assessments/orders/" + RESULT + "/result",
      new JsonObject().put("result", new JsonObject().put("value", "completed")).put("result_url", "https://vendor.example/r/1").encode(),
      vendor);
    assertEquals(200, reported.statusCode(), reported.body());
    Eventually.await("the completion in flight", () -> ats.callsTo(path), calls -> calls.size() == 1, 20);
    first.kill();

    ats.outage = n -> 0;
    start(dir, "after-kill", env).awaitReady(60);
    List<FakeAts.Call> calls = Eventually.await("the completion after the restart", () -> ats.callsTo(path),
      all -> all.stream().anyMatch(call -> call.answered() == 200 && call.body().contains("\"completed\"")), 30);
    FakeAts.Call completion = calls.stream().filter(call -> call.answered() == 200 && call.body().contains("\"completed\"")).findFirst()
      .orElseThrow();
    assertEquals("https://vendor.example/r/1", completion.json().getJsonObject("data").getJsonObject("attributes").getString("url"));
    assertEquals("completed", ats.teamtailorStatuses.get(RESULT), "sent from the answer, then completed");
    assertTrue(calls.stream().allMatch(call -> call.answered() == 200 || call.answered() == -1), "the fake refused none: " + calls);
    System.out.println("push-back after kill -9 on " + store + ": " + calls.size() + " calls to the fake Teamtailor ("
      + calls.stream().map(call -> String.valueOf(call.answered())).toList() + "), the completion among them after the restart");
  }

  private JarProcess start(Path dir, String name, Map<String, String> env) throws java.io.IOException {
    JarProcess node = JarProcess.start(dir, name, env);
    nodes.add(node);
    return node;
  }
}
