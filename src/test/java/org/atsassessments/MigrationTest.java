package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.testing.TestService;
import org.atsassessments.testing.TestStores;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A data directory written by the first release (schema V1) opens, upgrades and keeps its orders. */
@ExtendWith(VertxExtension.class)
class MigrationTest {

  @Test
  void ordersStoredBeforeTheUpgradeAreServedAndListedFirst(Vertx vertx, @TempDir Path dir) {
    ServiceConfig config = TestService.config(dir);
    String url = TestStores.jdbcUrl(config);
    Flyway.configure().dataSource(url, TestStores.postgres() ? "postgres" : "sa", "").locations("classpath:db/migration")
      .target("1").load().migrate();
    TestStores.execute(url, "INSERT INTO assessment_order"
      + " (id, account_id, remote_id, document, exchange, created_ms, updated_ms) VALUES ('v1-order', 'acme', 'v1-remote',"
      + " '{\"id\":\"v1-order\",\"remote_id\":\"v1-remote\"}', '{\"method\":\"POST\",\"url\":\"u\",\"body\":{},\"response\":{}}', 1, 1)");

    TestService service = TestService.start(vertx, config);
    service.createOrder(new JsonObject().put("id", "v2-remote"));

    assertEquals(new JsonObject().put("data", new JsonObject().put("id", "v1-order").put("remote_id", "v1-remote")),
      service.get(ORDERS + "/v1-remote").bodyAsJsonObject());
    assertEquals(List.of("v1-remote", "v2-remote"), service.get(ORDERS + "?fields=remote_id").bodyAsJsonObject()
      .getJsonArray("data").stream().map(item -> ((JsonObject) item).getString("remote_id")).toList());
    assertEquals(200, service.patchResult("v1-remote", new JsonObject().put("summary", "ok"), "\"0\"").statusCode());
  }
}
