package org.atsassessments.graphql;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.demo.DemoData;
import org.atsassessments.repository.bus.RepositoryMessages;
import org.atsassessments.testing.BusRecorder;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Queries over POST and GET: the same records as REST, only the selected fields fetched. */
@ExtendWith(VertxExtension.class)
class GraphQLQueriesTest {

  private TestService service;
  private BusRecorder bus;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) {
    service = TestService.start(vertx, dir, config -> config.with("demo", true));
    bus = BusRecorder.on(vertx);
  }

  private JsonObject data(HttpResponse<Buffer> response) {
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertNull(body.getValue("errors"), body.encode());
    return body.getJsonObject("data");
  }

  private static JsonObject error(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
  }

  private HttpResponse<Buffer> asDemo(String query) {
    return service.request(HttpMethod.POST, "/graphql")
      .putHeader("Authorization", TestService.basic(DemoData.USER, DemoData.PASSWORD))
      .putHeader("x-account-id", DemoData.ACCOUNT_ID)
      .sendBuffer(new JsonObject().put("query", query).toBuffer()).await();
  }

  @Test
  void anOrderHasTheSeedsValuesInCamelCase() {
    JsonObject order = data(asDemo("{ assessmentOrder(id: \"" + DemoData.ORDER_ID + "\") { id remoteId resultsUpdateUrl"
      + " package { name } application { applicationStatus { value sourceValue } passthrough }"
      + " job { title hiringTeam { userId remoteUserId firstName email role } }"
      + " candidate { firstName lastName emails { type value } profileUrl } requester { lastName } etag } }"))
      .getJsonObject("assessmentOrder");

    assertEquals(new JsonObject()
      .put("id", DemoData.ORDER_ID).put("remoteId", DemoData.ORDER_ID)
      .put("resultsUpdateUrl", "https://exmaple.com/integrations/results/update")
      .put("package", new JsonObject().put("name", "Test 1"))
      .put("application", new JsonObject().put("applicationStatus", new JsonObject().put("value", "hired").put("sourceValue", "Hired"))
        .put("passthrough", new JsonObject().put("other_known_names", "John Doe")))
      .put("job", new JsonObject().put("title", "Software Engineer").put("hiringTeam", new JsonArray().add(new JsonObject()
        .put("userId", "123456").put("remoteUserId", "e3cb75bf-aa84-466e-a6c1-b8322b257a48").put("firstName", "John")
        .put("email", "john.doe@gmail.com").put("role", "Software Engineer"))))
      .put("candidate", new JsonObject().put("firstName", "Romain").put("lastName", "Sestier")
        .put("emails", new JsonArray().add(new JsonObject().put("type", "personal").put("value", "sestier.romain123@gmail.com")))
        .put("profileUrl", "https://exmaple.com/candidate?id=xyz"))
      .put("requester", new JsonObject().put("lastName", "Doe"))
      .put("etag", "\"0\""), order);
  }

  @Test
  void onlyTheSelectedFieldsCrossTheEventBus() {
    bus.clear();

    JsonObject order = data(asDemo("{ assessmentOrder(id: \"" + DemoData.ORDER_ID + "\") { candidate { firstName } } }"));

    assertEquals(new JsonObject().put("assessmentOrder", new JsonObject().put("candidate", new JsonObject()
      .put("firstName", "Romain"))), order);
    assertEquals(List.of(RepositoryMessages.GET_ORDER), bus.actions());
    assertEquals(new JsonArray().add("candidate.first_name"), bus.requests.get(0).body().getJsonArray("fields"));
    assertEquals(List.of(new JsonObject().put("data", new JsonObject().put("candidate", new JsonObject()
      .put("first_name", "Romain")))), bus.replies, "the repository answered with just that field");
  }

  @Test
  void fragmentsAndAliasesSelectTheSameFields() {
    bus.clear();

    JsonObject data = data(asDemo("query { o: assessmentOrder(id: \"" + DemoData.ORDER_ID + "\") { ...Who job { ... on OrderJob { title } } } }"
      + " fragment Who on AssessmentOrder { candidate { name: firstName } __typename }"));

    assertEquals(new JsonObject().put("o", new JsonObject().put("candidate", new JsonObject().put("name", "Romain"))
      .put("__typename", "AssessmentOrder").put("job", new JsonObject().put("title", "Software Engineer"))), data);
    assertEquals(new JsonArray().add("candidate.first_name").add("job.title"), bus.requests.get(0).body().getJsonArray("fields"));
  }

  @Test
  void theSameSelectionAsRestFieldsIsTheSameRepositoryMessage() {
    bus.clear();
    service.getAs(ORDERS + "/" + DemoData.ORDER_ID + "?fields=candidate.first_name,job.hiring_team.email", DemoData.USER,
      DemoData.PASSWORD, DemoData.ACCOUNT_ID);
    asDemo("{ assessmentOrder(id: \"" + DemoData.ORDER_ID + "\") { candidate { firstName } job { hiringTeam { email } } } }");

    assertEquals(2, bus.requests.size());
    assertEquals(bus.requests.get(0).body().getJsonArray("fields"), bus.requests.get(1).body().getJsonArray("fields"));
    assertEquals(bus.replies.get(0), bus.replies.get(1));
  }

  @Test
  void resultsOfAListOfOrdersAreLoadedInOneBatch() {
    for (int i = 0; i < 5; i++) {
      service.orderId("batch-" + i);
      if (i % 2 == 0) service.patchResult("batch-" + i, new JsonObject().put("summary", "summary " + i), null);
    }
    bus.clear();

    JsonObject connection = data(service.graphql("{ assessmentOrders(first: 10) { edges { node { remoteId result { summary } } } } }",
      null)).getJsonObject("assessmentOrders");

    JsonArray edges = connection.getJsonArray("edges");
    assertEquals(5, edges.size());
    assertEquals("summary 2", edges.getJsonObject(2).getJsonObject("node").getJsonObject("result").getString("summary"));
    assertNull(edges.getJsonObject(1).getJsonObject("node").getValue("result"));
    assertEquals(List.of(RepositoryMessages.LIST_ORDERS, RepositoryMessages.GET_RESULTS), bus.actions());
    assertEquals(5, bus.requests.get(1).body().getJsonArray("order_ids").size());
    assertEquals(new JsonArray().add("summary"), bus.requests.get(1).body().getJsonArray("fields"));
  }

  @Test
  void connectionsPageWithTheSameCursorsAsRest() {
    for (int i = 0; i < 3; i++) service.orderId("page-" + i);
    String query = "query($after: String) { assessmentOrders(first: 2, after: $after) { edges { cursor node { remoteId } }"
      + " pageInfo { hasNextPage endCursor } } }";

    JsonObject first = data(service.graphql(query, null)).getJsonObject("assessmentOrders");
    String endCursor = first.getJsonObject("pageInfo").getString("endCursor");
    JsonObject second = data(service.graphql(query, new JsonObject().put("after", endCursor))).getJsonObject("assessmentOrders");

    assertTrue(first.getJsonObject("pageInfo").getBoolean("hasNextPage"));
    assertEquals(endCursor, service.get(ORDERS + "?page_size=2").bodyAsJsonObject().getString("next"));
    assertEquals(List.of("page-2"), second.getJsonArray("edges").stream()
      .map(edge -> ((JsonObject) edge).getJsonObject("node").getString("remoteId")).toList());
    assertFalse(second.getJsonObject("pageInfo").getBoolean("hasNextPage"));
  }

  @Test
  void updatedAfterFiltersAndABadCursorOrFirstIsBadUserInput() {
    service.orderId("filtered");

    assertEquals(0, data(service.graphql("{ assessmentOrders(updatedAfter: \"2999-01-01T00:00:00Z\") { edges { cursor } } }", null))
      .getJsonObject("assessmentOrders").getJsonArray("edges").size());
    assertEquals("BAD_USER_INPUT", error(service.graphql("{ assessmentOrders(after: \"garbage\") { edges { cursor } } }", null))
      .getJsonObject("extensions").getString("code"));
    assertEquals("BAD_USER_INPUT", error(service.graphql("{ assessmentOrders(first: 0) { edges { cursor } } }", null))
      .getJsonObject("extensions").getString("code"));
    assertEquals("BAD_USER_INPUT", error(service.graphql("{ assessmentOrders(updatedAfter: \"yesterday\") { edges { cursor } } }",
      null)).getJsonObject("extensions").getString("code"));
  }

  @Test
  void rawComesWithTheArgumentOrTheField() {
    String id = service.orderId("raw-1");

    JsonObject viaField = data(service.graphql("{ assessmentOrder(id: \"raw-1\") { raw { method url body } } }", null))
      .getJsonObject("assessmentOrder");
    JsonObject viaArgument = data(service.graphql("{ assessmentOrder(id: \"raw-1\", raw: true) { id } }", null))
      .getJsonObject("assessmentOrder");

    JsonObject exchange = viaField.getJsonArray("raw").getJsonObject(0);
    assertEquals("POST", exchange.getString("method"));
    assertEquals("raw-1", exchange.getJsonObject("body").getString("id"));
    assertEquals(new JsonObject().put("id", id), viaArgument);
  }

  @Test
  void packagesAndResultsAreThereToo() {
    service.send(HttpMethod.PUT, TestService.PACKAGES + "/java", "{\"name\":\"Java\",\"remote_id\":\"v-java\"}");
    service.orderId("res-1");
    service.patchResult("res-1", new JsonObject().put("score", new JsonObject().put("value", "77")), null);

    JsonObject data = data(service.graphql("{ assessmentPackage(id: \"v-java\") { id name }"
      + " assessmentPackages(first: 5, proxy: {foo: \"bar\"}) { edges { node { name } } pageInfo { hasNextPage } }"
      + " assessmentResult(orderId: \"res-1\") { remoteId score { value } candidate { remoteId } etag raw { method } } }", null));

    assertEquals(new JsonObject().put("id", "java").put("name", "Java"), data.getJsonObject("assessmentPackage"));
    assertEquals("Java", data.getJsonObject("assessmentPackages").getJsonArray("edges").getJsonObject(0)
      .getJsonObject("node").getString("name"));
    assertEquals(new JsonObject().put("remoteId", "res-1").put("score", new JsonObject().put("value", "77"))
        .put("candidate", new JsonObject().put("remoteId", "remote-cand-res-1")).put("etag", "\"1\"")
        .put("raw", new JsonArray().add(new JsonObject().put("method", "PATCH"))),
      data.getJsonObject("assessmentResult"));
  }

  @Test
  void aRecordOfAnotherAccountIsNullAndNotFoundLikeAnUnknownId() {
    String query = "{ a: assessmentOrder(id: \"" + DemoData.ORDER_ID + "\") { id } b: assessmentOrder(id: \"nope\") { id }"
      + " c: assessmentResult(orderId: \"nope\") { id } d: assessmentPackage(id: \"nope\") { id } }";

    HttpResponse<Buffer> response = service.graphql(query, null);

    JsonObject body = response.bodyAsJsonObject();
    assertEquals(200, response.statusCode());
    assertEquals(new JsonObject().put("a", null).put("b", null).put("c", null).put("d", null), body.getJsonObject("data"));
    JsonArray errors = body.getJsonArray("errors");
    assertEquals(4, errors.size());
    for (Object error : errors) {
      JsonObject e = (JsonObject) error;
      assertEquals("NOT_FOUND", e.getJsonObject("extensions").getString("code"));
      assertEquals("Not Found", e.getString("message"));
    }
  }

  @Test
  void queriesWorkOverGet() {
    HttpResponse<Buffer> response = service.request(HttpMethod.GET, "/graphql")
      .addQueryParam("query", "query($id: ID!) { assessmentOrder(id: $id) { id } }")
      .addQueryParam("variables", new JsonObject().put("id", "get-1").encode())
      .send().await();
    String id = service.orderId("get-1");
    HttpResponse<Buffer> again = service.request(HttpMethod.GET, "/graphql")
      .addQueryParam("query", "query($id: ID!) { assessmentOrder(id: $id) { id } }")
      .addQueryParam("variables", new JsonObject().put("id", "get-1").encode())
      .send().await();

    assertEquals("NOT_FOUND", error(response).getJsonObject("extensions").getString("code"));
    assertEquals(new JsonObject().put("assessmentOrder", new JsonObject().put("id", id)), data(again));
  }

  @Test
  void theGraphqlResponseMediaTypeIsHonouredWithRequestErrorsAs400() {
    HttpResponse<Buffer> modern = service.request(HttpMethod.POST, "/graphql")
      .putHeader("Accept", "application/graphql-response+json, application/json;q=0.9")
      .sendBuffer(new JsonObject().put("query", "{ nope }").toBuffer()).await();
    HttpResponse<Buffer> legacy = service.request(HttpMethod.POST, "/graphql").putHeader("Accept", "application/json")
      .sendBuffer(new JsonObject().put("query", "{ nope }").toBuffer()).await();
    HttpResponse<Buffer> fine = service.request(HttpMethod.POST, "/graphql")
      .putHeader("Accept", "application/graphql-response+json")
      .sendBuffer(new JsonObject().put("query", "{ assessmentOrders { edges { cursor } } }").toBuffer()).await();

    assertEquals(400, modern.statusCode());
    assertEquals("application/graphql-response+json", modern.getHeader("content-type"));
    assertEquals("GRAPHQL_VALIDATION_FAILED", error(modern).getJsonObject("extensions").getString("code"));
    assertEquals(200, legacy.statusCode());
    assertEquals("application/json", legacy.getHeader("content-type"));
    assertEquals(200, fine.statusCode());
    assertEquals("application/graphql-response+json", fine.getHeader("content-type"));
    assertEquals("GRAPHQL_PARSE_FAILED", error(service.graphql("{ assessmentOrder(", null)).getJsonObject("extensions")
      .getString("code"));
  }

  @Test
  void theSameCredentialsAndAccountHeaderAsRestAreRequired() {
    Buffer query = new JsonObject().put("query", "{ assessmentOrders { edges { cursor } } }").toBuffer();

    HttpResponse<Buffer> anonymous = service.client.request(HttpMethod.POST, "/graphql").sendBuffer(query).await();
    HttpResponse<Buffer> noAccount = service.client.request(HttpMethod.POST, "/graphql")
      .putHeader("Authorization", TestService.basic(TestService.ALICE, TestService.ALICE_PASSWORD)).sendBuffer(query).await();
    HttpResponse<Buffer> notGranted = service.client.request(HttpMethod.POST, "/graphql")
      .putHeader("Authorization", TestService.basic(TestService.BOB, TestService.BOB_PASSWORD))
      .putHeader("x-account-id", TestService.ACME).sendBuffer(query).await();

    assertStackOneError(anonymous, 401);
    assertEquals("Basic realm=\"ats-assessments\"", anonymous.getHeader("WWW-Authenticate"));
    assertStackOneError(noAccount, 400);
    assertStackOneError(notGranted, 404);
  }

  @Test
  void graphiqlIsServed() {
    HttpResponse<Buffer> page = service.client.request(HttpMethod.GET, "/graphiql/").send().await();

    assertEquals(200, page.statusCode());
    assertTrue(page.getHeader("content-type").startsWith("text/html"));
    assertTrue(page.bodyAsString().contains("<title>GraphiQL</title>"), page.bodyAsString());
    assertTrue(page.bodyAsString().contains("\"graphQLUri\":\"/graphql\""), "it talks to this server's /graphql");
    java.util.regex.Matcher script = java.util.regex.Pattern.compile("src=\"\\./(static/js/[^\"]+)\"").matcher(page.bodyAsString());
    assertTrue(script.find(), "the page loads its script from this server, not a CDN");
    assertEquals(200, service.client.request(HttpMethod.GET, "/graphiql/" + script.group(1)).send().await().statusCode());
  }
}
