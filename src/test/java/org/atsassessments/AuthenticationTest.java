package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;

import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Basic auth against the htpasswd file: the password is always checked. */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticationTest {

  private TestService service;
  private String orderPath;

  // one node for the class: the tests only read the one order (the login throttle is off in TestService)
  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) {
    service = TestService.start(vertx, dir);
    orderPath = ORDERS + "/" + service.createOrder(new io.vertx.core.json.JsonObject().put("id", "auth-1"))
      .bodyAsJsonObject().getString("id");
  }

  private HttpResponse<Buffer> withAuthorization(String header) {
    var request = service.client.request(HttpMethod.GET, orderPath).putHeader("x-account-id", TestService.ACME);
    if (header != null) request.putHeader("Authorization", header);
    return request.send().await();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private void assertUnauthorized(HttpResponse<Buffer> response) {
    assertStackOneError(response, 401);
    assertEquals("Basic realm=\"ats-assessments\"", response.getHeader("WWW-Authenticate"));
  }

  @Test
  void missingCredentialsAre401WithAChallenge() {
    assertUnauthorized(withAuthorization(null));
  }

  @Test
  void aWrongPasswordIs401() {
    assertUnauthorized(withAuthorization(TestService.basic(TestService.ALICE, "not-wonderland")));
  }

  @Test
  void anEmptyPasswordForAUserWhoHasOneIs401() {
    assertUnauthorized(withAuthorization("Basic " + base64(TestService.ALICE + ":")));
    assertUnauthorized(withAuthorization("Basic " + base64(TestService.ALICE)));
  }

  @Test
  void anUnknownUserIs401() {
    assertUnauthorized(withAuthorization(TestService.basic("mallory", "wonderland")));
  }

  static Stream<String> malformedHeaders() {
    return Stream.of("Bearer abc", "Basic", "Basic !!!not-base64!!!", "Basic " + base64(":secret"), "Digest x");
  }

  @ParameterizedTest
  @MethodSource("malformedHeaders")
  void malformedHeadersAre401(String header) {
    assertUnauthorized(withAuthorization(header));
  }

  @Test
  void aBcryptUserIsRefusedBecauseItsHashCannotBeVerified() {
    assertUnauthorized(withAuthorization(TestService.basic("carol", "anything")));
  }

  @Test
  void theRightPasswordIsAccepted() {
    assertEquals(200, withAuthorization(TestService.basic(TestService.ALICE, TestService.ALICE_PASSWORD)).statusCode());
    assertEquals(200, withAuthorization("basic " + base64(TestService.ALICE + ":" + TestService.ALICE_PASSWORD)).statusCode());
  }

  @Test
  void apiKeyStyleWorksWhenTheUsersPasswordIsEmpty() {
    assertEquals(200, withAuthorization("Basic " + base64(TestService.API_KEY + ":")).statusCode());
    assertEquals(200, withAuthorization("Basic " + base64(TestService.API_KEY)).statusCode());
    assertUnauthorized(withAuthorization("Basic " + base64(TestService.API_KEY + ":something")));
  }

  @Test
  void aCachedSuccessDoesNotLetAWrongPasswordIn() {
    assertEquals(200, withAuthorization(TestService.basic(TestService.ALICE, TestService.ALICE_PASSWORD)).statusCode());
    assertUnauthorized(withAuthorization(TestService.basic(TestService.ALICE, TestService.ALICE_PASSWORD + "x")));
    assertEquals(200, withAuthorization(TestService.basic(TestService.ALICE, TestService.ALICE_PASSWORD)).statusCode());
  }

  @Test
  void authenticationComesBeforeEverythingElseUnderTheApi() {
    var unknownRoute = service.client.request(HttpMethod.GET, "/unified/nothing-here").send().await();
    var post = service.client.request(HttpMethod.POST, ORDERS).sendBuffer(Buffer.buffer("{}")).await();

    assertUnauthorized(unknownRoute);
    assertUnauthorized(post);
  }
}
