package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.demo.DemoData;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The embedded store keeps orders across a restart of the node, and seeding the demo twice is harmless. */
class RestartTest {

  @Test
  void ordersAndTheirIdempotencySurviveARestart(@TempDir Path dir) {
    ServiceConfig config = TestService.config(dir).with("demo", true);
    JsonObject sent = new JsonObject().put("id", "restart-1").put("candidate", new JsonObject().put("first_name", "Ada"));

    Vertx first = Vertx.vertx();
    TestService before = TestService.start(first, config);
    JsonObject created = before.createOrder(sent).bodyAsJsonObject();
    JsonObject stored = before.get(ORDERS + "/restart-1?raw=true").bodyAsJsonObject();
    first.close().await();

    Vertx second = Vertx.vertx();
    try {
      TestService after = TestService.start(second, config);

      assertEquals(stored, after.get(ORDERS + "/restart-1?raw=true").bodyAsJsonObject());
      assertEquals(created, after.createOrder(sent).bodyAsJsonObject());
      assertEquals(409, after.createOrder(sent.copy().put("candidate", new JsonObject())).statusCode());
      assertEquals(200, after.getAs(ORDERS + "/" + DemoData.ORDER_ID, DemoData.USER, DemoData.PASSWORD,
        DemoData.ACCOUNT_ID).statusCode());
    } finally {
      second.close().await();
    }
  }
}
