package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.demo.DemoData;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.atsassessments.testing.ContractAssertions.assertMatches;
import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.atsassessments.testing.TestService.PUBLIC_URL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /unified/ats/assessments/orders: StackOne's "Order Assessments Request". */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CreateOrderTest {

  private TestService service;

  // one node for the class: each test creates orders of remote ids of its own (or of none) and reads only those
  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) {
    service = TestService.start(vertx, dir);
  }

  private static JsonObject order(String remoteId) {
    return DemoData.order().put("id", remoteId).put("results_update_url", (Object) null);
  }

  @Test
  void answers200WithTheBareCreateResult() {
    HttpResponse<Buffer> response = service.createOrder(order("ext-1"));

    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.getHeader("content-type"));
    assertMatches("CreateAssessmentOrderResult", response.body());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(java.util.Set.of("id", "remote_id", "test_url"), body.fieldNames());
    assertEquals("ext-1", body.getString("remote_id"));
    assertTrue(body.getString("id").matches("[0-9a-f-]{36}"), body.getString("id"));
    assertEquals("https://tests.example.test/start/" + body.getString("id"), body.getString("test_url"));
  }

  @Test
  void storesTheOrderAsTheContractsAssessmentOrder() {
    JsonObject sent = order("ext-2").put("unknown_top", "dropped")
      .put("candidate", order("x").getJsonObject("candidate").copy().put("unknown_nested", true));
    String id = service.createOrder(sent).bodyAsJsonObject().getString("id");

    HttpResponse<Buffer> response = service.get(ORDERS + "/" + id);

    assertEquals(200, response.statusCode());
    assertMatches("AssessmentOrderResult", response.body());
    JsonObject data = response.bodyAsJsonObject().getJsonObject("data");
    assertEquals(id, data.getString("id"));
    assertEquals("ext-2", data.getString("remote_id"));
    assertEquals(PUBLIC_URL + ORDERS + "/" + id + "/result", data.getString("results_update_url"));
    assertEquals(sent.getJsonObject("job"), data.getJsonObject("job"));
    assertFalse(data.containsKey("unknown_top"));
    assertFalse(data.containsKey("passthrough"), "AssessmentOrder has no top-level passthrough");
    assertFalse(data.getJsonObject("candidate").containsKey("unknown_nested"));
  }

  @Test
  void keepsTheResultsUpdateUrlTheCreatorSent() {
    String id = service.createOrder(order("ext-3").put("results_update_url", "https://ats.example/cb/9"))
      .bodyAsJsonObject().getString("id");

    assertEquals("https://ats.example/cb/9", service.get(ORDERS + "/" + id + "?fields=results_update_url")
      .bodyAsJsonObject().getJsonObject("data").getString("results_update_url"));
  }

  @Test
  void prefersAnExplicitRemoteIdOverTheBodyId() {
    JsonObject created = service.createOrder(new JsonObject().put("id", "body-id").put("remote_id", "explicit"))
      .bodyAsJsonObject();

    assertEquals("explicit", created.getString("remote_id"));
  }

  @Test
  void anOrderWithoutAnyIdGetsNoRemoteIdAndIsNeverMerged() {
    JsonObject first = service.createOrder(new JsonObject().put("candidate", new JsonObject().put("first_name", "A")))
      .bodyAsJsonObject();
    JsonObject second = service.createOrder(new JsonObject().put("candidate", new JsonObject().put("first_name", "A")))
      .bodyAsJsonObject();

    assertFalse(first.containsKey("remote_id") && first.getValue("remote_id") != null);
    assertNotEquals(first.getString("id"), second.getString("id"));
  }

  @Test
  void aReplayOfTheSameBodyAnswersTheSame() {
    JsonObject first = service.createOrder(order("ext-4")).bodyAsJsonObject();

    // null and absent are the same on the wire
    JsonObject replay = order("ext-4");
    replay.remove("results_update_url");
    replay.getJsonObject("candidate").put("profile_url", replay.getJsonObject("candidate").getString("profile_url"))
      .put("extra_null", (Object) null);
    HttpResponse<Buffer> second = service.createOrder(replay);

    assertEquals(200, second.statusCode());
    assertEquals(first, second.bodyAsJsonObject());
  }

  /**
   * Replays and conflicts sent together with new orders share their write transaction: each is answered as
   * alone, and the new orders are stored. (On PostgreSQL a unique-key error inside the transaction used to fail
   * the whole batch: its new orders were answered 500, and nothing of them stored.)
   */
  @Test
  void replaysAndConflictsInABatchOfNewOrdersFailNoneOfTheOthers() {
    JsonObject existing = service.createOrder(order("batched-existing")).bodyAsJsonObject();
    for (int round = 0; round < 5; round++) {
      java.util.List<io.vertx.core.Future<HttpResponse<Buffer>>> sent = new java.util.ArrayList<>();
      for (int i = 0; i < 24; i++) {
        JsonObject body = i % 8 == 0 ? order("batched-existing")
          : i % 8 == 4 ? order("batched-existing").put("candidate", new JsonObject().put("first_name", "Someone else"))
          : order("batched-" + round + "-" + i);
        sent.add(service.request(io.vertx.core.http.HttpMethod.POST, ORDERS).putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer(body.encode())));
      }
      for (int i = 0; i < sent.size(); i++) {
        HttpResponse<Buffer> answer = sent.get(i).await();
        if (i % 8 == 4) {
          assertStackOneError(answer, 409);
        } else {
          assertEquals(200, answer.statusCode(), "request " + i + " of round " + round + ": " + answer.bodyAsString());
          if (i % 8 == 0) assertEquals(existing, answer.bodyAsJsonObject());
          else assertEquals(200, service.get(ORDERS + "/batched-" + round + "-" + i).statusCode());
        }
      }
    }
  }

  @Test
  void aDifferentBodyForAnExistingRemoteIdIs409AndChangesNothing() {
    JsonObject first = service.createOrder(order("ext-5")).bodyAsJsonObject();
    JsonObject before = service.get(ORDERS + "/ext-5?raw=true").bodyAsJsonObject();

    HttpResponse<Buffer> conflict = service.createOrder(order("ext-5").put("candidate",
      new JsonObject().put("first_name", "Someone else")));

    JsonObject body = assertStackOneError(conflict, 409);
    assertTrue(body.getString("message").contains("ext-5"), body.getString("message"));
    assertEquals(before, service.get(ORDERS + "/ext-5?raw=true").bodyAsJsonObject());
    assertEquals(first.getString("id"), before.getJsonObject("data").getString("id"));
  }

  @Test
  void theSameRemoteIdInAnotherAccountIsAnotherOrder() {
    JsonObject inAcme = service.createOrder(order("shared")).bodyAsJsonObject();
    HttpResponse<Buffer> inGlobex = service.postAs(ORDERS, order("shared").put("candidate", new JsonObject()).encode(),
      TestService.BOB, TestService.BOB_PASSWORD, TestService.GLOBEX);

    assertEquals(200, inGlobex.statusCode());
    assertNotEquals(inAcme.getString("id"), inGlobex.bodyAsJsonObject().getString("id"));
    assertEquals(null, inGlobex.bodyAsJsonObject().getValue("test_url"), "globex has no test_url_template");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"id\": \"bad-1\",", "id=bad-1", "\u00ff\u00fe", "{\"id\":\"bad-1\"} trailing"})
  void bodyThatIsNotJsonIs400AndStoresNothing(String body) {
    JsonObject error = assertStackOneError(service.post(ORDERS, body), 400);

    assertEquals("The request body is not valid JSON", error.getString("message"), body);
    assertStackOneError(service.get(ORDERS + "/bad-1"), 404);
  }

  @Test
  void anEmptyBodyIs400() {
    assertEquals("A JSON request body is required",
      assertStackOneError(service.post(ORDERS, ""), 400).getString("message"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"id\":\"bad-2\",\"candidate\":{\"first_name\":5}}                       | candidate.first_name: integer found, string expected",
    "{\"id\":\"bad-2\",\"candidate\":[]}                                       | candidate: array found, object expected",
    "{\"id\":\"bad-2\",\"candidate\":{\"emails\":[{\"value\":true}]}}          | candidate.emails[0].value: boolean found, string expected",
    "{\"id\":\"bad-2\",\"candidate\":{\"emails\":{}}}                          | candidate.emails: object found, array expected",
    "{\"id\":\"bad-2\",\"job\":{\"hiring_team\":[\"x\"]}}                      | job.hiring_team[0]: string found, object expected",
    "{\"id\":\"bad-2\",\"package\":\"Test 1\"}                                 | package: string found, object expected",
    "{\"id\":\"bad-2\",\"passthrough\":[1]}                                    | passthrough: array found, object expected",
    "{\"id\":\"bad-2\",\"application\":{\"application_status\":{\"value\":1}}} | application.application_status.value: integer found, string expected",
    "{\"id\":\"bad-2\",\"results_update_url\":1.5}                             | results_update_url: number found, string expected",
    "{\"id\":7}                                                                | id: integer found, string expected",
    "{\"id\":\"bad-2\",\"remote_id\":{}}                                       | remote_id: object found, string expected",
  })
  void typesThatBreakTheContractAre422NamingTheFieldAndStoreNothing(String body, String problem) {
    JsonObject error = assertStackOneError(service.post(ORDERS, body), 422);

    assertTrue(error.getString("message").contains(problem), error.getString("message"));
    assertStackOneError(service.get(ORDERS + "/bad-2"), 404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"order\"", "42", "null", "true"})
  void aJsonValueThatIsNotAnObjectIs422(String body) {
    assertEquals("body: must be a JSON object",
      assertStackOneError(service.post(ORDERS, body), 422).getString("message"), body);
  }

  @Test
  void acceptsUnknownEnumStringsAndUnknownKeys() {
    JsonObject sent = new JsonObject().put("id", "open-enum").put("future_field", new JsonArray().add(1))
      .put("application", new JsonObject().put("application_status",
        new JsonObject().put("value", "some_custom_status").put("source_value", new JsonObject().put("any", "json"))));

    HttpResponse<Buffer> created = service.createOrder(sent);

    assertEquals(200, created.statusCode(), created.bodyAsString());
    assertEquals(new JsonObject().put("value", "some_custom_status").put("source_value", new JsonObject().put("any", "json")),
      service.get(ORDERS + "/open-enum").bodyAsJsonObject().getJsonObject("data").getJsonObject("application")
        .getJsonObject("application_status"));
  }

  @Test
  void nullsAreTheSameAsAbsentFields() {
    HttpResponse<Buffer> created = service.createOrder(new JsonObject().put("id", "nulls").put("candidate", (Object) null)
      .put("job", new JsonObject().put("title", (Object) null).put("hiring_team", (Object) null)));

    assertEquals(200, created.statusCode(), created.bodyAsString());
    JsonObject data = service.get(ORDERS + "/nulls").bodyAsJsonObject().getJsonObject("data");
    assertEquals(new JsonObject().put("id", data.getString("id")).put("remote_id", "nulls")
      .put("results_update_url", PUBLIC_URL + ORDERS + "/" + data.getString("id") + "/result"), data);
  }
}
