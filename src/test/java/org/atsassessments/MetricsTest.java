package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.atsassessments.cluster.VertxFactory;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.nio.file.Path;

import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prometheus metrics on their own listener: Vert.x's (routes, statuses, bus, pools) and ours. */
class MetricsTest {

  @Test
  void metricsAreScrapedOnTheirOwnPort(@TempDir Path dir) {
    int metricsPort = TestService.freePort();
    ServiceConfig config = TestService.config(dir).with("metrics_port", metricsPort).with("rate_limit_per_minute", 3);
    Vertx vertx = VertxFactory.create(config).await();
    try {
      TestService service = TestService.start(vertx, config);
      org.atsassessments.ops.Metrics.serve(vertx, config).await();
      for (int i = 0; i < 4; i++) service.get(ORDERS + "/nothing");  // 404 x3, then a 429
      HttpResponse<Buffer> scraped = WebClient.create(vertx).get(metricsPort, "127.0.0.1", "/metrics").send().await();
      assertEquals(200, scraped.statusCode());
      String text = scraped.bodyAsString();
      assertTrue(text.contains("vertx_http_server_requests_total{"), text);
      assertTrue(text.contains("route=\"/unified/>/unified/ats/assessments/orders/:id\""), text);  // every matched route, joined by >
      assertTrue(text.contains("code=\"404\""), text);
      assertTrue(text.contains("vertx_http_server_response_time_seconds_bucket"), text);
      assertTrue(text.contains("vertx_eventbus_"), text);
      assertTrue(text.contains("ats_auth_cache_total{result=\"hit\"}"), text);
      assertTrue(text.contains("ats_refusals_total{reason=\"rate_limit\"}"), text);
      // not on the API's port
      assertEquals(404, service.request(io.vertx.core.http.HttpMethod.GET, "/metrics").send().await().statusCode());
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void webhookDeliveriesAreCountedTimedAndTheirBacklogAged(@TempDir Path dir) throws InterruptedException {
    int metricsPort = TestService.freePort();
    ServiceConfig config = TestService.config(dir).with("metrics_port", metricsPort);
    Vertx vertx = VertxFactory.create(config).await();
    try {
      TestService service = TestService.start(vertx, config);
      org.atsassessments.ops.Metrics.serve(vertx, config).await();
      java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
      io.vertx.core.http.HttpServer receiver = vertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> {
          received.incrementAndGet();
          request.response().end();
        })).listen(0, "127.0.0.1").await();
      HttpResponse<Buffer> subscribed = service.request(io.vertx.core.http.HttpMethod.POST, "/webhooks")
        .sendJsonObject(new io.vertx.core.json.JsonObject().put("url", "http://127.0.0.1:" + receiver.actualPort() + "/")).await();
      assertEquals(200, subscribed.statusCode(), subscribed.bodyAsString());
      assertEquals(200, service.post(ORDERS, "{\"id\":\"metrics-1\"}").statusCode());
      long deadline = System.currentTimeMillis() + 10_000;
      String text = "";
      while (System.currentTimeMillis() < deadline) {
        text = WebClient.create(vertx).get(metricsPort, "127.0.0.1", "/metrics").send().await().bodyAsString();
        if (received.get() > 0 && text.contains("ats_webhook_deliveries_total{outcome=\"succeeded\"}")) break;
        Thread.sleep(50);
      }
      assertTrue(received.get() > 0, "the receiver got nothing");
      assertTrue(text.contains("ats_webhook_attempts_total{outcome=\"succeeded\"}"), text);
      assertTrue(text.contains("ats_webhook_deliveries_total{outcome=\"succeeded\"}"), text);
      assertTrue(text.contains("ats_webhook_attempt_duration_seconds_bucket"), text);
      assertTrue(text.contains("ats_webhook_oldest_pending_age_seconds"), text);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void offByDefault(@TempDir Path dir) {
    ServiceConfig config = TestService.config(dir);
    assertEquals(0, config.metricsPort());
    Vertx vertx = VertxFactory.create(config).await();
    try {
      assertFalse(vertx.isMetricsEnabled());
    } finally {
      vertx.close().await();
    }
  }
}
