package org.atsassessments;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.atsassessments.testing.ContractAssertions.TIMESTAMP;
import static org.atsassessments.testing.ContractAssertions.assertMatches;
import static org.atsassessments.testing.ContractAssertions.assertSameError;
import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PATCH .../orders/{id}/result ("Update Assessments Result") and GET .../orders/{id}/results ("Get
 * Assessments Results"), with the result history and the ETag / If-Match guard.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultsTest {

  private static final JsonObject PASSED = new JsonObject()
    .put("score", new JsonObject().put("label", "Percentage").put("value", "80").put("min", "0").put("max", "100"))
    .put("start_date", "2021-01-01T01:01:01.000Z")
    .put("submission_date", "2021-01-01T03:01:01+02:00")
    .put("summary", "Test is passed")
    .put("result", new JsonObject().put("value", "passed").put("source_value", "Passed"))
    .put("result_url", "https://vendor.example/result?id=xyz")
    .put("attachments", new JsonArray().add(new JsonObject().put("url", "http://example.com/report.pdf")
      .put("content_type", new JsonObject().put("value", "pdf").put("source_value", "application/pdf"))))
    .put("candidate", new JsonObject().put("profile_url", "https://vendor.example/candidates/7"))
    .put("passthrough", new JsonObject().put("anything", 1));

  private TestService service;
  private int orders;
  /** This test's own order: a result and a version of its own, whatever the other tests of the node did. */
  private String remoteId;
  private String orderId;

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) {
    service = TestService.start(vertx, dir);
  }

  @BeforeEach
  void createAnOrder() {
    remoteId = "ats-order-" + ++orders;
    orderId = service.orderId(remoteId);
  }

  private HttpResponse<Buffer> getResults(String query) {
    return service.get(ORDERS + "/" + orderId + "/results" + query);
  }

  @Test
  void aPatchAnswersStackOnesUpdateResultAndTheResultIsReadBack() {
    HttpResponse<Buffer> patched = service.patchResult(orderId, PASSED, null);

    assertEquals(200, patched.statusCode(), patched.bodyAsString());
    assertEquals("application/json", patched.getHeader("content-type"));
    assertMatches("UpdateResult", patched.body());
    JsonObject body = patched.bodyAsJsonObject();
    assertEquals(200, body.getInteger("statusCode"));
    assertEquals("Record updated successfully.", body.getString("message"));
    assertTrue(body.getString("timestamp").matches(TIMESTAMP));
    assertEquals("\"1\"", patched.getHeader("ETag"));

    HttpResponse<Buffer> read = getResults("");
    assertEquals(200, read.statusCode());
    assertMatches("AssessmentResultsResult", read.body());
    assertEquals(new JsonObject().put("data", new JsonObject()
      .put("id", orderId)
      .put("remote_id", remoteId)
      .put("candidate", new JsonObject().put("id", "cand-" + remoteId).put("remote_id", "remote-cand-" + remoteId)
        .put("profile_url", "https://vendor.example/candidates/7"))
      .put("score", PASSED.getJsonObject("score"))
      .put("start_date", "2021-01-01T01:01:01.000Z")
      .put("submission_date", "2021-01-01T01:01:01.000Z")
      .put("summary", "Test is passed")
      .put("result", PASSED.getJsonObject("result"))
      .put("result_url", "https://vendor.example/result?id=xyz")
      .put("attachments", PASSED.getJsonArray("attachments"))), read.bodyAsJsonObject());
    assertEquals("\"1\"", read.getHeader("ETag"));
  }

  @Test
  void everyUpdateIsKeptAndTheLatestResultMergesThem() {
    JsonObject started = new JsonObject().put("result", new JsonObject().put("value", "in_progress"))
      .put("start_date", "2021-01-01T01:01:01.000Z");
    JsonObject finished = new JsonObject().put("result", new JsonObject().put("value", "passed"))
      .put("score", new JsonObject().put("value", "91")).put("summary", null);

    assertEquals(200, service.patchResult(orderId, started, null).statusCode());
    assertEquals(200, service.patchResult(orderId, finished, null).statusCode());

    HttpResponse<Buffer> read = getResults("?raw=true");
    JsonObject data = read.bodyAsJsonObject().getJsonObject("data");
    assertEquals("passed", data.getJsonObject("result").getString("value"));
    assertEquals("2021-01-01T01:01:01.000Z", data.getString("start_date"), "kept from the first update");
    assertEquals("91", data.getJsonObject("score").getString("value"));
    JsonArray raw = read.bodyAsJsonObject().getJsonArray("raw");
    assertEquals(2, raw.size(), "both updates are kept");
    assertEquals(started, raw.getJsonObject(0).getJsonObject("body"));
    assertEquals(finished, raw.getJsonObject(1).getJsonObject("body"));
    assertEquals("PATCH", raw.getJsonObject(1).getString("method"));
    assertEquals("Record updated successfully.", raw.getJsonObject(1).getJsonObject("response").getString("message"));
    assertMatches("AssessmentResultsResult", read.body());
    assertEquals("\"2\"", read.getHeader("ETag"));
  }

  @Test
  void aLegacyTopLevelIdIsAcceptedAndIgnored() {
    assertEquals(200, service.patchResult(orderId, new JsonObject().put("id", 12345).put("summary", "ok"), null).statusCode());
    assertEquals(200, service.patchResult(orderId, new JsonObject().put("id", "other").put("summary", "ok"), null).statusCode());

    assertEquals(orderId, getResults("").bodyAsJsonObject().getJsonObject("data").getString("id"));
  }

  @Test
  void unknownResultValuesAreAccepted() {
    JsonObject custom = new JsonObject().put("result", new JsonObject().put("value", "some_custom").put("source_value", 7));

    assertEquals(200, service.patchResult(orderId, custom, null).statusCode());
    assertEquals(custom.getJsonObject("result"), getResults("?fields=result").bodyAsJsonObject().getJsonObject("data")
      .getJsonObject("result"));
  }

  @Test
  void fieldsApplyToResults() {
    service.patchResult(orderId, PASSED, null);

    assertEquals(new JsonObject().put("data", new JsonObject().put("score", new JsonObject().put("value", "80"))
        .put("summary", "Test is passed")),
      getResults("?fields=score.value,summary&proxy[x]=1&foo=bar").bodyAsJsonObject());
  }

  @Test
  void anOrderIsFoundByItsRemoteIdToo() {
    assertEquals(200, service.patchResult(remoteId, PASSED, null).statusCode());
    assertEquals(200, service.get(ORDERS + "/" + remoteId + "/results").statusCode());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"score\":{\"value\":80}}                      | score.value: integer found, string expected",
    "{\"score\":\"80\"}                              | score: string found, object expected",
    "{\"start_date\":\"yesterday\"}                  | start_date:",
    "{\"submission_date\":\"2021-01-01T01:01:01\"}   | submission_date:",
    "{\"attachments\":{\"url\":\"x\"}}               | attachments: object found, array expected",
    "{\"result\":{\"value\":true}}                   | result.value: boolean found, string expected",
    "{\"candidate\":{\"profile_url\":[]}}            | candidate.profile_url: array found, string expected",
  })
  void typesThatBreakTheContractAre422AndWriteNothing(String body, String problem) {
    JsonObject error = assertStackOneError(service.patchResult(orderId, new JsonObject(body), null), 422);

    assertTrue(error.getString("message").startsWith(problem), error.getString("message"));
    assertStackOneError(getResults(""), 404);
    assertEquals("\"0\"", service.get(ORDERS + "/" + orderId).getHeader("ETag"));
  }

  @Test
  void aBodyThatIsNotAJsonObjectIsRefused() {
    assertStackOneError(service.send(HttpMethod.PATCH, ORDERS + "/" + orderId + "/result", "{nope"), 400);
    assertStackOneError(service.send(HttpMethod.PATCH, ORDERS + "/" + orderId + "/result", "[]"), 422);
    assertStackOneError(getResults(""), 404);
  }

  @Test
  void unknownOrdersAndOrdersOfOtherAccountsAre404() {
    HttpResponse<Buffer> unknown = service.patchResult("no-such-order", PASSED, null);
    HttpResponse<Buffer> foreign = service.client.request(HttpMethod.PATCH, ORDERS + "/" + orderId + "/result")
      .putHeader("Authorization", TestService.basic(TestService.BOB, TestService.BOB_PASSWORD))
      .putHeader("x-account-id", TestService.GLOBEX).sendBuffer(PASSED.toBuffer()).await();

    assertStackOneError(unknown, 404);
    assertSameError(unknown, foreign);
    assertSameError(unknown, service.get(ORDERS + "/no-such-order/results"));
    assertStackOneError(getResults(""), 404);
  }

  @Test
  void anOrderWithoutAResultYetIs404() {
    JsonObject error = assertStackOneError(getResults(""), 404);
    assertEquals("No result has been reported for this order yet", error.getString("message"));
  }

  @Test
  void theOrdersEtagIsItsResultVersionAndIfMatchGuardsUpdates() {
    assertEquals("\"0\"", service.get(ORDERS + "/" + orderId).getHeader("ETag"));
    assertEquals(200, service.patchResult(orderId, PASSED, "\"0\"").statusCode());

    // a grader that read version 0 cannot overwrite version 1
    HttpResponse<Buffer> stale = service.patchResult(orderId, new JsonObject().put("summary", "stale"), "\"0\"");

    JsonObject error = assertStackOneError(stale, 412);
    assertTrue(error.getString("message").contains("\"1\""), error.getString("message"));
    assertEquals("Test is passed", getResults("").bodyAsJsonObject().getJsonObject("data").getString("summary"));
    assertEquals(200, service.patchResult(orderId, new JsonObject().put("summary", "fresh"), "\"7\", \"1\"").statusCode());
    assertEquals(200, service.patchResult(orderId, new JsonObject().put("summary", "any"), "*").statusCode());
    assertStackOneError(service.patchResult(orderId, new JsonObject().put("summary", "weak"), "W/\"3\""), 412);
  }

  @Test
  void ifMatchStarNeedsAnExistingResult() {
    assertStackOneError(service.patchResult(orderId, PASSED, "*"), 412);
    assertStackOneError(getResults(""), 404);
  }

  @Test
  void ofTwoGradersWithTheSameEtagExactlyOneWins() {
    List<Future<HttpResponse<Buffer>>> attempts = new ArrayList<>();
    for (int grader = 0; grader < 8; grader++) {
      attempts.add(service.request(HttpMethod.PATCH, ORDERS + "/" + orderId + "/result").putHeader("If-Match", "\"0\"")
        .sendBuffer(new JsonObject().put("summary", "grader " + grader).toBuffer()));
    }
    Future.join(attempts).await();

    long won = attempts.stream().filter(f -> f.result().statusCode() == 200).count();
    long refused = attempts.stream().filter(f -> f.result().statusCode() == 412).count();
    assertEquals(1, won);
    assertEquals(7, refused);
    assertEquals(1, getResults("?raw=true").bodyAsJsonObject().getJsonArray("raw").size());
  }
}
