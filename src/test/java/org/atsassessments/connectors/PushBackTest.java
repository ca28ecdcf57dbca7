package org.atsassessments.connectors;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.events.ConnectorSubscriptions;
import org.atsassessments.testing.ConnectorAccounts;
import org.atsassessments.testing.Eventually;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.atsassessments.testing.ConnectorAccounts.GREENHOUSE;
import static org.atsassessments.testing.ConnectorAccounts.GREENHOUSE_KEY;
import static org.atsassessments.testing.ConnectorAccounts.OTHER_TEAMTAILOR;
import static org.atsassessments.testing.ConnectorAccounts.OTHER_TEAMTAILOR_KEY;
import static org.atsassessments.testing.ConnectorAccounts.PARTNER_PASSWORD;
import static org.atsassessments.testing.ConnectorAccounts.PARTNER_USER;
import static org.atsassessments.testing.ConnectorAccounts.TEAMTAILOR;
import static org.atsassessments.testing.ConnectorAccounts.TEAMTAILOR_KEY;
import static org.atsassessments.testing.ConnectorAccounts.TEAMTAILOR_SIGNING_SECRET;
import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.ALICE_PASSWORD;
import static org.atsassessments.testing.TestService.BOB;
import static org.atsassessments.testing.TestService.BOB_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Results go back to the ATS, through the outbox, on a real node against a fake Greenhouse and a fake Teamtailor
 * ({@link FakeAts}) that refuse what the real ones refuse: each ATS orders as it does, the vendor reads the order
 * and reports a result with StackOne's PATCH, and the ATS receives its call (Greenhouse then reads test_status);
 * the calls are in the order's raw with their credentials redacted, {@code proxy[…]} goes along as query
 * parameters, an ATS that is down gets the call once it is back, one that never takes it leaves a failed
 * delivery that is redelivered on request, and the push-backs' deliveries are their account's users' only.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushBackTest {

  private static final String ORDERS = "/unified/ats/assessments/orders/";

  private TestService service;
  private FakeAts ats;

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    ServiceConfig config = TestService.config(dir).with("webhook_retry_schedule", "100ms,100ms,100ms");
    ConnectorAccounts.write(dir);
    service = TestService.start(vertx, config);
    for (String account : List.of(GREENHOUSE, TEAMTAILOR)) {
      HttpResponse<Buffer> put = vendor(HttpMethod.PUT, "/unified/ats/assessments/packages/1", account, ALICE, ALICE_PASSWORD,
        new JsonObject().put("name", "Algorithm test").encode());
      assertEquals(200, put.statusCode(), put.bodyAsString());
    }
    ats = FakeAts.start(vertx, "http://127.0.0.1:" + config.httpPort(), GREENHOUSE, GREENHOUSE_KEY, PARTNER_USER, PARTNER_PASSWORD,
      "tt-api-key");
  }

  @AfterEach
  void atsUp() {
    ats.outage = n -> 0;
  }

  @AfterAll
  void stop() {
    ats.close();
  }

  private HttpResponse<Buffer> vendor(HttpMethod method, String path, String account, String user, String password, String body) {
    HttpRequest<Buffer> request = service.client.request(method, path).putHeader("Authorization", TestService.basic(user, password));
    if (account != null) request.putHeader("x-account-id", account);
    return body == null ? request.send().await()
      : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await();
  }

  /** On a node of a test's own: its package 1, then a Greenhouse send_test whose completion goes to the fake; our order id. */
  private String greenhouseOrderOn(TestService node, String take) {
    HttpResponse<Buffer> put = node.client.request(HttpMethod.PUT, "/unified/ats/assessments/packages/1")
      .putHeader("Authorization", TestService.basic(ALICE, ALICE_PASSWORD)).putHeader("x-account-id", GREENHOUSE)
      .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(new JsonObject().put("name", "Test").encode())).await();
    assertEquals(200, put.statusCode(), put.bodyAsString());
    HttpResponse<Buffer> sent = node.client.request(HttpMethod.POST, "/connectors/greenhouse/" + GREENHOUSE + "/send_test")
      .putHeader("Authorization", ConnectorAccounts.greenhouseAuth(GREENHOUSE_KEY)).putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer(GreenhouseConnectorTest.sendTest(take, "1").put("url", ats.greenhouseTest(take)).encode())).await();
    assertEquals(200, sent.statusCode(), sent.bodyAsString());
    return sent.bodyAsJsonObject().getString("partner_interview_id");
  }

  /** A Greenhouse send_test whose completion goes to the fake; answers our order id. */
  private String greenhouseOrder(String takeHomeTest) {
    JsonObject body = GreenhouseConnectorTest.sendTest(takeHomeTest, "1").put("url", ats.greenhouseTest(takeHomeTest));
    HttpResponse<Buffer> sent = service.client.request(HttpMethod.POST, "/connectors/greenhouse/" + GREENHOUSE + "/send_test")
      .putHeader("Authorization", ConnectorAccounts.greenhouseAuth(GREENHOUSE_KEY)).putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer(body.encode())).await();
    assertEquals(200, sent.statusCode(), sent.bodyAsString());
    String id = sent.bodyAsJsonObject().getString("partner_interview_id");
    ats.interviews.put(takeHomeTest, id);
    return id;
  }

  private void report(String account, String orderId, String query, JsonObject result) {
    HttpResponse<Buffer> patched = vendor(HttpMethod.PATCH, ORDERS + orderId + "/result" + query, account, ALICE, ALICE_PASSWORD,
      result.encode());
    assertEquals(200, patched.statusCode(), patched.bodyAsString());
  }

  private static JsonObject completed(String resultUrl) {
    JsonObject result = new JsonObject().put("result", new JsonObject().put("value", "completed"))
      .put("score", new JsonObject().put("label", "Score").put("value", "81")).put("summary", "Strong on recursion");
    return resultUrl == null ? result : result.put("result_url", resultUrl);
  }

  private List<FakeAts.Call> awaitCalls(String path, int count) {
    return Eventually.await(count + " calls to " + path, () -> ats.callsTo(path), calls -> calls.size() >= count, 10);
  }

  private JsonArray deliveries(String account, String user, String password) {
    HttpResponse<Buffer> listed = vendor(HttpMethod.GET, "/webhooks/" + ConnectorSubscriptions.id(account) + "/deliveries?page_size=100",
      null, user, password, null);
    assertEquals(200, listed.statusCode(), listed.bodyAsString());
    return listed.bodyAsJsonObject().getJsonArray("data");
  }

  /** The push-back delivery of the order's result event, once it has reached {@code state}. */
  private JsonObject pushBack(String account, String orderId, String state) {
    return Eventually.await("the push-back of " + orderId + " " + state, () -> deliveries(account, ALICE, ALICE_PASSWORD).stream()
      .map(JsonObject.class::cast).filter(d -> "ats_assessments.updated".equals(d.getString("type"))
        && state.equals(d.getString("state")) && raw(account, orderId).encode().contains(d.getString("event_id")))
      .findFirst().orElse(null), found -> found != null, 10);
  }

  private JsonArray raw(String account, String orderId) {
    HttpResponse<Buffer> read = vendor(HttpMethod.GET, ORDERS + orderId + "?raw=true", account, ALICE, ALICE_PASSWORD, null);
    assertEquals(200, read.statusCode(), read.bodyAsString());
    return read.bodyAsJsonObject().getJsonArray("raw");
  }

  @Test
  void greenhouseGetsTheCompletionWithTheProxyParametersThenReadsTestStatus() {
    String path = "/integrations/testing_partners/take_home_tests/push-1";
    String id = greenhouseOrder("push-1");

    report(GREENHOUSE, id, "?proxy[region]=eu&proxy[trace]=a%20b", completed("https://vendor.example/reports/1"));

    FakeAts.Call completion = awaitCalls(path, 1).get(0);
    assertEquals("PATCH", completion.method());
    assertEquals(200, completion.answered(), "the fake Greenhouse took it: " + completion);
    assertEquals(path + "?region=eu&trace=a%20b", completion.uri(), "proxy[...] sent as query parameters");
    assertEquals("", completion.body(), "no body");
    JsonObject status = Eventually.await("Greenhouse read test_status", () -> ats.statuses.get("push-1"), read -> read != null, 10);
    assertEquals("complete", status.getString("partner_status"));
    assertEquals("https://vendor.example/reports/1", status.getString("partner_profile_url"));
    assertEquals(81, status.getInteger("partner_score"));
    assertNull(ats.responseErrors.get("push-1"));

    // raw: Greenhouse's send_test, then our call, the credential redacted
    JsonArray raw = Eventually.await("the call in raw", () -> raw(GREENHOUSE, id), list -> list.size() == 2, 10);
    assertEquals("greenhouse", raw.getJsonObject(0).getString("provider"));
    JsonObject call = raw.getJsonObject(1);
    assertEquals("PATCH", call.getString("method"));
    assertEquals(ats.greenhouseTest("push-1") + "?region=eu&trace=a%20b", call.getString("url"));
    assertEquals(200, call.getInteger("status"));
    assertEquals("***", call.getJsonObject("headers").getString("authorization"));
    String basic = Base64.getEncoder().encodeToString((PARTNER_USER + ":" + PARTNER_PASSWORD).getBytes());
    for (String secret : List.of(PARTNER_PASSWORD, basic, GREENHOUSE_KEY)) {
      assertFalse(raw.encode().contains(secret), "no credential in raw");
    }
    // the result's raw: the vendor's PATCH, then the call
    HttpResponse<Buffer> result = vendor(HttpMethod.GET, ORDERS + id + "/results?raw=true", GREENHOUSE, ALICE, ALICE_PASSWORD, null);
    JsonArray resultRaw = result.bodyAsJsonObject().getJsonArray("raw");
    assertEquals("PATCH", resultRaw.getJsonObject(0).getString("method"));
    assertTrue(resultRaw.getJsonObject(0).getString("url").contains("proxy[region]=eu")
      || resultRaw.getJsonObject(0).getString("url").contains("proxy%5Bregion%5D=eu"), resultRaw.encode());
    assertEquals(call, resultRaw.getJsonObject(resultRaw.size() - 1));

    JsonObject delivery = pushBack(GREENHOUSE, id, "succeeded");
    assertEquals(List.of(200), delivery.getJsonArray("attempts").stream().map(a -> ((JsonObject) a).getInteger("status_code")).toList());
  }

  /** GraphQL's updateAssessmentResult(proxy:) does what REST's proxy[…] does; a proxy that is not an object stores nothing. */
  @Test
  void theGraphQLMutationsProxyArgumentGoesAlongAsQueryParameters() {
    String path = "/integrations/testing_partners/take_home_tests/push-6";
    String id = greenhouseOrder("push-6");
    String mutation = "mutation($id: ID!, $proxy: JSON) { updateAssessmentResult(orderId: $id, proxy: $proxy,"
      + " input: {result: {value: \"completed\"}, score: {label: \"Score\", value: \"81\"}, resultUrl: \"https://vendor.example/r/6\"})"
      + " { statusCode } }";

    JsonObject refused = graphql(GREENHOUSE, mutation, new JsonObject().put("id", id).put("proxy", new JsonArray().add("eu")));
    assertEquals("BAD_USER_INPUT", refused.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"),
      refused.encode());
    assertEquals(404, vendor(HttpMethod.GET, ORDERS + id + "/results", GREENHOUSE, ALICE, ALICE_PASSWORD, null).statusCode(),
      "no result stored");
    JsonObject nested = graphql(GREENHOUSE, mutation, new JsonObject().put("id", id)
      .put("proxy", new JsonObject().put("region", "eu").put("filter", new JsonObject().put("age", new JsonArray()))));
    assertEquals("BAD_USER_INPUT", nested.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"));

    JsonObject done = graphql(GREENHOUSE, mutation, new JsonObject().put("id", id)
      .put("proxy", new JsonObject().put("region", "eu").put("filter", new JsonObject().put("age", 25))));
    assertEquals(200, done.getJsonObject("data").getJsonObject("updateAssessmentResult").getInteger("statusCode"), done.encode());

    FakeAts.Call completion = awaitCalls(path, 1).get(0);
    assertEquals(path + "?region=eu&filter%5Bage%5D=25", completion.uri(), "proxy sent as query parameters, nested as brackets");
    JsonArray resultRaw = vendor(HttpMethod.GET, ORDERS + id + "/results?raw=true", GREENHOUSE, ALICE, ALICE_PASSWORD, null)
      .bodyAsJsonObject().getJsonArray("raw");
    assertEquals(new JsonObject().put("region", "eu").put("filter[age]", "25"), resultRaw.getJsonObject(0).getJsonObject("proxy"),
      "the mutation's exchange shows the parameters: " + resultRaw.encode());
  }

  private JsonObject graphql(String account, String query, JsonObject variables) {
    HttpResponse<Buffer> answered = vendor(HttpMethod.POST, "/graphql", account, ALICE, ALICE_PASSWORD,
      new JsonObject().put("query", query).put("variables", variables).encode());
    assertEquals(200, answered.statusCode(), answered.bodyAsString());
    return answered.bodyAsJsonObject();
  }

  @Test
  void greenhouseIsCalledOnlyOnceTheResultIsCompleteAndSaysSoWhenTheProfileUrlIsMissing() {
    String path = "/integrations/testing_partners/take_home_tests/push-2";
    String id = greenhouseOrder("push-2");
    report(GREENHOUSE, id, "", new JsonObject().put("result", new JsonObject().put("value", "in_progress")));
    // the in_progress result's delivery ends without a call: Greenhouse defines only the completion
    Eventually.await("the in_progress push-back settled", () -> deliveries(GREENHOUSE, ALICE, ALICE_PASSWORD).stream()
      .map(JsonObject.class::cast).filter(d -> "ats_assessments.updated".equals(d.getString("type"))).count(), n -> n >= 1, 10);
    assertEquals(List.of(), ats.callsTo(path));

    // completed without a profile URL: Greenhouse takes the call, then reports our test_status answer
    report(GREENHOUSE, id, "", completed(null));
    awaitCalls(path, 1);
    assertEquals(200, Eventually.await("Greenhouse's response_error", () -> ats.responseErrors.get("push-2"), code -> code != null, 10));
    // what Greenhouse reported is in the order's raw, after the ATS's call and ours
    // (Greenhouse reports as soon as it has read test_status: the report may be recorded before our call is)
    JsonArray raw = Eventually.await("the call and the report in raw", () -> raw(GREENHOUSE, id), list -> list.size() == 3, 10);
    List<JsonObject> after = raw.stream().skip(1).map(JsonObject.class::cast).toList();
    assertTrue(after.stream().anyMatch(call -> "PATCH".equals(call.getString("method"))), raw.encode());
    JsonObject reported = after.stream().filter(call -> "POST".equals(call.getString("method"))).findFirst().orElseThrow();
    assertTrue(reported.getString("url").endsWith("/connectors/greenhouse/" + GREENHOUSE + "/response_error"), reported.encode());
    assertEquals("test_status", reported.getJsonObject("received").getString("api_call"));
  }

  @Test
  void anAtsThatIsDownGetsTheCallOnceItIsBack() {
    String path = "/integrations/testing_partners/take_home_tests/push-3";
    String id = greenhouseOrder("push-3");
    int[] seen = {0};
    ats.outage = n -> ++seen[0] <= 2 ? 503 : 0;

    report(GREENHOUSE, id, "", completed("https://vendor.example/reports/3"));

    List<FakeAts.Call> calls = awaitCalls(path, 3);
    assertEquals(List.of(503, 503, 200), calls.stream().map(FakeAts.Call::answered).toList());
    JsonObject delivery = pushBack(GREENHOUSE, id, "succeeded");
    assertEquals(List.of(503, 503, 200), delivery.getJsonArray("attempts").stream()
      .map(a -> ((JsonObject) a).getInteger("status_code")).toList());
  }

  @Test
  void aPushBackThatNeverGetsThroughFailsAndIsRedeliveredOnRequest() {
    String path = "/integrations/testing_partners/take_home_tests/push-4";
    String id = greenhouseOrder("push-4");
    ats.outage = n -> 500;

    report(GREENHOUSE, id, "", completed("https://vendor.example/reports/4"));

    // the first attempt and the three of the schedule, then failed
    JsonObject failed = pushBack(GREENHOUSE, id, "failed");
    assertEquals(4, failed.getJsonArray("attempts").size(), failed.encode());
    assertEquals(4, ats.callsTo(path).size());
    ats.outage = n -> 0;
    HttpResponse<Buffer> again = vendor(HttpMethod.POST, "/webhooks/" + ConnectorSubscriptions.id(GREENHOUSE) + "/deliveries/"
      + failed.getString("event_id") + "/redeliver", null, ALICE, ALICE_PASSWORD, null);
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertEquals(200, awaitCalls(path, 5).get(4).answered());
    pushBack(GREENHOUSE, id, "succeeded");
  }

  /**
   * A host taken off {@code allowed_callback_hosts} after the order came (the accounts file edited): the call is
   * refused, recorded in raw and never made, and the delivery fails at once.
   */
  @Test
  void aCallbackHostNoLongerAllowedIsRefusedRecordedAndNeverCalled(@TempDir Path dir) throws Exception {
    // a node of its own (its accounts file is edited): a Vert.x of its own, or the two nodes' repositories would
    // share one event-bus address
    Vertx vertx = Vertx.vertx();
    try {
      hostNoLongerAllowed(vertx, dir);
    } finally {
      vertx.close().await();
    }
  }

  private void hostNoLongerAllowed(Vertx vertx, Path dir) throws Exception {
    ServiceConfig config = TestService.config(dir).with("config_reload_ms", 100);
    ConnectorAccounts.write(dir);
    TestService node = TestService.start(vertx, config);
    String take = "push-5";
    String id = greenhouseOrderOn(node, take);

    // 127.0.0.1 taken off the account's hosts; every watch (each HTTP verticle's edge and the repository's) reloads
    Path accounts = dir.resolve("accounts.json");
    java.util.logging.Logger watch = java.util.logging.Logger.getLogger("org.atsassessments.ops.FileWatch");
    java.util.logging.Level level = watch.getLevel();
    watch.setLevel(java.util.logging.Level.INFO);
    try (org.atsassessments.testing.LogRecords log = org.atsassessments.testing.LogRecords.of(watch.getName())) {
      Path written = dir.resolve("accounts.json.new");
      java.nio.file.Files.writeString(written, java.nio.file.Files.readString(accounts).replace("\"127.0.0.1\"", "\"198.51.100.1\""));
      java.nio.file.Files.move(written, accounts, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      long deadline = System.currentTimeMillis() + 10_000;
      while (log.count(("reloaded " + accounts)::equals) < config.httpInstances() + 1) {
        assertTrue(System.currentTimeMillis() < deadline, "the accounts file reloaded everywhere");
        Thread.sleep(20);
      }
    } finally {
      watch.setLevel(level);
    }
    HttpResponse<Buffer> patched = node.client.request(HttpMethod.PATCH, ORDERS + id + "/result")
      .putHeader("Authorization", TestService.basic(ALICE, ALICE_PASSWORD)).putHeader("x-account-id", GREENHOUSE)
      .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(completed("https://vendor.example/reports/5").encode()))
      .await();
    assertEquals(200, patched.statusCode(), patched.bodyAsString());

    JsonObject refused = Eventually.await("the refused call in raw", () -> {
      JsonArray raw = node.client.request(HttpMethod.GET, ORDERS + id + "?raw=true").putHeader("Authorization",
        TestService.basic(ALICE, ALICE_PASSWORD)).putHeader("x-account-id", GREENHOUSE).send().await().bodyAsJsonObject().getJsonArray("raw");
      return raw.size() < 2 ? null : raw.getJsonObject(1);
    }, call -> call != null, 10);
    assertNull(refused.getValue("status"), "never called");
    assertTrue(refused.getString("error").contains("not in allowed_callback_hosts"), refused.encode());
    JsonObject delivery = Eventually.await("the push-back failed", () -> node.client.request(HttpMethod.GET,
        "/webhooks/" + ConnectorSubscriptions.id(GREENHOUSE) + "/deliveries?status=failed")
      .putHeader("Authorization", TestService.basic(ALICE, ALICE_PASSWORD)).send().await().bodyAsJsonObject().getJsonArray("data"),
      list -> !list.isEmpty(), 10).getJsonObject(0);
    assertEquals(1, delivery.getJsonArray("attempts").size(), "failed at once, not retried: " + delivery.encode());
    assertEquals(List.of(), ats.callsTo("/integrations/testing_partners/take_home_tests/" + take));
  }

  /** An ATS that takes the call and never answers: the attempt times out after webhook_timeout_ms and is made again. */
  @Test
  void aCallTheAtsNeverAnswersTimesOutAndIsMadeAgain(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ServiceConfig config = TestService.config(dir).with("webhook_retry_schedule", "100ms,100ms").with("webhook_timeout_ms", 500)
        .with("webhook_lease_ms", 5_000);
      ConnectorAccounts.write(dir);
      TestService node = TestService.start(vertx, config);
      String take = "push-7";
      String id = greenhouseOrderOn(node, take);
      ats.interviews.put(take, id);
      String path = "/integrations/testing_partners/take_home_tests/" + take;
      ats.outage = n -> ats.callsTo(path).isEmpty() ? -1 : 0;  // the first call is never answered

      HttpResponse<Buffer> patched = node.client.request(HttpMethod.PATCH, ORDERS + id + "/result")
        .putHeader("Authorization", TestService.basic(ALICE, ALICE_PASSWORD)).putHeader("x-account-id", GREENHOUSE)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(completed("https://vendor.example/reports/7").encode()))
        .await();
      assertEquals(200, patched.statusCode(), patched.bodyAsString());

      JsonObject delivery = Eventually.await("the push-back succeeded", () -> node.client.request(HttpMethod.GET,
          "/webhooks/" + ConnectorSubscriptions.id(GREENHOUSE) + "/deliveries?status=succeeded")
        .putHeader("Authorization", TestService.basic(ALICE, ALICE_PASSWORD)).send().await().bodyAsJsonObject().getJsonArray("data"),
        list -> list.stream().anyMatch(d -> ((JsonObject) d).getJsonArray("attempts").size() == 2), 15).stream()
        .map(JsonObject.class::cast).filter(d -> d.getJsonArray("attempts").size() == 2).findFirst().orElseThrow();
      JsonObject first = delivery.getJsonArray("attempts").getJsonObject(0);
      assertTrue(first.getString("error").startsWith("timed out"), first.encode());
      assertEquals(200, delivery.getJsonArray("attempts").getJsonObject(1).getInteger("status_code"), delivery.encode());
      assertEquals(List.of(-1, 200), ats.callsTo(path).stream().map(FakeAts.Call::answered).toList());
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void thePushBacksOfAnAccountAreItsUsersOnly() {
    String subscription = "/webhooks/" + ConnectorSubscriptions.id(GREENHOUSE);
    HttpResponse<Buffer> mine = vendor(HttpMethod.GET, subscription, null, ALICE, ALICE_PASSWORD, null);
    assertEquals(200, mine.statusCode(), mine.bodyAsString());
    assertEquals("connector:greenhouse", mine.bodyAsJsonObject().getJsonObject("data").getString("url"));
    assertNull(mine.bodyAsJsonObject().getJsonObject("data").getValue("secret"));
    // bob is not granted gh-acme: its push-backs are not found, exactly like an unknown subscription
    HttpResponse<Buffer> unknown = vendor(HttpMethod.GET, "/webhooks/con_00000000000000000000000000000000/deliveries", null, BOB,
      BOB_PASSWORD, null);
    assertEquals(404, unknown.statusCode());
    for (String path : List.of(subscription, subscription + "/deliveries")) {
      HttpResponse<Buffer> refused = vendor(HttpMethod.GET, path, null, BOB, BOB_PASSWORD, null);
      assertEquals(404, refused.statusCode(), path);
      assertEquals(unknown.bodyAsJsonObject().getString("message"), refused.bodyAsJsonObject().getString("message"));
    }
    assertEquals(404, vendor(HttpMethod.POST, subscription + "/deliveries/00000000-0000-0000-0000-000000000000/redeliver", null, BOB,
      BOB_PASSWORD, null).statusCode());
    // nobody changes it through the API, alice neither: it is the connector's
    assertEquals(404, vendor(HttpMethod.PATCH, subscription, null, ALICE, ALICE_PASSWORD, new JsonObject().put("status", "disabled").encode())
      .statusCode());
    assertEquals(404, vendor(HttpMethod.DELETE, subscription, null, ALICE, ALICE_PASSWORD, null).statusCode());
    assertEquals(404, vendor(HttpMethod.POST, subscription + "/rotate-secret", null, ALICE, ALICE_PASSWORD, null).statusCode());
    // and it is not among alice's own subscriptions
    assertFalse(vendor(HttpMethod.GET, "/webhooks?page_size=100", null, ALICE, ALICE_PASSWORD, null).bodyAsString()
      .contains(ConnectorSubscriptions.id(GREENHOUSE)));
  }

  /** Teamtailor's webhook to {@code account} whose results go to the fake; answers the webhook's answer. */
  private HttpResponse<Buffer> teamtailorOrder(String account, String key, String eventId, String resultId) {
    JsonObject event = TeamtailorConnectorTest.partnerEvent(eventId, resultId, "1");
    event.getJsonObject("partner-event").getJsonObject("partner-result").put("update-url", ats.teamtailorResult(resultId));
    HttpRequest<Buffer> request = service.client.request(HttpMethod.POST, "/connectors/teamtailor/" + account + "/webhook")
      .putHeader("Authorization", "Bearer " + key).putHeader("Content-Type", "application/json");
    if (account.equals(TEAMTAILOR)) {
      request.putHeader("Teamtailor-Signature", TeamtailorConnectorTest.signature(TEAMTAILOR_SIGNING_SECRET,
        System.currentTimeMillis() / 1000, eventId));
    }
    HttpResponse<Buffer> ordered = request.sendBuffer(Buffer.buffer(event.encode())).await();
    assertEquals(200, ordered.statusCode(), ordered.bodyAsString());
    return ordered;
  }

  @Test
  void teamtailorIsToldSentInTheWebhooksAnswerThenGetsTheCompletedResultAsJsonApi() {
    String resultId = "tt-push-1";
    String path = "/partner/v1/partner-results/" + resultId;
    HttpResponse<Buffer> ordered = teamtailorOrder(TEAMTAILOR, TEAMTAILOR_KEY, "evt-push-1", resultId);
    // as Teamtailor reads the answer: the partner result is "sent" without a call of ours
    assertTrue(ats.teamtailorWebhookAnswered(resultId, ordered.statusCode(), ordered.getHeader("Content-Type"), ordered.bodyAsString()),
      ordered.bodyAsString());
    assertEquals("sent", ats.teamtailorStatuses.get(resultId));
    // the order's remote id is Teamtailor's partner result id
    String id = vendor(HttpMethod.GET, ORDERS + resultId, TEAMTAILOR, ALICE, ALICE_PASSWORD, null).bodyAsJsonObject()
      .getJsonObject("data").getString("id");

    // passed, 8 of 0-10: completed, 80, top_fit; then 12 of 10 is sent as 100 (Teamtailor refuses more)
    report(TEAMTAILOR, id, "", new JsonObject().put("result", new JsonObject().put("value", "passed"))
      .put("score", new JsonObject().put("value", "8").put("min", "0").put("max", "10")).put("summary", "Top of the class")
      .put("result_url", "https://vendor.example/reports/tt-1")
      .put("attachments", new JsonArray().add(new JsonObject().put("url", "https://vendor.example/reports/tt-1.pdf"))));
    FakeAts.Call completion = awaitCalls(path, 1).get(0);
    assertEquals("PUT", completion.method());
    assertEquals(200, completion.answered(), completion.toString());
    assertEquals("20180828", completion.headers().get("x-api-version"));
    assertEquals("application/vnd.api+json", completion.headers().get("content-type"));
    assertEquals(resultId, completion.json().getJsonObject("data").getString("id"));
    JsonObject attributes = completion.json().getJsonObject("data").getJsonObject("attributes");
    assertEquals("completed", attributes.getString("status"), "the first call is the result's: sent went in the answer");
    assertEquals("completed", ats.teamtailorStatuses.get(resultId));
    assertEquals("Top of the class", attributes.getString("summary"));
    assertEquals("https://vendor.example/reports/tt-1", attributes.getString("url"));
    assertEquals(new JsonObject().put("score", 80).put("grade", "top_fit"), attributes.getJsonObject("assessment"));
    assertEquals("https://vendor.example/reports/tt-1.pdf", attributes.getJsonArray("attachments").getJsonObject(0).getString("url"));
    report(TEAMTAILOR, id, "", new JsonObject().put("score", new JsonObject().put("value", "12").put("min", "0").put("max", "10")));
    FakeAts.Call over = awaitCalls(path, 2).get(1);
    assertEquals(200, over.answered(), over.body());
    assertEquals(100, over.json().getJsonObject("data").getJsonObject("attributes").getJsonObject("assessment").getInteger("score"));
    assertTrue(ats.callsTo(path).stream().allMatch(call -> call.answered() == 200), "the fake Teamtailor refused none");
    assertFalse(raw(TEAMTAILOR, id).encode().contains("tt-api-key"), "no API key in raw");
    assertEquals(2, ats.callsTo(path).size(), "no sent PUT: " + ats.callsTo(path));
  }

  @Test
  void aTeamtailorAccountWithSentStatusPutGetsSentByPutThenTheResult() {
    String resultId = "tt-put-1";
    String path = "/partner/v1/partner-results/" + resultId;
    assertEquals(200, vendor(HttpMethod.PUT, "/unified/ats/assessments/packages/1", OTHER_TEAMTAILOR, BOB, BOB_PASSWORD,
      new JsonObject().put("name", "Algorithm test").encode()).statusCode());
    HttpResponse<Buffer> ordered = teamtailorOrder(OTHER_TEAMTAILOR, OTHER_TEAMTAILOR_KEY, "evt-put-1", resultId);
    assertEquals(new JsonObject(), ordered.bodyAsJsonObject());
    assertFalse(ats.teamtailorWebhookAnswered(resultId, ordered.statusCode(), ordered.getHeader("Content-Type"), ordered.bodyAsString()),
      "nothing in the answer to update from");
    FakeAts.Call sent = awaitCalls(path, 1).get(0);
    assertEquals("PUT", sent.method());
    assertEquals(200, sent.answered(), sent.toString());
    assertEquals("sent", sent.json().getJsonObject("data").getJsonObject("attributes").getString("status"));
    assertEquals(resultId, sent.json().getJsonObject("data").getString("id"));
    assertEquals("sent", ats.teamtailorStatuses.get(resultId));

    String id = vendor(HttpMethod.GET, ORDERS + resultId, OTHER_TEAMTAILOR, BOB, BOB_PASSWORD, null).bodyAsJsonObject()
      .getJsonObject("data").getString("id");
    HttpResponse<Buffer> patched = vendor(HttpMethod.PATCH, ORDERS + id + "/result", OTHER_TEAMTAILOR, BOB, BOB_PASSWORD,
      completed("https://vendor.example/reports/tt-put-1").encode());
    assertEquals(200, patched.statusCode(), patched.bodyAsString());
    FakeAts.Call completion = awaitCalls(path, 2).get(1);
    assertEquals(200, completion.answered(), completion.toString());
    assertEquals("completed", completion.json().getJsonObject("data").getJsonObject("attributes").getString("status"));
    assertEquals("completed", ats.teamtailorStatuses.get(resultId));
  }
}
