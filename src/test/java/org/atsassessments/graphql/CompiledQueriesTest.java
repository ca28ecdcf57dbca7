package org.atsassessments.graphql;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.demo.DemoData;
import org.atsassessments.testing.BusRecorder;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.atsassessments.testing.TestService.PACKAGES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compiled single-record reads answer exactly what graphql-java answers: a query's first run is graphql-java's
 * (it caches and compiles the document), its second the compiled one; headers and bytes must match.
 */
@ExtendWith(VertxExtension.class)
class CompiledQueriesTest {

  private static final String ORDER = DemoData.ORDER_ID;

  private TestService service;
  private BusRecorder bus;
  private PreparsedDocuments.Documents documents;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) {
    service = TestService.start(vertx, dir, config -> config.with("demo", true));
    documents = PreparsedDocuments.Documents.of(vertx, 1);
    bus = BusRecorder.on(vertx);
    // a result with dates, a package
    HttpResponse<Buffer> patched = service.request(HttpMethod.PATCH, TestService.ORDERS + "/" + ORDER + "/result")
      .putHeader("Authorization", TestService.basic(DemoData.USER, DemoData.PASSWORD))
      .putHeader("x-account-id", DemoData.ACCOUNT_ID).putHeader("Content-Type", "application/json")
      .sendBuffer(new JsonObject().put("score", new JsonObject().put("value", "9").put("max", "10"))
        .put("start_date", "2024-03-01T10:00:00.000Z").put("submission_date", "2024-03-01T11:30:00.000Z")
        .put("result", new JsonObject().put("value", "passed").put("source_value", new JsonObject().put("grade", "A")))
        .put("attachments", new io.vertx.core.json.JsonArray().add(new JsonObject().put("url", "https://r.example/1.pdf")
          .put("content_type", new JsonObject().put("value", "pdf"))))
        .toBuffer()).await();
    assertEquals(200, patched.statusCode(), patched.bodyAsString());
  }

  private HttpResponse<Buffer> post(JsonObject request) {
    return service.request(HttpMethod.POST, "/graphql")
      .putHeader("Authorization", TestService.basic(DemoData.USER, DemoData.PASSWORD))
      .putHeader("x-account-id", DemoData.ACCOUNT_ID)
      .putHeader("Accept", "application/graphql-response+json")
      .sendBuffer(request.toBuffer()).await();
  }

  /** Runs the request twice: the second answer equals the first, and the compiled query ran (or not). */
  private JsonObject twice(JsonObject request, boolean compiles) {
    HttpResponse<Buffer> first = post(request);
    long before = documents.compiledRuns();
    long answered = documents.compiledAnswers();
    int messages = bus.requests.size();
    HttpResponse<Buffer> second = post(request);
    assertEquals(first.bodyAsString(), second.bodyAsString());
    assertEquals(first.statusCode(), second.statusCode());
    assertEquals(first.getHeader("Content-Type"), second.getHeader("Content-Type"));
    assertEquals(compiles ? before + 1 : before, documents.compiledRuns(), "compiled runs");
    if (compiles && first.statusCode() == 200 && first.bodyAsJsonObject().getValue("errors") == null) {
      assertEquals(messages + 1, bus.requests.size(), "one repository request");
      assertEquals(answered + 1, documents.compiledAnswers(), "answered by the compiled query, not graphql-java's fields");
    }
    return second.bodyAsJsonObject();
  }

  private JsonObject twice(String query, boolean compiles) {
    return twice(new JsonObject().put("query", query), compiles);
  }

  @Test
  void anOrderWithEveryStoredFieldAliasesTypenameRawAndEtag() {
    JsonObject body = twice("{ o: assessmentOrder(id: \"" + ORDER + "\", raw: true) { __typename id remoteId resultsUpdateUrl"
      + " package { id remoteId name description } application { id applicationStatus { value sourceValue } passthrough }"
      + " job { title hiringTeam { __typename userId remoteUserId firstName lastName email role } passthrough }"
      + " first: candidate { firstName } candidate { lastName emails { type value } passthrough profileUrl }"
      + " requester { firstName email } raw { method url body response } etag } }", true);
    assertEquals("Romain", body.getJsonObject("data").getJsonObject("o").getJsonObject("first").getString("firstName"));
  }

  @Test
  void theBenchmarksQueryWithVariables() {
    twice(new JsonObject().put("query", "query One($id: ID!) { assessmentOrder(id: $id) { id candidate { id remoteId firstName"
      + " lastName emails { type value } passthrough profileUrl } } }").put("variables", new JsonObject().put("id", ORDER))
      .put("operationName", "One"), true);
  }

  @Test
  void aResultWithDatesAndItsOwnResultField() {
    JsonObject result = twice("{ assessmentResult(orderId: \"" + ORDER + "\") { id score { value max } startDate"
      + " submissionDate result { value sourceValue } attachments { url contentType { value } } raw { method } etag } }", true)
      .getJsonObject("data").getJsonObject("assessmentResult");
    assertEquals(new JsonObject().put("value", "passed").put("sourceValue", new JsonObject().put("grade", "A")),
      result.getJsonObject("result"));
    assertEquals("2024-03-01T10:00:00.000Z", result.getString("startDate"));
  }

  @Test
  void aPackage() {
    assertEquals(200, service.request(HttpMethod.PUT, PACKAGES + "/java")
      .putHeader("Authorization", TestService.basic(DemoData.USER, DemoData.PASSWORD))
      .putHeader("x-account-id", DemoData.ACCOUNT_ID).putHeader("Content-Type", "application/json")
      .sendBuffer(new JsonObject().put("name", "Java").put("description", "Java skills").toBuffer()).await().statusCode());
    JsonObject body = twice("query($raw: Boolean) { assessmentPackage(id: \"java\", raw: $raw) { id name description raw { method } } }", true);
    assertEquals("Java", body.getJsonObject("data").getJsonObject("assessmentPackage").getString("name"));
  }

  @Test
  void errorsAreGraphQLJavasOwn() {
    JsonObject unknown = twice("{ assessmentOrder(id: \"nope\") { id } }", true);
    assertEquals("NOT_FOUND", unknown.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"));
    int before = bus.requests.size();
    post(new JsonObject().put("query", "{ assessmentOrder(id: \"nope\") { id } }"));
    assertEquals(before + 1, bus.requests.size(), "a repository error is answered from the one reply fetched, not a second");
    // a variable of another type, a missing one, an undeclared one: graphql-java says what is wrong
    String query = "query($id: ID!) { assessmentOrder(id: $id) { id } }";
    twice(new JsonObject().put("query", query).put("variables", new JsonObject().put("id", 8187)), true);
    twice(new JsonObject().put("query", query).put("variables", new JsonObject()), true);
    twice(new JsonObject().put("query", query).put("variables", new JsonObject().put("id", ORDER).put("other", 1)), true);
  }

  @Test
  void otherQueriesRunOnGraphQLJava() {
    twice("{ assessmentOrder(id: \"" + ORDER + "\") { ...o } } fragment o on AssessmentOrder { id }", false);
    twice("{ assessmentOrder(id: \"" + ORDER + "\") { id @include(if: true) } }", false);
    twice("{ assessmentOrder(id: \"" + ORDER + "\") { id result { score { value } } } }", false);
    twice("{ assessmentOrder(id: \"" + ORDER + "\") { candidate { id } candidate { firstName } } }", false);
    twice("{ assessmentOrder(id: \"" + ORDER + "\", proxy: {a: 1}) { id } }", false);
    twice("{ a: assessmentOrder(id: \"" + ORDER + "\") { id } b: assessmentOrder(id: \"" + ORDER + "\") { id } }", false);
    twice("{ assessmentOrders(first: 1) { edges { node { id } } } }", false);
    twice("query A { assessmentOrder(id: \"" + ORDER + "\") { id } } query B { assessmentOrder(id: \"x\") { id } }", false);
  }

  @Test
  void switchedOffNothingIsCompiled(@TempDir Path dir) throws java.io.IOException {
    // a second service on its own Vert.x instance, with the switch off
    Vertx other = Vertx.vertx();
    try {
      TestService off = TestService.start(other, java.nio.file.Files.createDirectories(dir.resolve("off")),
        config -> config.with("demo", true).with("graphql_compiled_queries", false));
      PreparsedDocuments.Documents offDocuments = PreparsedDocuments.Documents.of(other, 1);
      for (int i = 0; i < 2; i++) {
        HttpResponse<Buffer> answer = off.request(HttpMethod.POST, "/graphql")
          .putHeader("Authorization", TestService.basic(DemoData.USER, DemoData.PASSWORD))
          .putHeader("x-account-id", DemoData.ACCOUNT_ID)
          .sendBuffer(new JsonObject().put("query", "{ assessmentOrder(id: \"" + ORDER + "\") { id } }").toBuffer()).await();
        assertEquals(200, answer.statusCode());
      }
      assertEquals(0, offDocuments.compiledRuns());
      assertTrue(offDocuments.parsed() > 0);
    } finally {
      other.close().await();
    }
    assertFalse(documents.compiledRuns() > 0);
  }
}
