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
import org.atsassessments.model.Secret;
import org.atsassessments.testing.ConnectorAccounts;
import org.atsassessments.testing.StoreSnapshot;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.atsassessments.testing.ConnectorAccounts.OTHER_TEAMTAILOR;
import static org.atsassessments.testing.ConnectorAccounts.OTHER_TEAMTAILOR_KEY;
import static org.atsassessments.testing.ConnectorAccounts.TEAMTAILOR;
import static org.atsassessments.testing.ConnectorAccounts.TEAMTAILOR_KEY;
import static org.atsassessments.testing.ConnectorAccounts.TEAMTAILOR_SIGNING_SECRET;
import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.ALICE_PASSWORD;
import static org.atsassessments.testing.TestService.BOB;
import static org.atsassessments.testing.TestService.BOB_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Teamtailor's Partner API endpoints of a Teamtailor account, called as Teamtailor calls them (Bearer with the
 * provider key; Teamtailor-Signature over t + "." + the partner event id where the account has a signing
 * secret), on a real node: the config form lists the packages, the webhook makes an order through the same
 * repository path as a POST and answers 200 only once it is committed; refusals are plain text, store nothing.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TeamtailorConnectorTest {

  static final String BASE = "/connectors/teamtailor/" + TEAMTAILOR;
  static final String OTHER_BASE = "/connectors/teamtailor/" + OTHER_TEAMTAILOR;

  private TestService service;
  private ServiceConfig config;

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) {
    config = TestService.config(dir).with("body_limit_bytes", 65_536);
    ConnectorAccounts.write(dir);
    service = TestService.start(vertx, config);
    for (String[] owner : new String[][] {{TEAMTAILOR, ALICE, ALICE_PASSWORD}, {OTHER_TEAMTAILOR, BOB, BOB_PASSWORD}}) {
      for (String[] pkg : new String[][] {{"1", "Algorithm test"}, {"2", "Culture fit"}}) {
        HttpResponse<Buffer> put = service.client.request(HttpMethod.PUT, "/unified/ats/assessments/packages/" + pkg[0])
          .putHeader("Authorization", TestService.basic(owner[1], owner[2])).putHeader("x-account-id", owner[0])
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(new JsonObject().put("name", pkg[1]).encode())).await();
        assertEquals(200, put.statusCode(), put.bodyAsString());
      }
    }
  }

  static String signature(String secret, long t, String eventId) {
    return "t=" + t + ",v1=" + HexFormat.of().formatHex(TeamtailorRoutes.hmac(secret, t + "." + eventId));
  }

  static JsonObject partnerEvent(String eventId, String resultId, String test) {
    return new JsonObject().put("partner-event", new JsonObject()
        .put("id", eventId)
        .put("webhook-data", new JsonObject().put("test", test).put("threshold", "75"))
        .put("partner-result", new JsonObject().put("id", resultId).put("status", "sending")
          .put("update-url", "https://api.teamtailor.com/partner/v1/partner-results/" + resultId))
        .put("candidate", new JsonObject().put("id", 54321).put("uuid", "c-uuid-1").put("first-name", "Juston")
          .put("last-name", "Becker").put("email", "juston@example.test").put("phone", "+46 70 000 00 00")
          .put("job", new JsonObject().put("id", 12345).put("title", "Backend Engineer").put("stage-id", 1).put("stage", "After Interview")
            .put("status", new JsonObject().put("rejected", false))
            .put("triggered-by", new JsonObject().put("id", 31).put("email", "recruiter@example.test").put("name", "Ada Lovelace")))
          .put("recruiter", new JsonObject().put("name", "Grace Hopper").put("email", "grace@example.test").put("phone", "+1"))))
      .put("company", new JsonObject().put("uuid", "vAXspNm0J2Y").put("name", "Teamtailor"));
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path, String bearer, String signature, String body) {
    HttpRequest<Buffer> request = service.client.request(method, path);
    if (bearer != null) request.putHeader("Authorization", bearer);
    if (signature != null) request.putHeader("Teamtailor-Signature", signature);
    return body == null ? request.send().await()
      : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await();
  }

  /** A webhook to the signed account, signed now. */
  private HttpResponse<Buffer> webhook(JsonObject body) {
    String eventId = body.getJsonObject("partner-event") == null ? "x" : String.valueOf(body.getJsonObject("partner-event").getValue("id"));
    return call(HttpMethod.POST, BASE + "/webhook", "Bearer " + TEAMTAILOR_KEY,
      signature(TEAMTAILOR_SIGNING_SECRET, System.currentTimeMillis() / 1000, eventId), body.encode());
  }

  private static void plainRefusal(HttpResponse<Buffer> response, int status, String words) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertTrue(response.getHeader("Content-Type").startsWith("text/plain"), response.getHeader("Content-Type"));
    assertTrue(response.bodyAsString().contains(words), response.bodyAsString());
    assertFalse(response.bodyAsString().startsWith("{"), "plain text, not StackOne's body");
    assertFalse(response.bodyAsString().contains("Exception"));
  }

  private StoreSnapshot.Counts counts() {
    try (StoreSnapshot store = StoreSnapshot.open(config)) {
      return store.counts();
    }
  }

  @Test
  void configIsASelectOfTheAccountsPackages() {
    HttpResponse<Buffer> form = call(HttpMethod.GET, BASE + "/config?job_id=12345&stage_id=1&user_id=31", "Bearer " + TEAMTAILOR_KEY,
      null, null);
    assertEquals(200, form.statusCode(), form.bodyAsString());
    JsonArray fields = form.bodyAsJsonObject().getJsonObject("config").getJsonArray("fields");
    assertEquals(1, fields.size());
    JsonObject test = fields.getJsonObject(0);
    assertEquals("test", test.getString("id"));
    assertEquals("select", test.getString("type"));
    assertEquals(List.of(new JsonObject().put("id", "1").put("label", "Algorithm test"), new JsonObject().put("id", "2").put("label", "Culture fit")),
      test.getJsonArray("options").getList().stream().map(o -> o instanceof Map<?, ?> m ? new JsonObject((Map<String, Object>) m) : o).toList());
  }

  @Test
  void anythingButTheAccountsBearerKeyIs401AndTheSameForEveryAccount() {
    HttpResponse<Buffer> reference = call(HttpMethod.GET, BASE + "/config", "Bearer wrong", null, null);
    plainRefusal(reference, 401, "Unauthorized");
    List<String[]> refused = List.of(
      new String[] {BASE, null},
      new String[] {BASE, "Token " + TEAMTAILOR_KEY},
      new String[] {BASE, "Basic " + java.util.Base64.getEncoder().encodeToString((TEAMTAILOR_KEY + ":").getBytes())},
      new String[] {BASE, "Bearer " + OTHER_TEAMTAILOR_KEY},
      new String[] {"/connectors/teamtailor/acme", "Bearer " + TEAMTAILOR_KEY},
      new String[] {"/connectors/teamtailor/" + ConnectorAccounts.GREENHOUSE, "Bearer " + TEAMTAILOR_KEY},
      new String[] {"/connectors/teamtailor/no-such-account", "Bearer " + TEAMTAILOR_KEY});
    for (String[] attempt : refused) {
      for (String endpoint : List.of("/config", "/nope")) {
        HttpResponse<Buffer> response = call(HttpMethod.GET, attempt[0] + endpoint, attempt[1], null, null);
        assertEquals(401, response.statusCode(), attempt[0] + endpoint + " " + attempt[1]);
        assertEquals(reference.bodyAsString(), response.bodyAsString());
      }
      assertEquals(401, call(HttpMethod.POST, attempt[0] + "/webhook", attempt[1], null, partnerEvent("e", "r", "1").encode()).statusCode());
    }
    plainRefusal(call(HttpMethod.GET, BASE + "/no-such-endpoint", "Bearer " + TEAMTAILOR_KEY, null, null), 404, "No such Teamtailor");
    plainRefusal(call(HttpMethod.GET, "/connectors/teamtailor/" + ConnectorAccounts.DISABLED_TEAMTAILOR + "/config", "Bearer " + TEAMTAILOR_KEY,
      null, null), 403, "disabled");
    plainRefusal(call(HttpMethod.POST, BASE + "/webhook", "Bearer " + TEAMTAILOR_KEY, null, "{\"x\":\"" + "y".repeat(70_000) + "\"}"),
      413, "too large");
  }

  @Test
  void aWebhookMakesTheOrderAndTheVendorReadsItAsStackOnesOrder() {
    JsonObject body = partnerEvent("f3d7-1", "1a6d-1", "1");
    StoreSnapshot.Counts before = counts();
    HttpResponse<Buffer> answered = webhook(body);
    assertEquals(200, answered.statusCode(), answered.bodyAsString());
    assertEquals(before.orders() + 1, counts().orders(), "committed before the 200 (Teamtailor never retries)");
    // Teamtailor's Webhook Response: the partner result becomes "sent" from the answer itself
    assertEquals("application/json", answered.getHeader("Content-Type"));
    assertEquals(TeamtailorRoutes.sent(), answered.bodyAsJsonObject());
    // the same event again (a trigger fired twice) is the same order
    assertEquals(200, webhook(body).statusCode());
    assertEquals(before.orders() + 1, counts().orders());
    JsonObject changed = body.copy();
    changed.getJsonObject("partner-event").getJsonObject("candidate").put("email", "someone-else@example.test");
    plainRefusal(webhook(changed), 409, "different body");
    assertEquals(before.orders() + 1, counts().orders());

    HttpResponse<Buffer> read = service.client.request(HttpMethod.GET, "/unified/ats/assessments/orders/1a6d-1?raw=true")
      .putHeader("Authorization", TestService.basic(ALICE, ALICE_PASSWORD)).putHeader("x-account-id", TEAMTAILOR).send().await();
    assertEquals(200, read.statusCode(), read.bodyAsString());
    JsonObject order = read.bodyAsJsonObject().getJsonObject("data");
    assertEquals("1a6d-1", order.getString("remote_id"));
    assertEquals("1", order.getJsonObject("package").getString("id"));
    assertEquals("Algorithm test", order.getJsonObject("package").getString("name"));
    JsonObject candidate = order.getJsonObject("candidate");
    assertEquals("54321", candidate.getString("remote_id"));
    assertEquals("Juston", candidate.getString("first_name"));
    assertEquals("Becker", candidate.getString("last_name"));
    assertEquals("juston@example.test", candidate.getJsonArray("emails").getJsonObject(0).getString("value"));
    JsonObject job = order.getJsonObject("job");
    assertEquals("12345", job.getString("remote_id"));
    assertEquals("Backend Engineer", job.getString("title"));
    JsonObject recruiter = job.getJsonArray("hiring_team").getJsonObject(0);
    assertEquals("grace@example.test", recruiter.getString("email"));
    assertEquals("Grace", recruiter.getString("first_name"));
    assertEquals("Recruiter", recruiter.getString("role"));
    assertEquals(new JsonObject().put("value", "interview").put("source_value", "After Interview"),
      order.getJsonObject("application").getJsonObject("application_status"), "the stage through conf/status-maps/teamtailor.json");
    JsonObject requester = order.getJsonObject("requester");
    assertEquals("recruiter@example.test", requester.getString("email"));
    assertEquals("Ada", requester.getString("first_name"));
    assertEquals("Lovelace", requester.getString("last_name"));
    assertEquals("31", requester.getString("user_id"));
    JsonObject exchange = read.bodyAsJsonObject().getJsonArray("raw").getJsonObject(0);
    assertEquals("teamtailor", exchange.getString("provider"));
    assertEquals(body, exchange.getJsonObject("received"));
    assertEquals(TeamtailorRoutes.sent(), exchange.getJsonObject("answered"), "raw shows what Teamtailor was answered");
    assertFalse(read.bodyAsString().contains(TEAMTAILOR_KEY) || read.bodyAsString().contains(TEAMTAILOR_SIGNING_SECRET));

    // bob's Teamtailor account has no signing secret: the bearer key alone is enough there
    HttpResponse<Buffer> unsigned = call(HttpMethod.POST, OTHER_BASE + "/webhook", "Bearer " + OTHER_TEAMTAILOR_KEY, null,
      partnerEvent("f3d7-2", "1a6d-2", "2").encode());
    assertEquals(200, unsigned.statusCode(), unsigned.bodyAsString());
    assertEquals(new JsonObject(), unsigned.bodyAsJsonObject(), "sent_status put: the answer says nothing, a PUT will");
    assertEquals(404, service.client.request(HttpMethod.GET, "/unified/ats/assessments/orders/1a6d-2")
      .putHeader("Authorization", TestService.basic(ALICE, ALICE_PASSWORD)).putHeader("x-account-id", TEAMTAILOR).send().await()
      .statusCode(), "another account's order");
  }

  @Test
  void aMissingWrongOrStaleSignatureIs401AndStoresNothing() {
    StoreSnapshot.Counts before = counts();
    JsonObject body = partnerEvent("sig-1", "sig-result-1", "1");
    long now = System.currentTimeMillis() / 1000;
    for (String header : new String[] {null, "", "t=" + now, "v1=00", signature("another-secret", now, "sig-1"),
      signature(TEAMTAILOR_SIGNING_SECRET, now, "another-event"), signature(TEAMTAILOR_SIGNING_SECRET, now - 310, "sig-1"),
      signature(TEAMTAILOR_SIGNING_SECRET, now + 310, "sig-1"), "t=abc,v1=00", "t=" + now + ",v1=not-hex"}) {
      HttpResponse<Buffer> refused = call(HttpMethod.POST, BASE + "/webhook", "Bearer " + TEAMTAILOR_KEY, header, body.encode());
      plainRefusal(refused, 401, "Teamtailor-Signature");
    }
    assertEquals(before, counts(), "nothing stored");
    // one good signature among several (a secret being rotated) is enough
    String good = signature(TEAMTAILOR_SIGNING_SECRET, now - 200, "sig-1");
    assertTrue(TeamtailorRoutes.signed("t=" + (now - 200) + ",v1=" + "ab".repeat(32) + "," + good.substring(good.indexOf("v1=")), "sig-1",
      new Secret(TEAMTAILOR_SIGNING_SECRET), now));
    // the window's edges, at a clock of our own (over HTTP, ±310 s: the server's clock may be a second on)
    Secret secret = new Secret(TEAMTAILOR_SIGNING_SECRET);
    assertTrue(TeamtailorRoutes.signed(signature(TEAMTAILOR_SIGNING_SECRET, now - 300, "sig-1"), "sig-1", secret, now));
    assertTrue(TeamtailorRoutes.signed(signature(TEAMTAILOR_SIGNING_SECRET, now + 300, "sig-1"), "sig-1", secret, now));
    assertFalse(TeamtailorRoutes.signed(signature(TEAMTAILOR_SIGNING_SECRET, now - 301, "sig-1"), "sig-1", secret, now));
    assertFalse(TeamtailorRoutes.signed(signature(TEAMTAILOR_SIGNING_SECRET, now + 301, "sig-1"), "sig-1", secret, now));
    assertEquals(200, call(HttpMethod.POST, BASE + "/webhook", "Bearer " + TEAMTAILOR_KEY, good, body.encode()).statusCode());
    // an event id that is a number is signed as its digits
    JsonObject numbered = partnerEvent("x", "sig-result-2", "1");
    numbered.getJsonObject("partner-event").put("id", 987654);
    assertEquals(200, call(HttpMethod.POST, BASE + "/webhook", "Bearer " + TEAMTAILOR_KEY,
      signature(TEAMTAILOR_SIGNING_SECRET, now, "987654"), numbered.encode()).statusCode());
  }

  @Test
  void aWebhookThatCannotBeAnOrderIsRefusedInPlainTextAndStoresNothing() {
    StoreSnapshot.Counts before = counts();
    Map<String, Consumer<JsonObject>> breakages = Map.of(
      "partner-event.webhook-data.test", event -> event.getJsonObject("webhook-data").remove("test"),
      "partner-event.partner-result.update-url", event -> event.getJsonObject("partner-result").remove("update-url"),
      "partner-event.partner-result.id", event -> event.getJsonObject("partner-result").remove("id"),
      "partner-event.candidate.first-name", event -> event.getJsonObject("candidate").remove("first-name"),
      "partner-event.candidate.email", event -> event.getJsonObject("candidate").remove("email"),
      "partner-event.candidate", event -> event.remove("candidate"),
      "partner-event.candidate.job", event -> event.getJsonObject("candidate").put("job", "not an object"));
    breakages.forEach((field, breakage) -> {
      JsonObject body = partnerEvent("bad-" + field, "bad-result-" + field, "1");
      breakage.accept(body.getJsonObject("partner-event"));
      plainRefusal(webhook(body), 400, field);
    });
    plainRefusal(call(HttpMethod.POST, BASE + "/webhook", "Bearer " + TEAMTAILOR_KEY, null, "not json"), 400, "not valid JSON");
    plainRefusal(call(HttpMethod.POST, BASE + "/webhook", "Bearer " + TEAMTAILOR_KEY, null, "{}"), 400, "partner-event");
    plainRefusal(webhook(partnerEvent("unknown-test", "unknown-test-result", "99")), 404, "Unknown test");
    JsonObject elsewhere = partnerEvent("elsewhere", "elsewhere-result", "1");
    elsewhere.getJsonObject("partner-event").getJsonObject("partner-result").put("update-url", "https://evil.example/partner-results/1");
    plainRefusal(webhook(elsewhere), 422, "update-url");
    assertEquals(before, counts(), "refusals store nothing");
  }

  @Test
  void theApplicationStatusComesFromTheStageThroughTheTableAndRejectedWins() {
    JsonObject unknownStage = partnerEvent("stage-1", "stage-result-1", "1");
    unknownStage.getJsonObject("partner-event").getJsonObject("candidate").getJsonObject("job").put("stage", "Coffee with the CEO");
    assertEquals(200, webhook(unknownStage).statusCode());
    JsonObject rejected = partnerEvent("stage-2", "stage-result-2", "1");
    rejected.getJsonObject("partner-event").getJsonObject("candidate").getJsonObject("job")
      .put("status", new JsonObject().put("rejected", true));
    assertEquals(200, webhook(rejected).statusCode());
    assertEquals(new JsonObject().put("value", "unmapped_value").put("source_value", "Coffee with the CEO"), applicationStatus("stage-result-1"));
    assertEquals(new JsonObject().put("value", "rejected").put("source_value", "After Interview"), applicationStatus("stage-result-2"));
  }

  private JsonObject applicationStatus(String remoteId) {
    return service.client.request(HttpMethod.GET, "/unified/ats/assessments/orders/" + remoteId)
      .putHeader("Authorization", TestService.basic(ALICE, ALICE_PASSWORD)).putHeader("x-account-id", TEAMTAILOR).send().await()
      .bodyAsJsonObject().getJsonObject("data").getJsonObject("application").getJsonObject("application_status");
  }
}
