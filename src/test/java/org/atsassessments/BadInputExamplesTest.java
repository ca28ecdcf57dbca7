package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.testing.ContractAssertions;
import org.atsassessments.testing.RawHttp;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.ALICE_PASSWORD;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.atsassessments.testing.TestService.PACKAGES;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Inputs that {@code HostileInputTest} found breaking the service, each kept as an example: what it used to
 * do, and the answer it gets now.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputExamplesTest {

  private TestService service;
  private RawHttp http;

  // one node for the class: each test writes records of ids of its own, and order-1 is never given a result
  // (every PATCH of it here is refused, which aDateThatDoesNotExistIsRefused checks)
  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) {
    service = TestService.start(vertx, dir);
    http = new RawHttp(service.config.httpPort());
    service.orderId("order-1");
  }

  private RawHttp.Request asAlice(String method, String target) {
    return RawHttp.request(method, target).header("Authorization", TestService.basic(ALICE, ALICE_PASSWORD))
      .header("x-account-id", TestService.ACME);
  }

  private static JsonObject assertError(RawHttp.Response response, int status) {
    assertEquals(status, response.status(), response::toString);
    return ContractAssertions.assertStackOneError(status, response.header("content-type"), response.buffer());
  }

  /** Was a 500: the router hands an undecodable path to the 400 error handler without setting the status. */
  @Test
  void aPathWithABrokenPercentEscapeIs400() {
    assertError(http.send(asAlice("GET", ORDERS + "/%yjv")), 400);
    assertError(http.send(asAlice("GET", ORDERS + "/%zz/results")), 400);
    assertError(http.send(RawHttp.request("GET", "/nothing/%zz")), 400);
  }

  /** Were empty bodies: requests the HTTP decoder refuses get StackOne's error body too. */
  @Test
  void requestsTheHttpDecoderRefusesGetStackOnesBody() {
    assertError(http.send(asAlice("GET", ORDERS).header("x-account-id", new byte[] {'a', 0x01})), 400);
    assertError(http.send(asAlice("GET", ORDERS).header("x-account-id", "a".repeat(9_000))), 431);
    assertError(http.send(asAlice("GET", ORDERS + "/" + "a".repeat(5_000))), 414);
  }

  /**
   * Was no answer at all: Jackson reads up to 1,000 levels, but converting 900 overflowed the event loop's
   * stack, and the request waited for its timeout. Now refused before decoding, on REST and GraphQL alike.
   */
  @Test
  void aBodyNestedHundredsOfLevelsDeepIs400AndStoresNothing() {
    String deep = "[".repeat(900) + "]".repeat(900);
    JsonObject refused = assertStackOneError(service.post(ORDERS, "{\"id\":\"deep-1\",\"passthrough\":{\"x\":" + deep + "}}"), 400);
    assertEquals("The request body is nested deeper than 100 levels", refused.getString("message"));
    assertStackOneError(service.get(ORDERS + "/deep-1"), 404);
    assertStackOneError(service.send(HttpMethod.PATCH, ORDERS + "/order-1/result", "{\"result\":{\"source_value\":" + deep + "}}"), 400);
    assertStackOneError(service.graphql("mutation($w: JSON) { orderAssessment(input: {id: \"deep-2\", passthrough: $w}) { id } }",
      new JsonObject().put("w", new JsonObject(("{\"x\":" + deep + "}")))), 400);
    // brackets inside strings are text, and a body a hundred levels deep is fine
    assertEquals(200, service.post(ORDERS, "{\"id\":\"flat\",\"passthrough\":{\"x\":\"" + "[".repeat(900) + "\"}}").statusCode());
    String hundred = "{\"id\":\"deep-ok\",\"passthrough\":{\"x\":" + "[".repeat(98) + "]".repeat(98) + "}}";
    assertEquals(200, service.post(ORDERS, hundred).statusCode());
  }

  /** Was accepted and read as 28 February: a date that does not exist is refused, as bodies already refused it. */
  @Test
  void aDateThatDoesNotExistIsRefused() {
    assertStackOneError(service.get(ORDERS + "?filter%5Bupdated_after%5D=2021-02-30T00:00:00Z"), 400);
    assertStackOneError(service.get(ORDERS + "?updated_after=2021-02-29T00:00:00Z"), 400);
    assertEquals(200, service.get(ORDERS + "?updated_after=2020-02-29T00:00:00Z").statusCode());
    HttpResponse<Buffer> patch = service.send(HttpMethod.PATCH, ORDERS + "/order-1/result", "{\"submission_date\":\"2021-02-30T10:00:00Z\"}");
    assertStackOneError(patch, 422);
    assertStackOneError(service.get(ORDERS + "/order-1/results"), 404);
  }

  /** Was a 500: the package key column holds 255 characters. */
  @Test
  void aPackageIdLongerThanTheStoreKeepsIs422() {
    HttpResponse<Buffer> put = service.send(HttpMethod.PUT, PACKAGES + "/" + "p".repeat(256), "{\"name\":\"Java\"}");
    assertEquals("id: longer than 255 characters", assertStackOneError(put, 422).getString("message"));
    assertEquals(200, service.send(HttpMethod.PUT, PACKAGES + "/" + "p".repeat(255), "{\"name\":\"Java\"}").statusCode());
  }

  /** Were 500s on PostgreSQL, whose text cannot hold NUL: no record has such an id, and none is written. */
  @Test
  void anIdWithANulCharacterNamesNoRecord() {
    assertStackOneError(service.get(ORDERS + "/order-1%00"), 404);
    assertStackOneError(service.get(ORDERS + "/order-1%00/results"), 404);
    assertStackOneError(service.get(PACKAGES + "/p%00"), 404);
    HttpResponse<Buffer> created = service.post(ORDERS, "{\"id\":\"nul\\u0000\"}");
    assertEquals("remote_id: must not contain the NUL character", assertStackOneError(created, 422).getString("message"));
    assertStackOneError(service.send(HttpMethod.PUT, PACKAGES + "/p%00", "{\"name\":\"Java\"}"), 422);
    // inside a document NUL is just a character
    assertEquals(200, service.post(ORDERS, "{\"id\":\"nul-ok\",\"candidate\":{\"first_name\":\"a\\u0000b\"}}").statusCode());
    assertEquals("a\u0000b", service.get(ORDERS + "/nul-ok").bodyAsJsonObject().getJsonObject("data")
      .getJsonObject("candidate").getString("first_name"));
  }

  /**
   * Was a 500 on PostgreSQL: a JSON escape can carry half of a surrogate pair, which UTF-8 cannot hold. A PATCH
   * kept it in the raw exchange (unknown keys are dropped from the result, not from what raw shows).
   */
  @Test
  void aStringWithALoneSurrogateIs422OnEveryStore() {
    HttpResponse<Buffer> patch = service.send(HttpMethod.PATCH, ORDERS + "/order-1/result",
      "{\"summary\":\"ok\",\"extra\":[\"z\\ud827\\u0091q\"]}");
    assertEquals("extra[0]: not valid Unicode (a lone surrogate)", assertStackOneError(patch, 422).getString("message"));
    assertStackOneError(service.post(ORDERS, "{\"id\":\"s-1\",\"candidate\":{\"first_name\":\"a\\ud800b\"}}"), 422);
    // a lone low surrogate is caught by the same check; Jackson itself refuses one in a name (400)
    HttpResponse<Buffer> lowSurrogate = service.post(ORDERS, "{\"id\":\"s-1\",\"candidate\":{\"first_name\":\"\\udc00\"}}");
    assertEquals("candidate.first_name: not valid Unicode (a lone surrogate)",
      assertStackOneError(lowSurrogate, 422).getString("message"));
    HttpResponse<Buffer> inAName = service.post(ORDERS, "{\"id\":\"s-1\",\"passthrough\":{\"\\ud800x\":1}}");
    assertEquals("The request body is not valid JSON", assertStackOneError(inAName, 400).getString("message"));
    assertStackOneError(service.get(ORDERS + "/s-1"), 404);
    // a pair is one character, and fine
    assertEquals(200, service.post(ORDERS, "{\"id\":\"s-3\",\"candidate\":{\"first_name\":\"\\ud83d\\ude00\"}}").statusCode());
    assertEquals("\ud83d\ude00", service.get(ORDERS + "/s-3").bodyAsJsonObject().getJsonObject("data")
      .getJsonObject("candidate").getString("first_name"));
    // GraphQL's own parser refuses them in a document; a variable carries them to the same check
    RawHttp.Response viaGraphQL = http.send(asAlice("POST", "/graphql").json("{\"query\":\"mutation($n: String) "
      + "{ orderAssessment(input: {id: \\\"s-4\\\", candidate: {firstName: $n}}) { id } }\","
      + "\"variables\":{\"n\":\"a\\ud827\\u0091b\"}}"));
    JsonObject error = viaGraphQL.json().getJsonArray("errors").getJsonObject(0);
    assertEquals("BAD_USER_INPUT", error.getJsonObject("extensions").getString("code"), viaGraphQL::toString);
    assertEquals("candidate.first_name: not valid Unicode (a lone surrogate)", error.getString("message"));
  }

  /** Was stored as the string "Infinity": Jackson reads a number beyond a double's range as infinite. */
  @Test
  void aNumberBeyondADoublesRangeIs422() {
    HttpResponse<Buffer> created = service.post(ORDERS, "{\"id\":\"n-1\",\"candidate\":{\"passthrough\":{\"x\":-1e400}}}");
    assertEquals("candidate.passthrough.x: a number out of range", assertStackOneError(created, 422).getString("message"));
    assertStackOneError(service.send(HttpMethod.PATCH, ORDERS + "/order-1/result", "{\"passthrough\":{\"x\":[1e400]}}"), 422);
    // big integers and tiny or long decimals are numbers like any other
    assertEquals(200, service.post(ORDERS, "{\"id\":\"n-2\",\"candidate\":{\"passthrough\":{\"x\":123456789012345678901234567890,"
      + "\"y\":1e-400,\"z\":1E+2}}}").statusCode());
    assertEquals(new JsonObject("{\"x\":123456789012345678901234567890,\"y\":0.0,\"z\":100.0}"),
      service.get(ORDERS + "/n-2").bodyAsJsonObject().getJsonObject("data").getJsonObject("candidate").getJsonObject("passthrough"));
  }

  /** Was INTERNAL_SERVER_ERROR (a ClassCastException): proxy is a JSON scalar, so any value reaches the fetcher. */
  @ParameterizedTest
  @ValueSource(strings = {"true", "5", "\"x\"", "[1, 2]"})
  void aGraphQLProxyThatIsNotAnObjectIsBadUserInput(String proxy) {
    JsonObject body = service.graphql("{ assessmentOrder(id: \"order-1\", proxy: " + proxy + ") { id } }", null)
      .bodyAsJsonObject();

    JsonObject error = body.getJsonArray("errors").getJsonObject(0);
    assertEquals("BAD_USER_INPUT", error.getJsonObject("extensions").getString("code"), body::encode);
    assertEquals("proxy must be an object of provider parameters", error.getString("message"));
  }

  @Test
  void aGraphQLProxyThatIsAnObjectReachesTheFetcher() {
    JsonObject fine = service.graphql("{ assessmentOrder(id: \"order-1\", proxy: {a: 1}) { remoteId } }", null).bodyAsJsonObject();
    assertEquals("order-1", fine.getJsonObject("data").getJsonObject("assessmentOrder").getString("remoteId"));
  }
}
