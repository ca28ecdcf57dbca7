package org.atsassessments.graphql;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.atsassessments.testing.ContractAssertions.TIMESTAMP;
import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mutations: the same validation, idempotency and conflict rules as REST, over the same repository. */
@ExtendWith(VertxExtension.class)
class GraphQLMutationsTest {

  private static final String ORDER = "mutation($input: OrderAssessmentInput!) { orderAssessment(input: $input) { id remoteId testUrl } }";
  private static final String UPDATE = "mutation($id: ID!, $input: UpdateAssessmentResultInput!, $ifMatch: String) {"
    + " updateAssessmentResult(orderId: $id, input: $input, ifMatch: $ifMatch) { statusCode message timestamp etag } }";

  private TestService service;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) {
    service = TestService.start(vertx, dir);
  }

  private static JsonObject input() {
    return new JsonObject().put("id", "gql-1")
      .put("package", new JsonObject().put("id", "pkg-1").put("name", "Java"))
      .put("candidate", new JsonObject().put("firstName", "Ada").put("profileUrl", "https://ats.example/c/1")
        .put("passthrough", new JsonObject().put("camelCaseKey", new JsonObject().put("keptAsIs", 1))))
      .put("application", new JsonObject().put("applicationStatus", new JsonObject().put("value", "custom_status")
        .put("sourceValue", new JsonObject().put("any", "json"))));
  }

  private static JsonObject error(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
  }

  @Test
  void orderAssessmentStoresWhatRestWouldAndAnswersTheCreateResult() {
    JsonObject created = service.graphql(ORDER, new JsonObject().put("input", input())).bodyAsJsonObject()
      .getJsonObject("data").getJsonObject("orderAssessment");

    assertEquals("gql-1", created.getString("remoteId"));
    assertEquals("https://tests.example.test/start/" + created.getString("id"), created.getString("testUrl"));
    JsonObject stored = service.get(ORDERS + "/gql-1?raw=true").bodyAsJsonObject();
    assertEquals(new JsonObject().put("id", created.getString("id")).put("remote_id", "gql-1")
        .put("package", new JsonObject().put("id", "pkg-1").put("name", "Java"))
        .put("application", new JsonObject().put("application_status", new JsonObject().put("value", "custom_status")
          .put("source_value", new JsonObject().put("any", "json"))))
        .put("candidate", new JsonObject().put("first_name", "Ada")
          .put("passthrough", new JsonObject().put("camelCaseKey", new JsonObject().put("keptAsIs", 1)))
          .put("profile_url", "https://ats.example/c/1"))
        .put("results_update_url", TestService.PUBLIC_URL + ORDERS + "/" + created.getString("id") + "/result"),
      stored.getJsonObject("data"));
    JsonObject exchange = stored.getJsonArray("raw").getJsonObject(0);
    assertEquals("POST", exchange.getString("method"));
    assertTrue(exchange.getString("url").endsWith("/graphql"));
  }

  @Test
  void orderAssessmentIsIdempotentAndConflictsLikeRest() {
    JsonObject first = service.graphql(ORDER, new JsonObject().put("input", input())).bodyAsJsonObject();
    JsonObject replay = service.graphql(ORDER, new JsonObject().put("input", input())).bodyAsJsonObject();
    HttpResponse<Buffer> conflict = service.graphql(ORDER, new JsonObject().put("input", input()
      .put("candidate", new JsonObject().put("firstName", "Someone else"))));
    HttpResponse<Buffer> viaRest = service.post(ORDERS, "{\"id\":\"gql-1\"}");

    assertEquals(first, replay);
    assertEquals("CONFLICT", error(conflict).getJsonObject("extensions").getString("code"));
    assertNull(conflict.bodyAsJsonObject().getValue("data"));
    assertStackOneError(viaRest, 409);
  }

  @Test
  void valuesOfTheWrongTypeAreBadUserInputAndWriteNothing() {
    HttpResponse<Buffer> wrongType = service.graphql(ORDER, new JsonObject().put("input",
      new JsonObject().put("id", "bad-1").put("candidate", new JsonObject().put("firstName", new JsonObject()))));
    HttpResponse<Buffer> tooLong = service.graphql(ORDER, new JsonObject().put("input", new JsonObject().put("id", "x".repeat(1025))));
    HttpResponse<Buffer> badDate = service.graphql(UPDATE, new JsonObject().put("id", "bad-1")
      .put("input", new JsonObject().put("startDate", "yesterday")));

    assertEquals("BAD_USER_INPUT", error(wrongType).getJsonObject("extensions").getString("code"));
    assertEquals("BAD_USER_INPUT", error(tooLong).getJsonObject("extensions").getString("code"));
    assertEquals("remote_id: longer than 1024 characters", error(tooLong).getString("message"));
    assertEquals("BAD_USER_INPUT", error(badDate).getJsonObject("extensions").getString("code"));
    assertStackOneError(service.get(ORDERS + "/bad-1"), 404);
    assertEquals(0, service.get(ORDERS).bodyAsJsonObject().getJsonArray("data").size());
  }

  @Test
  void updateAssessmentResultAnswersUpdateResultWithTheNewEtag() {
    String id = service.orderId("res-1");

    JsonObject updated = service.graphql(UPDATE, new JsonObject().put("id", "res-1").put("ifMatch", "\"0\"")
      .put("input", new JsonObject().put("score", new JsonObject().put("value", "90")).put("submissionDate", "2021-01-01T03:00:00+02:00")
        .put("result", new JsonObject().put("value", "passed")))).bodyAsJsonObject()
      .getJsonObject("data").getJsonObject("updateAssessmentResult");

    assertEquals(200, updated.getInteger("statusCode"));
    assertEquals("Record updated successfully.", updated.getString("message"));
    assertTrue(updated.getString("timestamp").matches(TIMESTAMP), updated.getString("timestamp"));
    assertEquals("\"1\"", updated.getString("etag"));
    JsonObject result = service.get(ORDERS + "/" + id + "/results").bodyAsJsonObject().getJsonObject("data");
    assertEquals("90", result.getJsonObject("score").getString("value"));
    assertEquals("2021-01-01T01:00:00.000Z", result.getString("submission_date"));
  }

  @Test
  void aStaleEtagIsPreconditionFailedAndAnUnknownOrderNotFound() {
    service.orderId("res-2");
    service.patchResult("res-2", new JsonObject().put("summary", "first"), null);

    HttpResponse<Buffer> stale = service.graphql(UPDATE, new JsonObject().put("id", "res-2").put("ifMatch", "\"0\"")
      .put("input", new JsonObject().put("summary", "stale")));
    HttpResponse<Buffer> unknown = service.graphql(UPDATE, new JsonObject().put("id", "nope")
      .put("input", new JsonObject().put("summary", "x")));

    assertEquals("PRECONDITION_FAILED", error(stale).getJsonObject("extensions").getString("code"));
    assertEquals("NOT_FOUND", error(unknown).getJsonObject("extensions").getString("code"));
    assertEquals("first", service.get(ORDERS + "/res-2/results").bodyAsJsonObject().getJsonObject("data").getString("summary"));
  }

  @Test
  void mutationsOverGetAre405AndDoNothing() {
    HttpResponse<Buffer> response = service.request(HttpMethod.GET, "/graphql")
      .addQueryParam("query", "mutation { orderAssessment(input: {id: \"via-get\"}) { id } }").send().await();

    assertEquals(405, response.statusCode());
    assertEquals("POST", response.getHeader("Allow"));
    assertEquals("METHOD_NOT_ALLOWED", error(response).getJsonObject("extensions").getString("code"));
    assertStackOneError(service.get(ORDERS + "/via-get"), 404);
  }

  @Test
  void aRepositoryThatIsDownIsUnavailable(Vertx vertx, @TempDir Path other) {
    TestService httpOnly = TestService.start(Vertx.vertx(), other, config -> config.with("role", "http"));
    try {
      HttpResponse<Buffer> response = httpOnly.graphql("{ assessmentOrder(id: \"x\") { id } }", null);

      assertEquals(200, response.statusCode());
      assertEquals("UNAVAILABLE", error(response).getJsonObject("extensions").getString("code"));
    } finally {
      httpOnly.vertx.close().await();
    }
  }
}
