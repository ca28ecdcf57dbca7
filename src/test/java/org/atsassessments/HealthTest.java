package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** /health and /ready on every node, whatever its role; no credentials needed. */
@ExtendWith(VertxExtension.class)
class HealthTest {

  private static HttpResponse<Buffer> get(TestService service, String path) {
    return service.client.request(HttpMethod.GET, path).send().await();
  }

  @Test
  void aFullNodeIsLiveAndReady(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir);

    assertEquals(new JsonObject().put("status", "UP"), get(service, "/health").bodyAsJsonObject());
    assertEquals(200, get(service, "/ready").statusCode());
  }

  @Test
  void anHttpNodeWithoutARepositoryIsLiveButNotReady(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("role", "http"));

    assertEquals(200, get(service, "/health").statusCode());
    assertStackOneError(get(service, "/ready"), 503);
  }

  @Test
  void aRepositoryNodeServesHealthButNotTheApi(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("role", "repository"));

    assertEquals(200, get(service, "/health").statusCode());
    assertEquals(200, get(service, "/ready").statusCode());
    assertStackOneError(service.get(ORDERS + "/x"), 404);
  }
}
