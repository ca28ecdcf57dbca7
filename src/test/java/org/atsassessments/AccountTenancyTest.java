package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.atsassessments.testing.ContractAssertions.assertSameError;
import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ACME;
import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.ALICE_PASSWORD;
import static org.atsassessments.testing.TestService.BOB;
import static org.atsassessments.testing.TestService.BOB_PASSWORD;
import static org.atsassessments.testing.TestService.DORMANT;
import static org.atsassessments.testing.TestService.GLOBEX;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** x-account-id: the linked account a request runs against, checked at the edge. */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountTenancyTest {

  private TestService service;
  private String acmeOrderId;

  // one node for the class: acme's one order is all the tests read, and every write they try is refused
  // (which everyRouteChecksCredentialsThenTheAccount checks: still one order, no package, no result)
  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) {
    service = TestService.start(vertx, dir);
    acmeOrderId = service.createOrder(new JsonObject().put("id", "acme-remote-1")).bodyAsJsonObject().getString("id");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   "})
  void aMissingAccountHeaderIs400(String account) {
    HttpResponse<Buffer> response = service.getAs(ORDERS + "/" + acmeOrderId, ALICE, ALICE_PASSWORD, account);

    assertEquals("Missing x-account-id header", assertStackOneError(response, 400).getString("message"));
  }

  @Test
  void anUnknownAccountIs404LikeAnUnknownOrder() {
    HttpResponse<Buffer> unknownAccount = service.getAs(ORDERS + "/" + acmeOrderId, ALICE, ALICE_PASSWORD, "initech");
    HttpResponse<Buffer> unknownOrder = service.get(ORDERS + "/no-such-order");

    assertStackOneError(unknownAccount, 404);
    assertSameError(unknownOrder, unknownAccount);
  }

  @Test
  void anAccountNotGrantedToTheUserIs404LikeAnUnknownOne() {
    HttpResponse<Buffer> notGranted = service.getAs(ORDERS + "/" + acmeOrderId, BOB, BOB_PASSWORD, ACME);
    HttpResponse<Buffer> unknown = service.getAs(ORDERS + "/" + acmeOrderId, BOB, BOB_PASSWORD, "initech");
    HttpResponse<Buffer> postNotGranted = service.postAs(ORDERS, "{\"id\":\"bob-1\"}", BOB, BOB_PASSWORD, ACME);

    assertStackOneError(notGranted, 404);
    assertSameError(unknown, notGranted);
    assertSameError(unknown, postNotGranted);
    assertStackOneError(service.get(ORDERS + "/bob-1"), 404);
  }

  @Test
  void aDisabledAccountIs412ForReadsAndWrites() {
    assertStackOneError(service.getAs(ORDERS + "/x", ALICE, ALICE_PASSWORD, DORMANT), 412);
    assertStackOneError(service.postAs(ORDERS, "{\"id\":\"d-1\"}", ALICE, ALICE_PASSWORD, DORMANT), 412);
  }

  @Test
  void aDisabledAccountNotGrantedToTheUserIs404() {
    assertStackOneError(service.getAs(ORDERS + "/x", BOB, BOB_PASSWORD, DORMANT), 404);
  }

  @ParameterizedTest
  @CsvSource({
    "GET, /unified/ats/assessments/orders",
    "POST, /unified/ats/assessments/orders",
    "GET, /unified/ats/assessments/orders/acme-remote-1",
    "PATCH, /unified/ats/assessments/orders/acme-remote-1/result",
    "GET, /unified/ats/assessments/orders/acme-remote-1/results",
    "GET, /unified/ats/assessments/packages",
    "GET, /unified/ats/assessments/packages/p1",
    "PUT, /unified/ats/assessments/packages/p1",
  })
  void everyRouteChecksCredentialsThenTheAccount(String method, String path) {
    HttpMethod httpMethod = HttpMethod.valueOf(method);
    Buffer body = Buffer.buffer("{}");

    assertStackOneError(service.client.request(httpMethod, path).putHeader("x-account-id", ACME).sendBuffer(body).await(), 401);
    assertStackOneError(as(httpMethod, path, ALICE, ALICE_PASSWORD, null).sendBuffer(body).await(), 400);
    assertStackOneError(as(httpMethod, path, ALICE, ALICE_PASSWORD, "initech").sendBuffer(body).await(), 404);
    assertStackOneError(as(httpMethod, path, BOB, BOB_PASSWORD, ACME).sendBuffer(body).await(), 404);
    assertStackOneError(as(httpMethod, path, ALICE, ALICE_PASSWORD, DORMANT).sendBuffer(body).await(), 412);
    // no refused request wrote anything
    assertStackOneError(service.get("/unified/ats/assessments/packages/p1"), 404);
    assertStackOneError(service.get(ORDERS + "/acme-remote-1/results"), 404);
    assertEquals(1, service.get(ORDERS).bodyAsJsonObject().getJsonArray("data").size());
  }

  private io.vertx.ext.web.client.HttpRequest<Buffer> as(HttpMethod method, String path, String user, String password,
                                                        String account) {
    var request = service.client.request(method, path).putHeader("Authorization", TestService.basic(user, password));
    return account == null ? request : request.putHeader("x-account-id", account);
  }

  @Test
  void anOrderOfOneAccountIsInvisibleFromAnotherByIdAndByRemoteId() {
    HttpResponse<Buffer> byId = service.getAs(ORDERS + "/" + acmeOrderId, ALICE, ALICE_PASSWORD, GLOBEX);
    HttpResponse<Buffer> byRemoteId = service.getAs(ORDERS + "/acme-remote-1", ALICE, ALICE_PASSWORD, GLOBEX);
    HttpResponse<Buffer> missing = service.getAs(ORDERS + "/never-existed", ALICE, ALICE_PASSWORD, GLOBEX);

    assertStackOneError(byId, 404);
    assertSameError(missing, byId);
    assertSameError(missing, byRemoteId);
    assertEquals(200, service.get(ORDERS + "/acme-remote-1").statusCode());
  }
}
