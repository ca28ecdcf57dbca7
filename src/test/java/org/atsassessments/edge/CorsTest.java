package org.atsassessments.edge;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CORS on a real node ({@code cors_allowed_origins}): a listed origin's preflight is answered 204 before
 * authentication on /unified/*, /graphql and /eventbus, with the headers a dashboard needs allowed and the ones it
 * reads exposed, credentials allowed and the origin echoed (never *); an origin not listed gets no CORS header at
 * all (the preflight goes on to the 401 of any unauthenticated request); CORS off by default; * refused.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorsTest {

  private static final String DASHBOARD = "https://dash.example.test";
  private TestService service;

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) {
    service = TestService.start(vertx, TestService.config(dir).with("cors_allowed_origins", DASHBOARD + ", http://127.0.0.1:5173"));
  }

  private HttpResponse<Buffer> preflight(String path, String origin, String method) {
    return service.client.request(HttpMethod.OPTIONS, path).putHeader("Origin", origin)
      .putHeader("Access-Control-Request-Method", method)
      .putHeader("Access-Control-Request-Headers", "authorization,x-account-id,content-type,if-match,x-request-id").send().await();
  }

  private static Set<String> list(String header) {
    return header == null ? Set.of() : Arrays.stream(header.split(",")).map(h -> h.trim().toLowerCase(Locale.ROOT))
      .collect(Collectors.toSet());
  }

  @Test
  void aListedOriginsPreflightIsAnsweredBeforeAuthentication() {
    for (String path : List.of("/unified/ats/assessments/orders", "/unified/ats/assessments/orders/x/result", "/graphql",
      "/eventbus/info")) {
      HttpResponse<Buffer> answered = preflight(path, DASHBOARD, "PATCH");
      assertEquals(204, answered.statusCode(), path + ": " + answered.bodyAsString());
      assertEquals(DASHBOARD, answered.getHeader("Access-Control-Allow-Origin"), path);
      assertEquals("true", answered.getHeader("Access-Control-Allow-Credentials"), path);
      assertTrue(list(answered.getHeader("Access-Control-Allow-Headers"))
        .containsAll(Set.of("authorization", "x-account-id", "if-match", "content-type", "x-request-id")), answered.headers().toString());
      assertTrue(list(answered.getHeader("Access-Control-Allow-Methods")).containsAll(Set.of("get", "post", "put", "patch", "delete")));
    }
  }

  @Test
  void aListedOriginReadsTheAnswerAndItsHeaders() {
    HttpResponse<Buffer> answered = service.request(HttpMethod.GET, "/unified/ats/assessments/orders").putHeader("Origin", DASHBOARD)
      .send().await();
    assertEquals(200, answered.statusCode());
    assertEquals(DASHBOARD, answered.getHeader("Access-Control-Allow-Origin"));
    assertEquals("true", answered.getHeader("Access-Control-Allow-Credentials"));
    assertTrue(list(answered.getHeader("Access-Control-Expose-Headers")).containsAll(Set.of("etag", "retry-after", "x-request-id",
      "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset")), answered.headers().toString());
    assertTrue(answered.headers().getAll("Vary").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("origin")));
    // a refusal too: the page can read why
    HttpResponse<Buffer> refused = service.client.request(HttpMethod.GET, "/unified/ats/assessments/orders").putHeader("Origin", DASHBOARD)
      .send().await();
    assertEquals(401, refused.statusCode());
    assertEquals(DASHBOARD, refused.getHeader("Access-Control-Allow-Origin"));
  }

  @Test
  void anOriginNotListedGetsNoCorsHeaders() {
    HttpResponse<Buffer> preflight = preflight("/unified/ats/assessments/orders", "https://evil.example", "GET");
    assertEquals(401, preflight.statusCode(), "not answered by CORS: an unauthenticated request like any other");
    for (String header : List.of("Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Headers")) {
      assertNull(preflight.getHeader(header), header);
    }
    HttpResponse<Buffer> read = service.request(HttpMethod.GET, "/unified/ats/assessments/orders").putHeader("Origin", "https://evil.example")
      .send().await();
    assertEquals(200, read.statusCode(), "the server answers; the browser keeps the answer from the page");
    assertNull(read.getHeader("Access-Control-Allow-Origin"));
    // SockJS (the /eventbus bridge) answers CORS by itself: not for an origin not listed
    HttpResponse<Buffer> info = service.client.get("/eventbus/info").putHeader("Origin", "https://evil.example").send().await();
    assertEquals(200, info.statusCode());
    assertNull(info.getHeader("Access-Control-Allow-Origin"), info.headers().toString());
    assertNull(info.getHeader("Set-Cookie"), "no session cookie");
    HttpResponse<Buffer> listed = service.client.get("/eventbus/info").putHeader("Origin", DASHBOARD).send().await();
    assertEquals(DASHBOARD, listed.getHeader("Access-Control-Allow-Origin"));
  }

  @Test
  void corsIsOffByDefaultAndAWildcardIsRefused() {
    assertEquals(List.of(), ServiceConfig.defaults().corsAllowedOrigins());
    for (String bad : List.of("*", "https://dash.example.test/path", "dash.example.test")) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> ServiceConfig.defaults().with("cors_allowed_origins", bad));
      assertTrue(refused.getMessage().contains("cors_allowed_origins"), refused.getMessage());
    }
  }
}
