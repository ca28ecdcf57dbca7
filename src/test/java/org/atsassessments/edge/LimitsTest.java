package org.atsassessments.edge;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.testing.ContractAssertions;
import org.atsassessments.testing.RawHttp;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.ALICE_PASSWORD;
import static org.atsassessments.testing.TestService.ACME;
import static org.atsassessments.testing.TestService.BOB;
import static org.atsassessments.testing.TestService.BOB_PASSWORD;
import static org.atsassessments.testing.TestService.GLOBEX;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rate limit, request deadline, failed-login throttle and the headers every answer carries. */
@ExtendWith(VertxExtension.class)
class LimitsTest {

  @Test
  void aCredentialOverItsRateIsRefusedWith429UntilTheMinuteEnds(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("rate_limit_per_minute", 5));
    HttpResponse<Buffer> refused = null;
    for (int attempt = 0; attempt < 3 && refused == null; attempt++) {
      long minute = System.currentTimeMillis() / 60_000;
      HttpResponse<Buffer> last = null;
      for (int i = 0; i < 6; i++) last = service.get(ORDERS + "/nothing");
      // the six requests fell into one clock minute unless it turned meanwhile (then try again)
      if (System.currentTimeMillis() / 60_000 == minute) refused = last;
    }
    assertStackOneError(refused, 429);
    long retryAfter = Long.parseLong(refused.getHeader("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
    // another credential is counted apart
    assertEquals(404, service.getAs(ORDERS + "/nothing", BOB, BOB_PASSWORD, GLOBEX).statusCode());
  }

  @Test
  void aRequestNotAnsweredWithinItsDeadlineIs408(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("request_timeout_ms", 300));
    // the repository's answers arrive a second late
    vertx.eventBus().addInboundInterceptor(delivery -> vertx.setTimer(1_000, late -> delivery.next()));
    HttpResponse<Buffer> late = service.get(ORDERS + "/nothing");
    assertStackOneError(late, 408);
    assertEquals("1", late.getHeader("Retry-After"));
  }

  /** The deadline covers the whole request, not only the repository: here the body never arrives. */
  @Test
  void aRequestWhoseBodyNeverArrivesIs408AtItsDeadline(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("request_timeout_ms", 1000));  // a cold first POST on a slow machine takes a few hundred ms
    RawHttp http = new RawHttp(service.config.httpPort());
    for (String path : new String[] {ORDERS, "/graphql"}) {
      // headers promise a body of 100 bytes; none is sent
      RawHttp.Response stalled = http.send(RawHttp.request("POST", path)
        .header("Authorization", TestService.basic(ALICE, ALICE_PASSWORD)).header("x-account-id", ACME)
        .header("Content-Type", "application/json").header("Content-Length", "100"));
      ContractAssertions.assertStackOneError(stalled.status(), stalled.header("content-type"), stalled.buffer());
      assertEquals(408, stalled.status());
      assertEquals("1", stalled.header("Retry-After"));
      assertEquals("no-store", stalled.header("Cache-Control"));
    }
    assertEquals(200, service.post(ORDERS, "{\"id\": \"in-time\"}").statusCode(), "a request in time is served");
  }

  /** A client that sends half a request and then nothing is disconnected after the idle timeout. */
  @Test
  void anIdleConnectionIsClosed(Vertx vertx, @TempDir Path dir) throws Exception {
    TestService service = TestService.start(vertx, dir, config -> config.with("http_idle_timeout_seconds", 1));
    try (Socket socket = new Socket("127.0.0.1", service.config.httpPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nx-slow: ".getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      assertEquals(-1, socket.getInputStream().read(), "closed without an answer");
      long waitedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(waitedMs >= 500, "not before the idle timeout: " + waitedMs + " ms");
    }
  }

  @Test
  void theRequestLineAndHeaderLimitsAreSettingsAndRefusalsHaveStackOnesBodyAndHeaders(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config
      .with("max_request_line_bytes", 512).with("max_header_bytes", 1024));
    RawHttp http = new RawHttp(service.config.httpPort());
    RawHttp.Request longUrl = RawHttp.request("GET", ORDERS + "/" + "a".repeat(600))
      .header("Authorization", TestService.basic(ALICE, ALICE_PASSWORD)).header("x-account-id", ACME);
    RawHttp.Request bigHeaders = RawHttp.request("GET", ORDERS + "/nothing")
      .header("Authorization", TestService.basic(ALICE, ALICE_PASSWORD)).header("x-account-id", ACME)
      .header("x-padding", "p".repeat(1_100));
    RawHttp.Request justUnder = RawHttp.request("GET", ORDERS + "/" + "a".repeat(400))
      .header("Authorization", TestService.basic(ALICE, ALICE_PASSWORD)).header("x-account-id", ACME)
      .header("x-padding", "p".repeat(600));

    for (int status : new int[] {414, 431}) {
      RawHttp.Response refused = http.send(status == 414 ? longUrl : bigHeaders);
      assertEquals(status, refused.status(), refused::toString);
      ContractAssertions.assertStackOneError(status, refused.header("content-type"), refused.buffer());
      assertEquals("nosniff", refused.header("X-Content-Type-Options"));
      assertEquals("no-store", refused.header("Cache-Control"));
      assertNull(refused.header("Server"));
    }
    assertEquals(404, http.send(justUnder).status(), "under both limits: served");
  }

  @Test
  void failedLoginsAreSlowedThenRefusedForTheirAddressAndNameOnly(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config
      .with("login_slowdown_after", 1).with("login_lockout_after", 3).with("login_lockout_seconds", 300));
    for (int i = 0; i < 3; i++) {
      assertStackOneError(service.getAs(ORDERS + "/nothing", "mallory", "guess" + i, ACME), 401);
    }
    // now that address is refused without a password check, even a good one
    HttpResponse<Buffer> locked = service.getAs(ORDERS + "/nothing", BOB, BOB_PASSWORD, GLOBEX);
    assertStackOneError(locked, 429);
    long retryAfter = Long.parseLong(locked.getHeader("Retry-After"));
    assertTrue(retryAfter > 200 && retryAfter <= 300, "Retry-After " + retryAfter);
    // a user from another address is not slowed down
    WebClient elsewhere = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(service.config.httpPort()).setLocalAddress("127.0.0.2"));
    HttpResponse<Buffer> other = elsewhere.request(HttpMethod.GET, ORDERS + "/nothing")
      .putHeader("Authorization", TestService.basic(ALICE, ALICE_PASSWORD)).putHeader("x-account-id", ACME).send().await();
    assertEquals(404, other.statusCode());
    // but the locked-out name is refused from there too
    HttpResponse<Buffer> name = elsewhere.request(HttpMethod.GET, ORDERS + "/nothing")
      .putHeader("Authorization", TestService.basic("mallory", "again")).putHeader("x-account-id", ACME).send().await();
    assertStackOneError(name, 429);
  }

  /**
   * A credential verified through one event loop is trusted on all of the node's loops (one cache per node): its
   * address locked out by another name's failures, it is still served on every new connection, which the node
   * hands to its loops in turn. With one cache per loop, 6 of 8 such requests were refused.
   */
  @Test
  void aVerifiedCredentialIsTrustedOnEveryEventLoopWhenItsAddressIsLockedOut(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("http_instances", 4)
      .with("login_slowdown_after", 0).with("login_lockout_after", 3).with("login_lockout_seconds", 300));
    WebClient fresh = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(service.config.httpPort()).setKeepAlive(false));
    assertEquals(404, alice(fresh).statusCode(), "alice, verified once");
    for (int i = 0; i < 3; i++) {
      assertStackOneError(fresh.request(HttpMethod.GET, ORDERS + "/nothing")
        .putHeader("Authorization", TestService.basic("mallory", "guess" + i)).putHeader("x-account-id", ACME).send().await(), 401);
    }
    assertStackOneError(fresh.request(HttpMethod.GET, ORDERS + "/nothing")
      .putHeader("Authorization", TestService.basic(BOB, BOB_PASSWORD)).putHeader("x-account-id", GLOBEX).send().await(), 429);

    for (int i = 0; i < 8; i++) assertEquals(404, alice(fresh).statusCode(), "request " + i + " on a new connection");
  }

  private static HttpResponse<Buffer> alice(WebClient client) {
    return client.request(HttpMethod.GET, ORDERS + "/nothing").putHeader("Authorization", TestService.basic(ALICE, ALICE_PASSWORD))
      .putHeader("x-account-id", ACME).send().await();
  }

  /**
   * Every answer of the API says where its credential stands in the minute (RateLimit-Limit, -Remaining, -Reset
   * in seconds), REST and GraphQL alike; the 429 has none remaining and its Retry-After is the reset.
   */
  @Test
  void everyAnswerCarriesTheRateLimitOfItsCredential(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("rate_limit_per_minute", 4));
    for (int attempt = 0; attempt < 3; attempt++) {
      long minute = System.currentTimeMillis() / 60_000;
      HttpResponse<Buffer> first = service.get(ORDERS + "/nothing");
      HttpResponse<Buffer> second = service.graphql("{ assessmentOrder(id: \"nothing\") { id } }", null);
      HttpResponse<Buffer> third = service.get(ORDERS);
      HttpResponse<Buffer> fourth = service.get(ORDERS + "/nothing");
      HttpResponse<Buffer> refused = service.get(ORDERS + "/nothing");
      if (System.currentTimeMillis() / 60_000 != minute) continue;  // the minute turned meanwhile: again
      int expected = 3;
      for (HttpResponse<Buffer> answer : java.util.List.of(first, second, third, fourth)) {
        assertEquals("4", answer.getHeader("RateLimit-Limit"));
        assertEquals(String.valueOf(expected--), answer.getHeader("RateLimit-Remaining"));
        long reset = Long.parseLong(answer.getHeader("RateLimit-Reset"));
        assertTrue(reset >= 1 && reset <= 60, "RateLimit-Reset " + reset);
      }
      assertStackOneError(refused, 429);
      assertEquals("4", refused.getHeader("RateLimit-Limit"));
      assertEquals("0", refused.getHeader("RateLimit-Remaining"));
      assertEquals(refused.getHeader("Retry-After"), refused.getHeader("RateLimit-Reset"));
      // an answer given before the credential is known counts against none
      HttpResponse<Buffer> unknown = service.getAs(ORDERS, "nobody", "x", ACME);
      assertStackOneError(unknown, 401);
      assertEquals("4", unknown.getHeader("RateLimit-Limit"));
      assertEquals("4", unknown.getHeader("RateLimit-Remaining"));
      return;
    }
    throw new AssertionError("no clock minute held five requests");
  }

  @Test
  void withoutARateLimitThereAreNoRateLimitHeaders(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("rate_limit_per_minute", 0));
    HttpResponse<Buffer> answer = service.get(ORDERS + "/nothing");
    assertEquals(404, answer.statusCode());
    assertNull(answer.getHeader("RateLimit-Limit"));
    assertNull(answer.getHeader("RateLimit-Remaining"));
    assertNull(answer.getHeader("RateLimit-Reset"));
  }

  /** Behind a load balancer every connection comes from it: the address it forwarded is the one counted. */
  @Test
  void behindATrustedProxyFailuresAreCountedPerForwardedAddress(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config
      .with("login_slowdown_after", 0).with("login_lockout_after", 2).with("trusted_proxy_hops", 1));
    // the client wrote the first entry itself; the proxy appended the address it saw
    for (int i = 0; i < 2; i++) {
      HttpResponse<Buffer> failed = service.request(HttpMethod.GET, ORDERS + "/nothing")
        .putHeader("Authorization", TestService.basic("guess-" + i, "x")).putHeader("X-Forwarded-For", "10.9.9." + i + ", 10.0.0.1")
        .send().await();
      assertStackOneError(failed, 401);
    }
    HttpResponse<Buffer> locked = service.request(HttpMethod.GET, ORDERS + "/nothing")
      .putHeader("X-Forwarded-For", "10.0.0.2, 10.0.0.1").send().await();
    HttpResponse<Buffer> otherClient = service.request(HttpMethod.GET, ORDERS + "/nothing")
      .putHeader("X-Forwarded-For", "10.0.0.1, 10.0.0.2").send().await();
    HttpResponse<Buffer> direct = service.get(ORDERS + "/nothing");

    assertStackOneError(locked, 429);  // a forged first entry does not help
    assertEquals(404, otherClient.statusCode(), "another client behind the same proxy is served");
    assertEquals(404, direct.statusCode(), "so is the proxy's own connection address without the header");
  }

  @Test
  void theJsonDepthLimitIsASetting(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("json_max_depth", 4));
    HttpResponse<Buffer> deep = service.post(ORDERS, "{\"id\": \"deep\", \"candidate\": {\"emails\": [{\"value\": []}]}}");
    assertStackOneError(deep, 400);
    assertEquals("The request body is nested deeper than 4 levels", deep.bodyAsJsonObject().getString("message"));
    assertEquals(200, service.post(ORDERS, "{\"id\": \"shallow\", \"candidate\": {\"emails\": [{\"value\": \"a@b.c\"}]}}")
      .statusCode());
  }

  @Test
  void everyAnswerCarriesTheSecurityHeadersAndNoServerHeader(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir);
    for (HttpResponse<Buffer> answer : new HttpResponse[] {
      service.get(ORDERS + "/nothing"),                                               // 404 from the repository
      service.getAs(ORDERS, "nobody", "x", ACME),                                     // 401
      service.request(HttpMethod.GET, "/no/such/route").send().await(),               // 404 from the router
      service.request(HttpMethod.GET, "/health").send().await()}) {                   // 200
      assertEquals("nosniff", answer.getHeader("X-Content-Type-Options"));
      assertEquals("DENY", answer.getHeader("X-Frame-Options"));
      assertEquals("no-referrer", answer.getHeader("Referrer-Policy"));
      assertEquals("no-store", answer.getHeader("Cache-Control"));
      assertEquals("default-src 'none'; frame-ancestors 'none'", answer.getHeader("Content-Security-Policy"));
      assertNull(answer.getHeader("Server"));
    }
  }
}
