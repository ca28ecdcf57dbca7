package org.atsassessments;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.boot.HttpVerticle;
import org.atsassessments.demo.DemoData;
import org.atsassessments.testing.Eventually;
import org.atsassessments.testing.OpenApiDocument;
import org.atsassessments.testing.OpenApiDocument.Operation;
import org.atsassessments.testing.ConnectorAccounts;
import org.atsassessments.testing.TestService;
import org.atsassessments.testing.WebhookReceiver;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.atsassessments.testing.TestService.ORDERS;
import static org.atsassessments.testing.TestService.PACKAGES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code schema/openapi.json}, served at /openapi.json, is what the service does: every route the router serves
 * is in it and every operation in it is routed, and real responses (successes and errors) are what it promises.
 */
@ExtendWith(VertxExtension.class)
class OpenApiDocumentTest {

  private static final OpenApiDocument DOCUMENT = OpenApiDocument.load();
  private static final String WEBHOOKS = "/webhooks";

  @Test
  void isOpenApi31WithResolvableReferencesAndUniqueOperationIds() {
    assertEquals("3.1.0", DOCUMENT.document.get("openapi").asText());
    List<String> problems = new ArrayList<>();
    Set<String> operationIds = new HashSet<>();
    walk(DOCUMENT.document, "", problems);
    for (Operation op : DOCUMENT.operations()) {
      JsonNode operation = DOCUMENT.at("/paths/" + OpenApiDocument.escape(op.path()) + "/" + op.method());
      if (!operationIds.add(operation.path("operationId").asText())) problems.add(op + ": operationId missing or repeated");
      Set<String> declared = new TreeSet<>();
      for (JsonNode parameter : operation.path("parameters")) {
        JsonNode resolved = parameter.has("$ref") ? DOCUMENT.at(parameter.get("$ref").asText().substring(1)) : parameter;
        if ("path".equals(resolved.path("in").asText())) declared.add(resolved.get("name").asText());
      }
      Set<String> inPath = new TreeSet<>();
      java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(op.path());
      while (names.find()) inPath.add(names.group(1));
      if (!declared.equals(inPath)) problems.add(op + ": path parameters " + inPath + " but declared " + declared);
    }
    assertEquals(List.of(), problems);
  }

  /** Every $ref resolves, and nothing of OpenAPI 3.0 is left ({@code nullable} means nothing in 3.1). */
  private static void walk(JsonNode node, String where, List<String> problems) {
    if (node.isObject()) {
      if (node.has("nullable")) problems.add(where + ": nullable is OpenAPI 3.0; use a type list with \"null\"");
      JsonNode ref = node.get("$ref");
      if (ref != null && (!ref.asText().startsWith("#/") || DOCUMENT.at(ref.asText().substring(1)).isMissingNode())) {
        problems.add(where + ": $ref " + ref.asText() + " does not resolve");
      }
      node.fields().forEachRemaining(field -> walk(field.getValue(), where + "/" + field.getKey(), problems));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) walk(node.get(i), where + "/" + i, problems);
    }
  }

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted(Vertx vertx, @TempDir Path dir) {
    HttpVerticle http = new HttpVerticle(TestService.config(dir));
    vertx.deployVerticle(http).await();

    // endpoints: routes with methods, or with an exact path; a method-less prefix route is a guard when endpoints
    // lie under it (/unified/*), else a mount point whose sub-router serves what is under it (/graphiql*)
    List<Route> routes = http.router().getRoutes().stream().filter(route -> route.getPath() != null).toList();
    http.router().getRoutes().stream().filter(route -> route.isRegexPath() && route.getPath() == null)
      .forEach(route -> fail("a regex route cannot be checked against the document: " + route));
    List<Route> endpoints = routes.stream().filter(route -> route.methods() != null && !route.methods().isEmpty()
      || route.isExactPath()).toList();
    List<Route> mounts = routes.stream().filter(route -> !endpoints.contains(route))
      .filter(prefix -> endpoints.stream().noneMatch(route -> route.getPath().startsWith(prefix.getPath()))).toList();

    Set<String> undocumented = new TreeSet<>();
    for (Route route : endpoints) {
      Set<String> methods = methods(route);
      if (methods.isEmpty()) {
        // any method: the document must say which ones mean something
        if (DOCUMENT.operations().stream().noneMatch(op -> documents(op, route))) {
          undocumented.add("* " + route.getPath());
        }
      }
      for (String method : methods) {
        if (DOCUMENT.operations().stream().noneMatch(op -> op.method().equals(method) && documents(op, route))) {
          undocumented.add(method.toUpperCase(Locale.ROOT) + " " + route.getPath() + (route.isExactPath() ? "" : "*"));
        }
      }
    }
    for (Route mount : mounts) {
      if (DOCUMENT.operations().stream().noneMatch(op -> op.path().startsWith(mount.getPath()))) {
        undocumented.add("* " + mount.getPath() + "*");
      }
    }
    assertEquals(Set.of(), undocumented, "served but not in " + OpenApiDocument.FILE);

    Set<String> unrouted = new TreeSet<>();
    for (Operation op : DOCUMENT.operations()) {
      boolean routed = endpoints.stream().anyMatch(route -> routes(route, op)
          && (methods(route).isEmpty() || methods(route).contains(op.method())))
        || mounts.stream().anyMatch(mount -> op.path().startsWith(mount.getPath()));
      if (!routed) unrouted.add(op.toString());
    }
    assertEquals(Set.of(), unrouted, "in " + OpenApiDocument.FILE + " but not served");
  }

  private static Set<String> methods(Route route) {
    Set<String> methods = new TreeSet<>();
    if (route.methods() != null) route.methods().forEach(method -> methods.add(method.name().toLowerCase(Locale.ROOT)));
    return methods;
  }

  /**
   * Whether an operation's path covers a route's: {@code /orders/{id}} covers {@code /orders/:id}, and
   * {@code /docs/{file}} covers both {@code /docs/*} and {@code /docs/init.js}.
   */
  private static boolean documents(Operation op, Route route) {
    String routePath = route.getPath().replaceAll(":[^/]+", "{}") + (route.isExactPath() ? "" : "{}");
    return routePath.matches(quote(op.path()).replaceAll("\\{[^}/]+}", "[^/]+"));
  }

  /** Whether a route serves an operation's path: {@code :id} and {@code *} stand for any segment(s). */
  private static boolean routes(Route route, Operation op) {
    String pattern = quote(route.getPath()).replaceAll(":[^/]+", "[^/]+") + (route.isExactPath() ? "/?" : ".+");
    return op.path().matches(pattern);
  }

  private static String quote(String path) {
    return path.replace(".", "\\.");
  }

  @Test
  void servesTheDocumentAsItIsWithoutCredentials(Vertx vertx, @TempDir Path dir) throws Exception {
    TestService service = TestService.start(vertx, dir);

    HttpResponse<Buffer> response = service.client.get("/openapi.json").send().await();

    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.getHeader("content-type"));
    assertArrayEquals(Files.readAllBytes(OpenApiDocument.FILE), response.body().getBytes());
  }

  @Test
  void servesSwaggerUiFromTheJarWithAContentSecurityPolicy(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir);

    HttpResponse<Buffer> page = service.client.get("/docs").send().await();
    HttpResponse<Buffer> bundle = service.client.get("/docs/swagger-ui-bundle.js").send().await();
    HttpResponse<Buffer> petstore = service.client.get("/docs/swagger-initializer.js").send().await();

    assertEquals(200, page.statusCode());
    assertTrue(page.getHeader("content-type").startsWith("text/html"));
    assertTrue(page.getHeader("content-security-policy").contains("script-src 'self';"), page.getHeader("content-security-policy"));
    assertTrue(page.bodyAsString().contains("<script src=\"/docs/swagger-ui-bundle.js\">"), page.bodyAsString());
    assertTrue(!page.bodyAsString().contains("http"), "the page loads nothing from elsewhere: " + page.bodyAsString());
    assertEquals(200, bundle.statusCode());
    assertTrue(bundle.body().length() > 100_000, "Swagger UI's bundle from the webjar");
    // the webjar's own initializer points at the petstore example; ours is /docs/init.js
    assertEquals(404, petstore.statusCode());
  }

  /** One case per exchange, sent in order (later ones depend on what earlier ones wrote), then the coverage. */
  @TestFactory
  Stream<DynamicTest> realResponsesAreWhatTheDocumentPromises(Vertx vertx, @TempDir Path dir) {
    ServiceConfig config = TestService.config(dir).with("body_limit_bytes", 65_536);
    ConnectorAccounts.write(dir);
    TestService service = TestService.start(vertx, config);
    Exchanges calls = new Exchanges(service);

    JsonObject pkg = new JsonObject().put("remote_id", "pkg-remote-1").put("name", "Java test").put("description", "45 minutes");
    calls.expect(200, HttpMethod.PUT, PACKAGES + "/pkg-1", pkg.encode());
    calls.expect(422, HttpMethod.PUT, PACKAGES + "/pkg-1", new JsonObject().put("name", 7).encode());
    calls.expect(200, HttpMethod.GET, PACKAGES, null);
    calls.expect(200, HttpMethod.GET, PACKAGES + "?raw=true&page_size=1&fields=id,name", null);
    calls.expect(400, HttpMethod.GET, PACKAGES + "?page_size=zero", null);
    calls.expect(200, HttpMethod.GET, PACKAGES + "/pkg-1", null);
    calls.expect(404, HttpMethod.GET, PACKAGES + "/unknown", null);

    JsonObject order = DemoData.order();
    String id = calls.expect(200, HttpMethod.POST, ORDERS, order.encode()).bodyAsJsonObject().getString("id");
    calls.expect(409, HttpMethod.POST, ORDERS, order.copy().put("results_update_url", "https://elsewhere.test").encode());
    calls.expect(400, HttpMethod.POST, ORDERS, "{not json");
    calls.expect(422, HttpMethod.POST, ORDERS, new JsonObject().put("candidate", new JsonObject().put("first_name", 1)).encode());
    calls.expect(413, HttpMethod.POST, ORDERS, new JsonObject().put("summary", "x".repeat(70_000)).encode());
    calls.expect(200, HttpMethod.GET, ORDERS, null);
    calls.expect(200, HttpMethod.GET, ORDERS + "?raw=true&page_size=1&filter[updated_after]=2020-01-01T00:00:00.000Z", null);
    calls.expect(400, HttpMethod.GET, ORDERS + "?next=garbage", null);
    calls.expect(200, HttpMethod.GET, ORDERS + "/" + id, null);
    calls.expect(200, HttpMethod.GET, ORDERS + "/" + id + "?raw=true&fields=id,candidate.emails", null);
    calls.expect(400, HttpMethod.GET, ORDERS + "/" + id + "?raw=maybe", null);
    calls.expect(404, HttpMethod.GET, ORDERS + "/unknown", null);
    calls.expect(404, HttpMethod.GET, ORDERS + "/" + id + "/results", null);

    JsonObject result = new JsonObject().put("score", new JsonObject().put("label", "Percentage").put("value", "80"))
      .put("result", new JsonObject().put("value", "passed")).put("submission_date", "2026-11-28T10:00:00Z");
    calls.expect(200, HttpMethod.PATCH, ORDERS + "/" + id + "/result", result.encode(), r -> r.putHeader("If-Match", "\"0\""));
    calls.expect(412, HttpMethod.PATCH, ORDERS + "/" + id + "/result", result.encode(), r -> r.putHeader("If-Match", "\"0\""));
    calls.expect(422, HttpMethod.PATCH, ORDERS + "/" + id + "/result", new JsonObject().put("score", 80).encode());
    calls.expect(404, HttpMethod.PATCH, ORDERS + "/unknown/result", result.encode());
    calls.expect(200, HttpMethod.GET, ORDERS + "/" + id + "/results", null);
    calls.expect(200, HttpMethod.GET, ORDERS + "/" + id + "/results?raw=true", null);

    calls.expect(401, HttpMethod.GET, ORDERS, null, r -> r.putHeader("Authorization", TestService.basic("alice", "wrong")));
    calls.expect(401, HttpMethod.GET, ORDERS + "/" + id, null, r -> { r.headers().remove("Authorization"); return r; });
    calls.expect(400, HttpMethod.GET, PACKAGES, null, r -> { r.headers().remove("x-account-id"); return r; });
    calls.expect(404, HttpMethod.POST, ORDERS, order.encode(), r -> r.putHeader("x-account-id", "nobody"));
    calls.expect(412, HttpMethod.GET, ORDERS, null, r -> r.putHeader("x-account-id", TestService.DORMANT));

    String events = "/unified/ats/assessments/events";
    calls.expect(200, HttpMethod.GET, events, null);
    calls.expect(200, HttpMethod.GET, events + "?page_size=1&filter[type]=ats_assessments.created,ats_assessments.updated"
      + "&filter[updated_after]=2020-01-01T00:00:00.000Z", null);
    calls.expect(400, HttpMethod.GET, events + "?filter[type]=ats_assessments.exploded", null);
    calls.expect(400, HttpMethod.GET, events + "?next=garbage", null);
    calls.expect(401, HttpMethod.GET, events, null, r -> { r.headers().remove("Authorization"); return r; });
    calls.expect(404, HttpMethod.GET, events, null, r -> r.putHeader("x-account-id", "nobody"));
    calls.expect(412, HttpMethod.GET, events, null, r -> r.putHeader("x-account-id", TestService.DORMANT));

    // a subscription to a receiver here, then an order for it to deliver
    WebhookReceiver receiver = WebhookReceiver.start(vertx);
    JsonObject subscription = new JsonObject().put("url", receiver.url("/hook"))
      .put("events", new JsonArray().add("ats_assessments.created")).put("description", "the vendor's endpoint");
    String hook = calls.expect(200, HttpMethod.POST, WEBHOOKS, subscription.encode()).bodyAsJsonObject().getJsonObject("data")
      .getString("id");
    calls.expect(400, HttpMethod.POST, WEBHOOKS, "[]");
    calls.expect(422, HttpMethod.POST, WEBHOOKS, new JsonObject().put("url", "ftp://files.example.test/").encode());
    calls.expect(404, HttpMethod.POST, WEBHOOKS, subscription.copy().put("account_ids", new JsonArray().add("nobody")).encode());
    calls.expect(413, HttpMethod.POST, WEBHOOKS, subscription.copy().put("description", "x".repeat(70_000)).encode());
    calls.expect(401, HttpMethod.POST, WEBHOOKS, subscription.encode(), r -> { r.headers().remove("Authorization"); return r; });
    calls.expect(200, HttpMethod.GET, WEBHOOKS, null);
    calls.expect(200, HttpMethod.GET, WEBHOOKS + "?page_size=1", null);
    calls.expect(400, HttpMethod.GET, WEBHOOKS + "?next=garbage", null);
    calls.expect(200, HttpMethod.GET, WEBHOOKS + "/" + hook, null);
    calls.expect(404, HttpMethod.GET, WEBHOOKS + "/whk_unknown", null);
    calls.expect(200, HttpMethod.PATCH, WEBHOOKS + "/" + hook, new JsonObject().put("description", "changed").put("status", "active")
      .encode());
    calls.expect(422, HttpMethod.PATCH, WEBHOOKS + "/" + hook, new JsonObject().put("status", "paused").encode());
    calls.expect(400, HttpMethod.PATCH, WEBHOOKS + "/" + hook, "{not json");
    calls.expect(404, HttpMethod.PATCH, WEBHOOKS + "/whk_unknown", new JsonObject().put("description", "x").encode());
    calls.expect(200, HttpMethod.POST, WEBHOOKS + "/" + hook + "/rotate-secret", null);
    calls.expect(404, HttpMethod.POST, WEBHOOKS + "/whk_unknown/rotate-secret", null);
    calls.expect(200, HttpMethod.POST, ORDERS, DemoData.order().put("id", "for-the-webhook").encode());
    receiver.await("the delivery", got -> !got.isEmpty(), 10);
    // listed once its attempt's outcome is written
    Eventually.await("the delivery listed", () -> calls.expect(200, HttpMethod.GET, WEBHOOKS + "/" + hook + "/deliveries", null)
      .bodyAsJsonObject().getJsonArray("data").size(), n -> n == 1, 10);
    String eventId = calls.expect(200, HttpMethod.GET, WEBHOOKS + "/" + hook + "/deliveries", null).bodyAsJsonObject()
      .getJsonArray("data").getJsonObject(0).getString("event_id");
    calls.expect(200, HttpMethod.GET, WEBHOOKS + "/" + hook + "/deliveries?status=succeeded&page_size=1", null);
    calls.expect(400, HttpMethod.GET, WEBHOOKS + "/" + hook + "/deliveries?status=bogus", null);
    calls.expect(404, HttpMethod.GET, WEBHOOKS + "/whk_unknown/deliveries", null);
    calls.expect(200, HttpMethod.POST, WEBHOOKS + "/" + hook + "/deliveries/" + eventId + "/redeliver", null);
    calls.expect(404, HttpMethod.POST, WEBHOOKS + "/" + hook + "/deliveries/unknown-event/redeliver", null);
    calls.expect(200, HttpMethod.GET, events + "?filter[type]=ats_assessments.created", null);
    calls.expect(200, HttpMethod.DELETE, WEBHOOKS + "/" + hook, null);
    calls.expect(404, HttpMethod.DELETE, WEBHOOKS + "/" + hook, null);

    // Greenhouse's partner endpoints of a Greenhouse account, called as Greenhouse calls them
    String gh = "/connectors/greenhouse/" + ConnectorAccounts.GREENHOUSE;
    UnaryOperator<HttpRequest<Buffer>> asGreenhouse = r -> {
      r.headers().remove("x-account-id");
      return r.putHeader("Authorization", ConnectorAccounts.greenhouseAuth(ConnectorAccounts.GREENHOUSE_KEY));
    };
    calls.expect(200, HttpMethod.PUT, PACKAGES + "/gh-test-1", pkg.encode(), r -> r.putHeader("x-account-id", ConnectorAccounts.GREENHOUSE));
    calls.expect(200, HttpMethod.GET, gh + "/list_tests", null, asGreenhouse);
    calls.expect(401, HttpMethod.GET, gh + "/list_tests", null);
    JsonObject sendTest = new JsonObject().put("partner_test_id", "gh-test-1").put("sent_by", "sender@example.test")
      .put("url", "https://app.greenhouse.io/integrations/testing_partners/take_home_tests/777")
      .put("candidate", new JsonObject().put("first_name", "Harry").put("last_name", "Potter").put("preferred_name", null)
        .put("email", "hpotter@example.test").put("greenhouse_profile_url", "https://app.greenhouse.io/people/1?application_id=2"));
    String interview = calls.expect(200, HttpMethod.POST, gh + "/send_test", sendTest.encode(), asGreenhouse).bodyAsJsonObject()
      .getString("partner_interview_id");
    calls.expect(400, HttpMethod.POST, gh + "/send_test", new JsonObject().put("partner_test_id", "gh-test-1").encode(), asGreenhouse);
    calls.expect(404, HttpMethod.POST, gh + "/send_test", sendTest.copy().put("partner_test_id", "unknown").encode(), asGreenhouse);
    calls.expect(409, HttpMethod.POST, gh + "/send_test", sendTest.copy().put("sent_by", "someone-else@example.test").encode(),
      asGreenhouse);
    calls.expect(422, HttpMethod.POST, gh + "/send_test", sendTest.copy().put("url", "https://elsewhere.test/tests/1").encode(),
      asGreenhouse);
    calls.expect(200, HttpMethod.GET, gh + "/test_status?partner_interview_id=" + interview, null, asGreenhouse);
    calls.expect(400, HttpMethod.GET, gh + "/test_status", null, asGreenhouse);
    calls.expect(404, HttpMethod.GET, gh + "/test_status?partner_interview_id=unknown", null, asGreenhouse);
    calls.expect(200, HttpMethod.POST, gh + "/response_error", new JsonObject().put("api_call", "test_status")
      .put("errors", new JsonArray().add("partner_profile_url is missing")).encode(), asGreenhouse);
    calls.expect(400, HttpMethod.POST, gh + "/response_error", "{}", asGreenhouse);

    // Teamtailor's, as Teamtailor calls them (bob's account has no signing secret)
    String tt = "/connectors/teamtailor/" + ConnectorAccounts.OTHER_TEAMTAILOR;
    UnaryOperator<HttpRequest<Buffer>> asTeamtailor = r -> {
      r.headers().remove("x-account-id");
      return r.putHeader("Authorization", "Bearer " + ConnectorAccounts.OTHER_TEAMTAILOR_KEY);
    };
    calls.expect(200, HttpMethod.PUT, PACKAGES + "/7", pkg.encode(), r -> r.putHeader("x-account-id", ConnectorAccounts.OTHER_TEAMTAILOR)
      .putHeader("Authorization", TestService.basic(TestService.BOB, TestService.BOB_PASSWORD)));
    calls.expect(200, HttpMethod.GET, tt + "/config?job_id=1&stage_id=2&user_id=3", null, asTeamtailor);
    calls.expect(401, HttpMethod.GET, tt + "/config", null);
    JsonObject partnerEvent = new JsonObject().put("partner-event", new JsonObject().put("id", "evt-1")
      .put("webhook-data", new JsonObject().put("test", "7"))
      .put("partner-result", new JsonObject().put("id", "res-1").put("update-url", "https://api.teamtailor.com/partner/v1/partner-results/res-1"))
      .put("candidate", new JsonObject().put("id", 1).put("first-name", "Juston").put("last-name", "Becker").put("email", "j@example.test")));
    calls.expect(200, HttpMethod.POST, tt + "/webhook", partnerEvent.encode(), asTeamtailor);
    calls.expect(400, HttpMethod.POST, tt + "/webhook", "{}", asTeamtailor);
    JsonObject unknownTest = partnerEvent.copy();
    unknownTest.getJsonObject("partner-event").getJsonObject("webhook-data").put("test", "unknown");
    calls.expect(404, HttpMethod.POST, tt + "/webhook", unknownTest.encode(), asTeamtailor);
    JsonObject elsewhereResult = partnerEvent.copy();
    elsewhereResult.getJsonObject("partner-event").getJsonObject("partner-result").put("update-url", "https://elsewhere.test/r/1");
    calls.expect(422, HttpMethod.POST, tt + "/webhook", elsewhereResult.encode(), asTeamtailor);
    String tooLarge = new JsonObject().put("x", "y".repeat(70_000)).encode();
    calls.expect(413, HttpMethod.POST, gh + "/send_test", tooLarge, asGreenhouse);
    calls.expect(413, HttpMethod.POST, tt + "/webhook", tooLarge, asTeamtailor);
    calls.expect(403, HttpMethod.GET, "/connectors/greenhouse/" + ConnectorAccounts.DISABLED_GREENHOUSE + "/list_tests", null, asGreenhouse);
    calls.expect(403, HttpMethod.GET, "/connectors/teamtailor/" + ConnectorAccounts.DISABLED_TEAMTAILOR + "/config", null, r -> {
      r.headers().remove("x-account-id");
      return r.putHeader("Authorization", "Bearer " + ConnectorAccounts.TEAMTAILOR_KEY);
    });

    String query = new JsonObject().put("query", "{ assessmentOrder(id: \"" + id + "\") { id candidate { lastName } } }").encode();
    calls.expect(200, HttpMethod.POST, "/graphql", query);
    calls.expect(200, HttpMethod.GET, "/graphql?query=%7B%20assessmentPackages%20%7B%20edges%20%7B%20node%20%7B%20name%20%7D%20%7D%20%7D%20%7D", null);
    calls.expect(405, HttpMethod.GET, "/graphql?query=mutation%20%7B%20orderAssessment(input%3A%20%7B%7D)%20%7B%20id%20%7D%20%7D", null);
    calls.expect(400, HttpMethod.POST, "/graphql", new JsonObject().put("query", "{ nope").encode(),
      r -> r.putHeader("Accept", "application/graphql-response+json"));
    calls.expect(401, HttpMethod.POST, "/graphql", query, r -> { r.headers().remove("Authorization"); return r; });
    calls.expect(413, HttpMethod.POST, "/graphql", new JsonObject().put("query", "{ " + "x".repeat(70_000) + " }").encode());

    calls.expect(200, HttpMethod.GET, "/health", null);
    calls.expect(200, HttpMethod.GET, "/ready", null);
    calls.expect(200, HttpMethod.GET, "/openapi.json", null);
    calls.expect(200, HttpMethod.GET, "/docs", null);
    calls.expect(200, HttpMethod.GET, "/docs/swagger-ui.css", null);
    calls.expect(404, HttpMethod.GET, "/docs/nothing-here.js", null);
    calls.expect(200, HttpMethod.GET, "/eventbus/info", null);
    calls.expect(200, HttpMethod.GET, "/graphiql/", null);
    calls.expect(200, HttpMethod.GET, "/graphiql/index.html", null);

    return Stream.concat(calls.tests.stream(), Stream.of(DynamicTest.dynamicTest("every documented operation answered 200",
      () -> {
        Set<String> unanswered = new TreeSet<>();
        DOCUMENT.operations().forEach(op -> unanswered.add(op.toString()));
        unanswered.removeAll(calls.succeeded);
        assertEquals(Set.of(), unanswered, "documented operations this test never saw answer 200");
      })));
  }

  @TestFactory
  Stream<DynamicTest> rateLimitedAnswersAreWhatTheDocumentPromises(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("rate_limit_per_minute", 1));
    Exchanges calls = new Exchanges(service);

    calls.expect(200, HttpMethod.GET, PACKAGES, null);
    calls.expect(429, HttpMethod.GET, ORDERS, null);
    calls.expect(429, HttpMethod.POST, "/graphql", new JsonObject().put("query", "{ assessmentPackages { edges { cursor } } }").encode());

    return calls.tests.stream();
  }

  /**
   * Sends requests as alice on acme, one after the other, and makes a case of each: its status is the one
   * expected, and its response is what the document promises.
   */
  private static final class Exchanges {
    final TestService service;
    final List<DynamicTest> tests = new ArrayList<>();
    final Set<String> succeeded = new LinkedHashSet<>();

    Exchanges(TestService service) {
      this.service = service;
    }

    HttpResponse<Buffer> expect(int status, HttpMethod method, String uri, String body) {
      return expect(status, method, uri, body, UnaryOperator.identity());
    }

    HttpResponse<Buffer> expect(int status, HttpMethod method, String uri, String body,
                                UnaryOperator<HttpRequest<Buffer>> adjust) {
      HttpRequest<Buffer> request = adjust.apply(service.request(method, uri));
      HttpResponse<Buffer> response = body == null ? request.send().await()
        : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await();
      String name = status + " for " + method + " " + (uri.length() > 120 ? uri.substring(0, 120) + "…" : uri);
      tests.add(DynamicTest.dynamicTest(name, () -> {
        assertEquals(status, response.statusCode(), () -> method + " " + uri + ": " + response.bodyAsString());
        assertEquals(List.of(), DOCUMENT.violations(method, uri, response));
      }));
      if (status == 200 && response.statusCode() == 200) {
        DOCUMENT.operation(method, uri).ifPresent(op -> succeeded.add(op.toString()));
      }
      return response;
    }
  }
}
