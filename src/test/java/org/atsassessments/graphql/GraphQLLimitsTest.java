package org.atsassessments.graphql;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.testing.BusRecorder;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Limits that protect the repository, each refused before any data is fetched; documents parsed once. */
@ExtendWith(VertxExtension.class)
class GraphQLLimitsTest {

  private static JsonObject refused(HttpResponse<Buffer> response, String code, BusRecorder bus) {
    JsonObject body = response.bodyAsJsonObject();
    JsonObject error = body.getJsonArray("errors").getJsonObject(0);
    assertEquals(code, error.getJsonObject("extensions").getString("code"), body.encode());
    assertNull(body.getValue("data"));
    assertEquals(0, bus.requests.size(), "nothing was fetched");
    return error;
  }

  @Test
  void eachLimitIsConfigurableAndRefusesBeforeFetching(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("graphql_max_depth", 3)
      .with("graphql_max_complexity", 6).with("graphql_max_aliases", 2).with("graphql_max_query_chars", 300));
    BusRecorder bus = BusRecorder.on(vertx);

    JsonObject deep = refused(service.graphql("{ assessmentOrder(id: \"x\") { job { hiringTeam { email } } } }", null),
      "QUERY_TOO_DEEP", bus);
    JsonObject complex = refused(service.graphql("{ assessmentOrder(id: \"x\") { id remoteId resultsUpdateUrl etag"
      + " candidate { firstName lastName } } }", null), "QUERY_TOO_COMPLEX", bus);
    JsonObject aliased = refused(service.graphql("{ a: assessmentOrder(id: \"1\") { id } b: assessmentOrder(id: \"2\") { id }"
      + " c: assessmentOrder(id: \"3\") { id } }", null), "TOO_MANY_ALIASES", bus);
    JsonObject large = refused(service.graphql("{ assessmentOrder(id: \"" + "x".repeat(300) + "\") { id } }", null),
      "QUERY_TOO_LARGE", bus);

    assertEquals("The query is 4 levels deep; at most 3 are allowed", deep.getString("message"));
    assertTrue(complex.getString("message").endsWith("at most 6 are allowed"), complex.getString("message"));
    assertEquals("The query uses 3 aliases; at most 2 are allowed", aliased.getString("message"));
    assertTrue(large.getString("message").endsWith("at most 300 are allowed"), large.getString("message"));
    assertEquals(200, service.graphql("{ assessmentOrder(id: \"x\") { id } }", null).statusCode());
    assertEquals(1, bus.requests.size(), "a query within the limits is fetched");
  }

  @Test
  void introspectionIsOnByDefaultAndExemptFromDepthLimits(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("graphql_max_depth", 3));

    JsonObject body = service.graphql("{ __schema { queryType { fields { name type { kind ofType { kind ofType { name } } } } } } }",
      null).bodyAsJsonObject();

    assertNull(body.getValue("errors"), body.encode());
    assertTrue(body.encode().contains("assessmentOrders"));
  }

  @Test
  void introspectionCanBeSwitchedOff(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("graphql_introspection", false));

    JsonObject body = service.graphql("{ __schema { types { name } } }", null).bodyAsJsonObject();

    assertTrue(body.getJsonArray("errors").getJsonObject(0).getString("message").toLowerCase().contains("introspection"),
      body.encode());
    assertTrue(body.getJsonObject("data") == null || body.getJsonObject("data").getValue("__schema") == null, body.encode());
    assertEquals(200, service.graphql("{ assessmentOrders { edges { cursor } } }", null).statusCode());
  }

  @Test
  void aRepeatedQueryIsParsedAndValidatedOnce(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir);
    PreparsedDocuments.Documents documents = PreparsedDocuments.Documents.of(vertx, 1000);
    String query = "query($id: ID!) { assessmentOrder(id: $id) { id } } # " + UUID.randomUUID();
    long before = documents.parsed();

    for (int i = 0; i < 6; i++) {
      service.graphql(query, new JsonObject().put("id", "order-" + i));
    }

    assertEquals(1, documents.parsed() - before);
  }
}
