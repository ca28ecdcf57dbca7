package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.repository.bus.RepositoryMessages;
import org.atsassessments.testing.TestService;
import org.atsassessments.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every error the service produces has StackOne's body, a JSON content type and no internals. */
@ExtendWith(VertxExtension.class)
class ErrorResponsesTest {

  @Test
  void unknownRoutesAre404(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir);

    assertStackOneError(service.client.request(HttpMethod.GET, "/nothing/here").send().await(), 404);
    assertStackOneError(service.get("/unified/ats/assessments/nothing"), 404);
    assertStackOneError(service.get("/unified/ats/assessments/orders/a/b/c"), 404);
  }

  @Test
  void aKnownPathWithAnotherMethodIs405(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir);

    assertStackOneError(service.request(HttpMethod.DELETE, ORDERS + "/x").send().await(), 405);
    assertStackOneError(service.request(HttpMethod.PUT, ORDERS).send().await(), 405);
    assertStackOneError(service.client.request(HttpMethod.POST, "/health").send().await(), 405);
  }

  @Test
  void aBodyOverTheLimitIs413AndStoresNothing(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("body_limit_bytes", 1024));
    String big = new JsonObject().put("id", "big-1").put("passthrough", new JsonObject().put("pad", "x".repeat(2000))).encode();

    assertStackOneError(service.post(ORDERS, big), 413);
    assertStackOneError(service.get(ORDERS + "/big-1"), 404);
    assertEquals(200, service.post(ORDERS, "{\"id\":\"small-1\"}").statusCode());
  }

  @Test
  void noReachableRepositoryIs503WithRetryAfter(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("role", "http"));

    HttpResponse<Buffer> get = service.get(ORDERS + "/x");
    HttpResponse<Buffer> post = service.post(ORDERS, "{\"id\":\"r\"}");

    assertStackOneError(get, 503);
    assertStackOneError(post, 503);
    assertEquals("5", get.getHeader("Retry-After"));
  }

  @Test
  void aRepositoryThatDoesNotAnswerInTimeIs408WithRetryAfter(Vertx vertx, @TempDir Path dir) {
    // a repository that has stopped answering: registered on the address, never replies
    vertx.eventBus().consumer(RepositoryMessages.ADDRESS, message -> { }).completion().await();
    TestService service = TestService.start(vertx, dir,
      config -> config.with("role", "http").with("request_timeout_ms", 300));

    HttpResponse<Buffer> response = service.get(ORDERS + "/x");

    assertStackOneError(response, 408);
    assertEquals("1", response.getHeader("Retry-After"));
  }

  @Test
  void aStoreFailureIs500WithoutDetails(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir);
    TestStores.execute(TestStores.jdbcUrl(service.config), "DROP TABLE assessment_order");

    JsonObject body = assertStackOneError(service.get(ORDERS + "/x"), 500);

    assertEquals("Internal server error", body.getString("message"));
    assertStackOneError(service.post(ORDERS, "{\"id\":\"r\"}"), 500);
  }
}
