package org.atsassessments.edge;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.ops.Logging;
import org.atsassessments.ops.RequestId;
import org.atsassessments.repository.bus.RepositoryMessages;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import static org.atsassessments.testing.TestService.ACME;
import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request ids on every answer and on the bus; one access log line per request, without credentials. */
@ExtendWith(VertxExtension.class)
class AccessLogTest {

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  @BeforeEach
  void listen() {
    // tests log warnings only (src/test/resources/logging.properties): this one wants the INFO lines, here only
    AccessLog.LOG.setLevel(java.util.logging.Level.INFO);
    AccessLog.LOG.setUseParentHandlers(false);
    AccessLog.LOG.addHandler(capture);
  }

  @AfterEach
  void stop() {
    AccessLog.LOG.removeHandler(capture);
    AccessLog.LOG.setUseParentHandlers(true);
    AccessLog.LOG.setLevel(null);
  }

  private JsonObject fields(int index) {
    return (JsonObject) records.get(index).getParameters()[0];
  }

  /** Access lines are written once the answer is out: wait for them. */
  private void awaitRecords(int count) throws InterruptedException {
    for (int i = 0; i < 100 && records.size() < count; i++) Thread.sleep(20);
    assertEquals(count, records.size(), records.toString());
  }

  @Test
  void everyAnswerCarriesARequestIdThatReachesTheRepository(Vertx vertx, @TempDir Path dir) throws Exception {
    TestService service = TestService.start(vertx, dir);
    String order = service.orderId("logged");
    awaitRecords(1);  // the POST's line
    List<String> onTheBus = new CopyOnWriteArrayList<>();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      String id = delivery.message().headers().get(RepositoryMessages.REQUEST_ID);
      if (id != null) onTheBus.add(id);
      delivery.next();
    });
    records.clear();

    HttpResponse<Buffer> given = service.request(HttpMethod.GET, ORDERS + "/" + order).putHeader("X-Request-Id", "trace-42.a:b")
      .send().await();
    assertEquals(200, given.statusCode());
    assertEquals("trace-42.a:b", given.getHeader("X-Request-Id"));
    assertTrue(onTheBus.contains("trace-42.a:b"), onTheBus.toString());

    HttpResponse<Buffer> invalid = service.request(HttpMethod.GET, ORDERS + "/" + order).putHeader("X-Request-Id", "no spaces!")
      .send().await();
    assertTrue(invalid.getHeader("X-Request-Id").matches("[0-9a-f]{16}"), invalid.getHeader("X-Request-Id"));
    HttpResponse<Buffer> unauthenticated = service.getAs(ORDERS, "nobody", "secret-password", ACME);
    assertEquals(401, unauthenticated.statusCode());
    assertTrue(unauthenticated.getHeader("X-Request-Id").matches("[0-9a-f]{16}"));
    HttpResponse<Buffer> unrouted = service.request(HttpMethod.GET, "/nowhere").send().await();
    assertEquals(404, unrouted.statusCode());
    assertNotEquals(null, unrouted.getHeader("X-Request-Id"));

    awaitRecords(4);
    JsonObject first = fields(0);
    assertEquals("GET", first.getString("method"));
    assertEquals("/unified/ats/assessments/orders/{id}", first.getString("route"));
    assertEquals(200, first.getInteger("status"));
    assertEquals(ALICE, first.getString("user"));
    assertEquals(ACME, first.getString("account"));
    assertEquals("trace-42.a:b", first.getString("request_id"));
    assertEquals("rest", first.getString("facade"));
    assertTrue(first.getDouble("duration_ms") >= 0);
    JsonObject refused = fields(2);
    assertEquals(401, refused.getInteger("status"));
    assertNull(refused.getString("account"));
    assertEquals("*", fields(3).getString("route"));
    for (LogRecord record : records) {
      String line = record.getMessage() + " " + record.getParameters()[0];
      assertFalse(line.contains("secret-password") || line.contains("Basic ") || line.contains(order), line);
    }
  }

  @Test
  void theJsonFormatWritesOneObjectPerLineWithTheFields() {
    LogRecord record = new LogRecord(java.util.logging.Level.INFO, "GET /health 200 0.1 ms");
    record.setLoggerName("ats.access");
    record.setParameters(new Object[] {new JsonObject().put("status", 200).put("request_id", "x")});
    String line = new Logging.JsonFormatter().format(record);
    assertTrue(line.endsWith(System.lineSeparator()));
    JsonObject json = new JsonObject(line.trim());
    assertEquals("INFO", json.getString("level"));
    assertEquals("ats.access", json.getString("logger"));
    assertEquals(200, json.getInteger("status"));
    assertEquals("x", json.getString("request_id"));
  }
}
