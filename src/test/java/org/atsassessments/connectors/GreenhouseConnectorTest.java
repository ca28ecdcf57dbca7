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
import org.atsassessments.testing.ConnectorAccounts;
import org.atsassessments.testing.StoreSnapshot;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.ALICE_PASSWORD;
import static org.atsassessments.testing.TestService.BOB;
import static org.atsassessments.testing.TestService.BOB_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Greenhouse's Assessment Partner endpoints of a greenhouse account, called as Greenhouse calls them (Basic with
 * the account's inbound key and an empty password), on a real node: tests listed from the packages, send_test
 * making an order through the same repository path as a POST (validated, idempotent, nothing stored on a
 * refusal), test_status from the latest result, response_error counted. Errors are Greenhouse-style bodies.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GreenhouseConnectorTest {

  static final String GH = ConnectorAccounts.GREENHOUSE;
  static final String OTHER_GH = ConnectorAccounts.OTHER_GREENHOUSE;
  static final String KEY = ConnectorAccounts.GREENHOUSE_KEY;
  static final String OTHER_KEY = ConnectorAccounts.OTHER_GREENHOUSE_KEY;
  static final String BASE = "/connectors/greenhouse/" + GH;

  private TestService service;
  private ServiceConfig config;

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    config = TestService.config(dir).with("body_limit_bytes", 65_536);
    ConnectorAccounts.write(dir);
    service = TestService.start(vertx, config);
    for (String account : List.of(GH, OTHER_GH)) {
      for (String[] pkg : new String[][] {{"gh-test-1", "Algorithms"}, {"gh-test-2", "Personality"}}) {
        JsonObject body = new JsonObject().put("name", pkg[1]).put("description", "a test");
        HttpResponse<Buffer> put = vendor(HttpMethod.PUT, "/unified/ats/assessments/packages/" + pkg[0], account,
          account.equals(GH) ? ALICE : BOB, account.equals(GH) ? ALICE_PASSWORD : BOB_PASSWORD, body.encode());
        assertEquals(200, put.statusCode(), put.bodyAsString());
      }
    }
  }

  static String greenhouseAuth(String key) {
    return ConnectorAccounts.greenhouseAuth(key);
  }

  private HttpResponse<Buffer> greenhouse(HttpMethod method, String path, String authorization, String body) {
    HttpRequest<Buffer> request = service.client.request(method, path);
    if (authorization != null) request.putHeader("Authorization", authorization);
    return body == null ? request.send().await()
      : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await();
  }

  private HttpResponse<Buffer> greenhouse(HttpMethod method, String path, String body) {
    return greenhouse(method, path, greenhouseAuth(KEY), body);
  }

  private HttpResponse<Buffer> vendor(HttpMethod method, String path, String account, String user, String password, String body) {
    HttpRequest<Buffer> request = service.client.request(method, path).putHeader("Authorization", TestService.basic(user, password))
      .putHeader("x-account-id", account);
    return body == null ? request.send().await()
      : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await();
  }

  static JsonObject sendTest(String takeHomeTest, String testId) {
    return new JsonObject()
      .put("partner_test_id", testId)
      .put("candidate", new JsonObject().put("first_name", "Harry").put("last_name", "Potter").put("preferred_name", null)
        .put("resume_url", "https://app.greenhouse.io/resumes/1").put("phone_number", "+44 20 7946 0000")
        .put("email", "hpotter@hogwarts.edu")
        .put("greenhouse_profile_url", "https://app.greenhouse.io/people/17681532?application_id=26234709"))
      .put("sent_by", "test_sender@example.org")
      .put("url", "https://app.greenhouse.io/integrations/testing_partners/take_home_tests/" + takeHomeTest);
  }

  /** Greenhouse's error style: a message (and the field), never StackOne's statusCode/timestamp body. */
  private static void greenhouseError(HttpResponse<Buffer> response, int status, String words) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals("application/json", response.getHeader("Content-Type"));
    JsonObject body = response.bodyAsJsonObject();
    assertTrue(body.getString("message").contains(words), body.encode());
    assertNull(body.getValue("statusCode"), "not StackOne's body");
    assertNull(body.getValue("timestamp"));
    assertFalse(response.bodyAsString().contains("Exception"), "no stack trace");
  }

  @Test
  void listTestsAnswersTheAccountsPackagesOnly() {
    HttpResponse<Buffer> tests = greenhouse(HttpMethod.GET, BASE + "/list_tests", null);
    assertEquals(200, tests.statusCode(), tests.bodyAsString());
    JsonArray list = tests.bodyAsJsonArray();
    assertTrue(list.contains(new JsonObject().put("partner_test_id", "gh-test-1").put("partner_test_name", "Algorithms")), list.encode());
    assertTrue(list.contains(new JsonObject().put("partner_test_id", "gh-test-2").put("partner_test_name", "Personality")));
    assertEquals(2, list.size(), "the other Greenhouse account's packages are its own: " + list.encode());
  }

  @Test
  void anythingButTheAccountsKeyWithAnEmptyPasswordIs401AndTheSameForEveryAccount() {
    HttpResponse<Buffer> reference = greenhouse(HttpMethod.GET, BASE + "/list_tests", greenhouseAuth("wrong"), null);
    greenhouseError(reference, 401, "Invalid API key");
    assertNotNull(reference.getHeader("WWW-Authenticate"));
    List<String[]> refused = List.of(
      new String[] {BASE, null},
      new String[] {BASE, "Bearer " + KEY},
      new String[] {BASE, "Basic " + Base64.getEncoder().encodeToString((KEY + ":a-password").getBytes())},
      new String[] {BASE, "Basic " + Base64.getEncoder().encodeToString(KEY.getBytes())},
      new String[] {BASE, "Basic !!!"},
      new String[] {BASE, greenhouseAuth(OTHER_KEY)},  // another account's key
      new String[] {"/connectors/greenhouse/acme", greenhouseAuth(KEY)},  // a native account
      new String[] {"/connectors/greenhouse/no-such-account", greenhouseAuth(KEY)},
      new String[] {"/connectors/greenhouse/no-such-account", greenhouseAuth("wrong")});
    for (String[] attempt : refused) {
      for (String endpoint : List.of("/list_tests", "/test_status?partner_interview_id=x", "/nope")) {
        HttpResponse<Buffer> response = greenhouse(HttpMethod.GET, attempt[0] + endpoint, attempt[1], null);
        assertEquals(401, response.statusCode(), attempt[0] + endpoint + " " + attempt[1]);
        assertEquals(reference.bodyAsString(), response.bodyAsString(), "a refusal says nothing about the account");
      }
      HttpResponse<Buffer> send = greenhouse(HttpMethod.POST, attempt[0] + "/send_test", attempt[1], sendTest("refused", "gh-test-1").encode());
      assertEquals(401, send.statusCode());
    }
    // a vendor's StackOne credentials are not Greenhouse's
    assertEquals(401, greenhouse(HttpMethod.GET, BASE + "/list_tests", TestService.basic(ALICE, ALICE_PASSWORD), null).statusCode());
    greenhouseError(greenhouse(HttpMethod.GET, BASE + "/no-such-endpoint", null), 404, "No such Greenhouse partner endpoint");
    // the right key on a disabled account: the caller knows the key, so it may learn the account is disabled
    greenhouseError(greenhouse(HttpMethod.GET, "/connectors/greenhouse/" + ConnectorAccounts.DISABLED_GREENHOUSE + "/list_tests", null),
      403, "disabled");
    // a body over the edge's limit, in Greenhouse's style too
    greenhouseError(greenhouse(HttpMethod.POST, BASE + "/send_test", "{\"x\":\"" + "y".repeat(70_000) + "\"}"), 413, "too large");
    greenhouseError(greenhouse(HttpMethod.DELETE, BASE + "/send_test", null), 404, "No such Greenhouse partner endpoint");
  }

  @Test
  void sendTestMakesTheOrderOnceAndTheVendorReadsItAsStackOnesOrder() {
    JsonObject body = sendTest("12345", "gh-test-1");
    HttpResponse<Buffer> sent = greenhouse(HttpMethod.POST, BASE + "/send_test", body.encode());
    assertEquals(200, sent.statusCode(), sent.bodyAsString());
    String id = sent.bodyAsJsonObject().getString("partner_interview_id");
    assertNotNull(id);
    assertEquals(1, sent.bodyAsJsonObject().size());

    // a repeat (Greenhouse has no idempotency key: the url is it) answers the same order and stores nothing
    long orders;
    try (StoreSnapshot store = StoreSnapshot.open(config)) {
      orders = store.counts().orders();
    }
    HttpResponse<Buffer> again = greenhouse(HttpMethod.POST, BASE + "/send_test", body.encode());
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertEquals(id, again.bodyAsJsonObject().getString("partner_interview_id"));
    try (StoreSnapshot store = StoreSnapshot.open(config)) {
      assertEquals(orders, store.counts().orders());
    }

    HttpResponse<Buffer> read = vendor(HttpMethod.GET, "/unified/ats/assessments/orders/" + id + "?raw=true", GH, ALICE, ALICE_PASSWORD, null);
    assertEquals(200, read.statusCode(), read.bodyAsString());
    JsonObject order = read.bodyAsJsonObject().getJsonObject("data");
    assertEquals("12345", order.getString("remote_id"));
    assertEquals(new JsonObject().put("id", "gh-test-1").put("remote_id", null).put("name", "Algorithms").put("description", null),
      order.getJsonObject("package").copy().put("remote_id", null).put("description", null));
    JsonObject candidate = order.getJsonObject("candidate");
    assertEquals("Harry", candidate.getString("first_name"));
    assertEquals("Potter", candidate.getString("last_name"));
    assertEquals(new JsonArray().add(new JsonObject().put("type", "personal").put("value", "hpotter@hogwarts.edu")),
      candidate.getJsonArray("emails"));
    assertEquals("https://app.greenhouse.io/people/17681532?application_id=26234709", candidate.getString("profile_url"));
    assertEquals("17681532", candidate.getString("remote_id"));
    assertEquals("+44 20 7946 0000", candidate.getJsonObject("passthrough").getString("phone_number"));
    assertEquals("26234709", order.getJsonObject("application").getString("remote_id"));
    assertEquals("test_sender@example.org", order.getJsonObject("requester").getString("email"));
    assertEquals(TestService.PUBLIC_URL + "/unified/ats/assessments/orders/" + id + "/result", order.getString("results_update_url"));
    JsonObject exchange = read.bodyAsJsonObject().getJsonArray("raw").getJsonObject(0);
    assertEquals("greenhouse", exchange.getString("provider"));
    assertEquals("POST", exchange.getString("method"));
    assertTrue(exchange.getString("url").endsWith(BASE + "/send_test"), exchange.getString("url"));
    assertEquals(body, exchange.getJsonObject("received"), "raw shows what Greenhouse sent");
    assertFalse(read.bodyAsString().contains(KEY), "no credential in raw");

    // the other account (and its user) never sees it
    assertEquals(404, vendor(HttpMethod.GET, "/unified/ats/assessments/orders/" + id, OTHER_GH, BOB, BOB_PASSWORD, null).statusCode());
    // its event names the provider
    HttpResponse<Buffer> events = vendor(HttpMethod.GET, "/unified/ats/assessments/events?page_size=100&filter[type]=ats_assessments.created",
      GH, ALICE, ALICE_PASSWORD, null);
    assertEquals(200, events.statusCode(), events.bodyAsString());
    JsonObject event = events.bodyAsJsonObject().getJsonArray("data").stream().map(JsonObject.class::cast)
      .filter(e -> id.equals(e.getString("record_id"))).findFirst().orElseThrow();
    assertEquals("greenhouse", event.getString("provider"));
  }

  @Test
  void aSendTestThatCannotBeAnOrderIsRefusedNamingWhyAndStoresNothing() {
    long orders;
    long events;
    try (StoreSnapshot store = StoreSnapshot.open(config)) {
      orders = store.counts().orders();
      events = store.counts().events();
    }
    for (String field : List.of("first_name", "last_name", "email", "greenhouse_profile_url")) {
      JsonObject body = sendTest("missing-" + field, "gh-test-1");
      body.getJsonObject("candidate").remove(field);
      HttpResponse<Buffer> refused = greenhouse(HttpMethod.POST, BASE + "/send_test", body.encode());
      greenhouseError(refused, 400, "candidate." + field);
      assertEquals("candidate." + field, refused.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"));
    }
    for (String field : List.of("url", "partner_test_id", "candidate")) {
      JsonObject body = sendTest("missing-" + field, "gh-test-1");
      body.remove(field);
      greenhouseError(greenhouse(HttpMethod.POST, BASE + "/send_test", body.encode()), 400, field);
    }
    JsonObject wrongType = sendTest("wrong-type", "gh-test-1");
    wrongType.getJsonObject("candidate").put("email", 42);
    greenhouseError(greenhouse(HttpMethod.POST, BASE + "/send_test", wrongType.encode()), 400, "candidate.email");
    greenhouseError(greenhouse(HttpMethod.POST, BASE + "/send_test", "not json"), 400, "not valid JSON");
    greenhouseError(greenhouse(HttpMethod.POST, BASE + "/send_test", "[1]"), 400, "JSON object");
    greenhouseError(greenhouse(HttpMethod.POST, BASE + "/send_test", ""), 400, "body is required");
    greenhouseError(greenhouse(HttpMethod.POST, BASE + "/send_test", sendTest("unknown-test", "no-such-test").encode()), 404,
      "Unknown partner_test_id");
    JsonObject elsewhere = sendTest("elsewhere", "gh-test-1")
      .put("url", "https://evil.example/integrations/testing_partners/take_home_tests/1");
    greenhouseError(greenhouse(HttpMethod.POST, BASE + "/send_test", elsewhere.encode()), 422, "url");
    greenhouseError(greenhouse(HttpMethod.POST, BASE + "/send_test", elsewhere.put("url", "file:///etc/passwd").encode()), 422, "url");
    // a body too deep for the edge's nesting limit: still Greenhouse's style
    String deep = "{\"a\":".repeat(200) + "1" + "}".repeat(200);
    greenhouseError(greenhouse(HttpMethod.POST, BASE + "/send_test", deep), 400, "nested");
    // the same url with another body is not merged into the first order
    greenhouse(HttpMethod.POST, BASE + "/send_test", sendTest("conflict", "gh-test-1").encode());
    try (StoreSnapshot store = StoreSnapshot.open(config)) {
      orders = store.counts().orders();
      events = store.counts().events();
    }
    JsonObject changed = sendTest("conflict", "gh-test-2");
    greenhouseError(greenhouse(HttpMethod.POST, BASE + "/send_test", changed.encode()), 409, "different body");
    try (StoreSnapshot store = StoreSnapshot.open(config)) {
      assertEquals(orders, store.counts().orders(), "refusals store no order");
      assertEquals(events, store.counts().events(), "and no event");
    }
  }

  @Test
  void testStatusFollowsTheLatestResultAndIsCompleteWithScoreAndProfileOnceDone() {
    String id = greenhouse(HttpMethod.POST, BASE + "/send_test", sendTest("status-1", "gh-test-2").encode())
      .bodyAsJsonObject().getString("partner_interview_id");
    HttpResponse<Buffer> initiated = greenhouse(HttpMethod.GET, BASE + "/test_status?partner_interview_id=" + id, null);
    assertEquals(200, initiated.statusCode(), initiated.bodyAsString());
    assertEquals(new JsonObject().put("partner_status", "initiated"), initiated.bodyAsJsonObject());

    patch(id, new JsonObject().put("result", new JsonObject().put("value", "in_progress")));
    assertEquals(new JsonObject().put("partner_status", "in_progress"),
      greenhouse(HttpMethod.GET, BASE + "/test_status?partner_interview_id=" + id, null).bodyAsJsonObject());

    patch(id, new JsonObject().put("result", new JsonObject().put("value", "passed"))
      .put("score", new JsonObject().put("label", "Score").put("value", "81").put("min", "0").put("max", "100"))
      .put("result_url", "https://tests.example.test/results/" + id).put("summary", "Strong on recursion")
      .put("start_date", "2026-11-30T10:00:00.000Z").put("submission_date", "2026-11-30T11:00:00.000Z"));
    JsonObject complete = greenhouse(HttpMethod.GET, BASE + "/test_status?partner_interview_id=" + id, null).bodyAsJsonObject();
    assertEquals("complete", complete.getString("partner_status"), complete.encode());
    assertEquals("https://tests.example.test/results/" + id, complete.getString("partner_profile_url"));
    assertEquals(81, complete.getValue("partner_score"), "a number, not StackOne's string");
    JsonObject metadata = complete.getJsonObject("metadata");
    assertEquals("Strong on recursion", metadata.getString("Summary"));
    assertEquals("2026-11-30T10:00:00.000Z", metadata.getString("Started At"));
    metadata.forEach(entry -> assertFalse(entry.getValue() instanceof JsonObject || entry.getValue() instanceof JsonArray,
      "metadata is flat: " + entry));

    greenhouseError(greenhouse(HttpMethod.GET, BASE + "/test_status?partner_interview_id=no-such-order", null), 404,
      "Unknown partner_interview_id");
    greenhouseError(greenhouse(HttpMethod.GET, BASE + "/test_status", null), 400, "partner_interview_id is required");
    // an order of another Greenhouse account is unknown here, exactly like one that does not exist
    String other = greenhouse(HttpMethod.POST, "/connectors/greenhouse/" + OTHER_GH + "/send_test", greenhouseAuth(OTHER_KEY),
      sendTest("status-other", "gh-test-1").encode()).bodyAsJsonObject().getString("partner_interview_id");
    HttpResponse<Buffer> foreign = greenhouse(HttpMethod.GET, BASE + "/test_status?partner_interview_id=" + other, null);
    greenhouseError(foreign, 404, "Unknown partner_interview_id");
  }

  /** An account's status_map entry changes what test_status says for that account only. */
  @Test
  void anAccountsStatusMapOverridesTheShippedTable() {
    String bobs = greenhouse(HttpMethod.POST, "/connectors/greenhouse/" + OTHER_GH + "/send_test", greenhouseAuth(OTHER_KEY),
      sendTest("mapped-1", "gh-test-1").encode()).bodyAsJsonObject().getString("partner_interview_id");
    String alices = greenhouse(HttpMethod.POST, BASE + "/send_test", sendTest("mapped-2", "gh-test-1").encode())
      .bodyAsJsonObject().getString("partner_interview_id");
    HttpResponse<Buffer> patched = vendor(HttpMethod.PATCH, "/unified/ats/assessments/orders/" + bobs + "/result", OTHER_GH, BOB,
      BOB_PASSWORD, new JsonObject().put("result", new JsonObject().put("value", "in_progress")).encode());
    assertEquals(200, patched.statusCode(), patched.bodyAsString());
    patch(alices, new JsonObject().put("result", new JsonObject().put("value", "in_progress")));
    assertEquals(new JsonObject().put("partner_status", "started"), greenhouse(HttpMethod.GET,
      "/connectors/greenhouse/" + OTHER_GH + "/test_status?partner_interview_id=" + bobs, greenhouseAuth(OTHER_KEY), null).bodyAsJsonObject());
    assertEquals(new JsonObject().put("partner_status", "in_progress"),
      greenhouse(HttpMethod.GET, BASE + "/test_status?partner_interview_id=" + alices, null).bodyAsJsonObject());
  }

  private void patch(String id, JsonObject result) {
    HttpResponse<Buffer> patched = vendor(HttpMethod.PATCH, "/unified/ats/assessments/orders/" + id + "/result", GH, ALICE,
      ALICE_PASSWORD, result.encode());
    assertEquals(200, patched.statusCode(), patched.bodyAsString());
  }

  @Test
  void responseErrorIsAcknowledgedAndCounted() {
    JsonObject report = new JsonObject().put("api_call", "test_status")
      .put("errors", new JsonArray().add("partner_status is 'complete' but partner_profile url is missing"))
      .put("partner_test_id", 12345).put("partner_interview_id", 299506).put("candidate_email", "hpotter@hogwarts.edu");
    HttpResponse<Buffer> answered = greenhouse(HttpMethod.POST, BASE + "/response_error", report.encode());
    assertEquals(200, answered.statusCode(), answered.bodyAsString());
    greenhouseError(greenhouse(HttpMethod.POST, BASE + "/response_error", new JsonObject().put("errors", new JsonArray()).encode()),
      400, "api_call");
  }
}
