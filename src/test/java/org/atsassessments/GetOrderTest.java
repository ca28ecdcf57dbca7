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
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.atsassessments.testing.ContractAssertions.assertMatches;
import static org.atsassessments.testing.ContractAssertions.assertSameError;
import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** GET /unified/ats/assessments/orders/{id}: StackOne's "Get Assessments Requests". */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GetOrderTest {

  private static final String SEED = ORDERS + "/" + DemoData.ORDER_ID;

  private TestService service;

  // one node for the class: the tests read the demo order, and each writes only orders of remote ids of its own
  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) {
    service = TestService.start(vertx, dir, config -> config.with("demo", true));
  }

  private HttpResponse<Buffer> getSeed(String query) {
    return service.getAs(SEED + query, DemoData.USER, DemoData.PASSWORD, DemoData.ACCOUNT_ID);
  }

  @Test
  void returnsTheSeedExampleExactlyAsTheContractShapesIt() throws Exception {
    HttpResponse<Buffer> response = getSeed("");

    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.getHeader("content-type"));
    assertMatches("AssessmentOrderResult", response.body());
    JsonObject expected = new JsonObject(Files.readString(Path.of("src/test/resources/seed-order-result.json")));
    assertEquals(expected, response.bodyAsJsonObject());
    assertFalse(response.bodyAsJsonObject().containsKey("raw"));
  }

  @Test
  void keepsOnlyTheTopLevelFieldsNamed() {
    HttpResponse<Buffer> response = getSeed("?fields=id,remote_id,package");

    assertEquals(200, response.statusCode());
    assertMatches("AssessmentOrderResult", response.body());
    assertEquals(new JsonObject().put("data", new JsonObject()
        .put("id", DemoData.ORDER_ID).put("remote_id", DemoData.ORDER_ID)
        .put("package", new JsonObject().put("id", DemoData.ORDER_ID).put("remote_id", DemoData.ORDER_ID)
          .put("name", "Test 1").put("description", "Skills test to gauge a candidate's proficiency in job-specific skills"))),
      response.bodyAsJsonObject());
  }

  @Test
  void followsDottedPathsIntoObjectsAndArrays() {
    HttpResponse<Buffer> response = getSeed("?fields=candidate.emails,job.hiring_team.email,job.title,application.application_status.value");

    assertEquals(200, response.statusCode());
    assertMatches("AssessmentOrderResult", response.body());
    assertEquals(new JsonObject().put("data", new JsonObject()
        .put("candidate", new JsonObject().put("emails", new JsonArray()
          .add(new JsonObject().put("type", "personal").put("value", "sestier.romain123@gmail.com"))))
        .put("job", new JsonObject()
          .put("hiring_team", new JsonArray().add(new JsonObject().put("email", "john.doe@gmail.com")))
          .put("title", "Software Engineer"))
        .put("application", new JsonObject().put("application_status", new JsonObject().put("value", "hired")))),
      response.bodyAsJsonObject());
  }

  @Test
  void acceptsRepeatedAndSpacedFieldsAndABroaderPathWins() {
    HttpResponse<Buffer> response = getSeed("?fields=candidate.first_name&fields=%20id%20,candidate");

    JsonObject data = response.bodyAsJsonObject().getJsonObject("data");
    assertEquals(200, response.statusCode());
    assertEquals(java.util.Set.of("candidate", "id"), data.fieldNames());
    assertEquals("sestier.romain123@gmail.com",
      data.getJsonObject("candidate").getJsonArray("emails").getJsonObject(0).getString("value"));
  }

  @Test
  void ignoresUnknownFieldNamesAndPathsThatLeadNowhere() {
    JsonObject expected = new JsonObject().put("data", new JsonObject().put("id", DemoData.ORDER_ID));

    assertEquals(expected, getSeed("?fields=id,nope,candidate.nope,candidate.first_name.deeper").bodyAsJsonObject());
    assertEquals(new JsonObject().put("data", new JsonObject()), getSeed("?fields=nope").bodyAsJsonObject());
  }

  @Test
  void returnsEverythingWhenFieldsIsEmpty() {
    assertEquals(getSeed("").bodyAsJsonObject(), getSeed("?fields=").bodyAsJsonObject());
  }

  @Test
  void rawTrueAddsTheExchangeThatDeliveredTheOrder() {
    JsonObject order = new JsonObject().put("id", "raw-1").put("candidate", new JsonObject().put("first_name", "Ada"))
      .put("unknown_key", 42);
    JsonObject created = service.createOrder(order).bodyAsJsonObject();

    HttpResponse<Buffer> response = service.get(ORDERS + "/raw-1?raw=true&fields=id");

    assertEquals(200, response.statusCode());
    assertMatches("AssessmentOrderResult", response.body());
    JsonArray raw = response.bodyAsJsonObject().getJsonArray("raw");
    assertEquals(1, raw.size());
    JsonObject exchange = raw.getJsonObject(0);
    assertEquals("POST", exchange.getString("method"));
    assertEquals("http://127.0.0.1:" + service.config.httpPort() + ORDERS, exchange.getString("url"));
    assertEquals(order, exchange.getJsonObject("body"));
    assertEquals(created, exchange.getJsonObject("response"));
    assertEquals(new JsonObject().put("id", created.getString("id")), response.bodyAsJsonObject().getJsonObject("data"));
  }

  @Test
  void rawFalseOrAbsentHasNoRawKey() {
    assertFalse(getSeed("?raw=false").bodyAsJsonObject().containsKey("raw"));
    assertFalse(getSeed("?raw=").bodyAsJsonObject().containsKey("raw"));
    assertEquals(getSeed("").bodyAsJsonObject(), getSeed("?raw=false").bodyAsJsonObject());
  }

  @Test
  void rawThatIsNotABooleanIs400() {
    JsonObject body = assertStackOneError(getSeed("?raw=maybe"), 400);
    assertEquals("raw must be true or false", body.getString("message"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"?proxy[foo]=bar", "?proxy[filter[eq][age]]=25&proxy[a]=1&proxy[a]=2", "?foo=bar",
    "?page_size=50&next=abc&updated_after=2020-01-01T00:00:00.000Z", "?proxy=x&proxy[]=y&proxy[=z"})
  void acceptsProxyInEveryFormAndUnknownParameters(String query) {
    JsonObject plain = getSeed("").bodyAsJsonObject();

    HttpResponse<Buffer> response = getSeed(query);

    assertEquals(200, response.statusCode(), query);
    assertEquals(plain, response.bodyAsJsonObject(), query);
  }

  @Test
  void findsAnOrderByItsRemoteIdUrlDecoded() {
    JsonObject created = service.createOrder(new JsonObject().put("id", "p 1/x?ü")).bodyAsJsonObject();

    HttpResponse<Buffer> byRemote = service.get(ORDERS + "/p%201%2Fx%3F%C3%BC?fields=id,remote_id");
    HttpResponse<Buffer> byOurs = service.get(ORDERS + "/" + created.getString("id") + "?fields=id,remote_id");

    JsonObject expected = new JsonObject().put("data",
      new JsonObject().put("id", created.getString("id")).put("remote_id", "p 1/x?ü"));
    assertEquals(200, byRemote.statusCode(), byRemote.bodyAsString());
    assertEquals(expected, byRemote.bodyAsJsonObject());
    assertEquals(expected, byOurs.bodyAsJsonObject());
  }

  @Test
  void prefersOurIdWhenAnotherOrdersRemoteIdEqualsIt() {
    JsonObject first = service.createOrder(new JsonObject().put("id", "provider-1")).bodyAsJsonObject();
    service.createOrder(new JsonObject().put("id", first.getString("id")));

    JsonObject data = service.get(ORDERS + "/" + first.getString("id")).bodyAsJsonObject().getJsonObject("data");

    assertEquals("provider-1", data.getString("remote_id"));
  }

  @Test
  void unknownIdIs404WithTheSameBodyAsAnUnknownAccount() {
    HttpResponse<Buffer> unknownOrder = service.get(ORDERS + "/does-not-exist");
    HttpResponse<Buffer> unknownAccount = service.getAs(ORDERS + "/does-not-exist", TestService.ALICE,
      TestService.ALICE_PASSWORD, "no-such-account");

    assertStackOneError(unknownOrder, 404);
    assertStackOneError(unknownAccount, 404);
    assertSameError(unknownOrder, unknownAccount);
  }
}
