package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.demo.DemoData;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.atsassessments.testing.ContractAssertions.assertMatches;
import static org.atsassessments.testing.ContractAssertions.assertSameError;
import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.PACKAGES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Packages: StackOne's list and get, and PUT to publish a catalogue. */
@ExtendWith(VertxExtension.class)
class PackagesTest {

  private static final JsonObject JAVA = new JsonObject().put("remote_id", "vendor-java").put("name", "Java")
    .put("description", "Java skills test").put("ignored", true);

  private TestService service;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) {
    service = TestService.start(vertx, dir, config -> config.with("demo", true));
  }

  private HttpResponse<Buffer> put(String id, JsonObject body) {
    return service.send(HttpMethod.PUT, PACKAGES + "/" + id, body.encode());
  }

  @Test
  void putCreatesAPackageAndAnswersIt() {
    HttpResponse<Buffer> created = put("java", JAVA);

    assertEquals(200, created.statusCode(), created.bodyAsString());
    assertMatches("AssessmentPackageResult", created.body());
    JsonObject expected = new JsonObject().put("data", new JsonObject().put("id", "java").put("remote_id", "vendor-java")
      .put("name", "Java").put("description", "Java skills test"));
    assertEquals(expected, created.bodyAsJsonObject());
    assertEquals(expected, service.get(PACKAGES + "/java").bodyAsJsonObject());
    assertEquals(expected, service.get(PACKAGES + "/vendor-java").bodyAsJsonObject());
  }

  /** A package id is the vendor's: two accounts may each have their own package of the same id. */
  @Test
  void twoAccountsEachReadTheirOwnPackageOfTheSameId() {
    put("java", JAVA);
    HttpResponse<Buffer> other = service.request(HttpMethod.PUT, PACKAGES + "/java").putHeader("x-account-id", TestService.GLOBEX)
      .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(new JsonObject().put("name", "Java at Globex").encode()))
      .await();
    assertEquals(200, other.statusCode(), other.bodyAsString());

    // read together (one batched store lookup) and one after the other
    var acme = service.request(HttpMethod.GET, PACKAGES + "/java").send();
    var globex = service.request(HttpMethod.GET, PACKAGES + "/java").putHeader("x-account-id", TestService.GLOBEX).send();
    assertEquals("Java", acme.await().bodyAsJsonObject().getJsonObject("data").getString("name"));
    assertEquals("Java at Globex", globex.await().bodyAsJsonObject().getJsonObject("data").getString("name"));
    assertEquals("Java at Globex", service.request(HttpMethod.GET, PACKAGES + "/java").putHeader("x-account-id", TestService.GLOBEX)
      .send().await().bodyAsJsonObject().getJsonObject("data").getString("name"));
    assertEquals("Java", service.get(PACKAGES + "/java").bodyAsJsonObject().getJsonObject("data").getString("name"));
  }

  @Test
  void putReplacesTheWholePackage() {
    put("java", JAVA);

    HttpResponse<Buffer> replaced = put("java", new JsonObject().put("id", "java").put("name", "Java 21"));

    JsonObject expected = new JsonObject().put("data", new JsonObject().put("id", "java").put("name", "Java 21"));
    assertEquals(expected, replaced.bodyAsJsonObject());
    assertEquals(expected, service.get(PACKAGES + "/java").bodyAsJsonObject());
    assertEquals(1, service.get(PACKAGES).bodyAsJsonObject().getJsonArray("data").size());
  }

  @Test
  void getHonoursFieldsAndRaw() {
    put("java", JAVA);

    HttpResponse<Buffer> read = service.get(PACKAGES + "/java?fields=name&raw=true&proxy[x]=y");

    assertEquals(new JsonObject().put("name", "Java"), read.bodyAsJsonObject().getJsonObject("data"));
    JsonObject exchange = read.bodyAsJsonObject().getJsonArray("raw").getJsonObject(0);
    assertEquals("PUT", exchange.getString("method"));
    assertEquals(JAVA, exchange.getJsonObject("body"));
    assertMatches("AssessmentPackageResult", read.body());
  }

  @Test
  void theListUsesStackOnesEnvelope() {
    put("java", JAVA);
    put("go", new JsonObject().put("name", "Go"));

    HttpResponse<Buffer> list = service.get(PACKAGES + "?fields=id,name");

    assertEquals(200, list.statusCode());
    assertMatches("AssessmentPackagePaginated", list.body());
    assertEquals(new JsonObject().put("next", (Object) null).put("data", new JsonArray()
        .add(new JsonObject().put("id", "java").put("name", "Java"))
        .add(new JsonObject().put("id", "go").put("name", "Go"))),
      list.bodyAsJsonObject());
  }

  @Test
  void theDemoAccountHasTheExamplesPackage() {
    HttpResponse<Buffer> list = service.getAs(PACKAGES, DemoData.USER, DemoData.PASSWORD, DemoData.ACCOUNT_ID);

    assertEquals(new JsonArray().add(DemoData.order().getJsonObject("package")),
      list.bodyAsJsonObject().getJsonArray("data"));
  }

  @Test
  void packagesBelongToOneAccount() {
    put("java", JAVA);

    HttpResponse<Buffer> fromGlobex = service.getAs(PACKAGES + "/java", TestService.BOB, TestService.BOB_PASSWORD,
      TestService.GLOBEX);
    HttpResponse<Buffer> listGlobex = service.getAs(PACKAGES, TestService.BOB, TestService.BOB_PASSWORD, TestService.GLOBEX);

    assertSameError(service.get(PACKAGES + "/never"), fromGlobex);
    assertEquals(new JsonArray(), listGlobex.bodyAsJsonObject().getJsonArray("data"));
  }

  @Test
  void anUnknownPackageIs404() {
    assertStackOneError(service.get(PACKAGES + "/never"), 404);
  }

  @Test
  void badBodiesAreRefusedAndWriteNothing() {
    assertEquals("id: must be absent or equal to the id in the path",
      assertStackOneError(put("java", JAVA.copy().put("id", "other")), 422).getString("message"));
    assertEquals("name: integer found, string expected",
      assertStackOneError(put("java", new JsonObject().put("name", 1)), 422).getString("message"));
    assertStackOneError(service.send(HttpMethod.PUT, PACKAGES + "/java", "not json"), 400);
    assertStackOneError(service.send(HttpMethod.PUT, PACKAGES + "/java", "[1]"), 422);
    assertStackOneError(service.get(PACKAGES + "/java"), 404);
    assertNull(service.get(PACKAGES).bodyAsJsonObject().getValue("next"));
  }
}
