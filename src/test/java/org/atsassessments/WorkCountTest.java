package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.ops.WorkCounters;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The performance guard: what one request costs, counted rather than timed, so it cannot flake. A GET of an
 * order is one event-bus round trip and at most one store read (none once the order is in the repository's
 * cache); a package likewise; a password is verified once per node and cache lifetime.
 */
@ExtendWith(VertxExtension.class)
class WorkCountTest {

  private static long[] snapshot(WorkCounters counters) {
    return new long[] {counters.repositoryRequests.get(), counters.storeQueries.get(), counters.credentialVerifications.get()};
  }

  private static long[] since(WorkCounters counters, long[] before) {
    long[] now = snapshot(counters);
    return new long[] {now[0] - before[0], now[1] - before[1], now[2] - before[2]};
  }

  @Test
  void aGetIsOneBusRoundTripAndOneStoreReadThenNoneOnceCached(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir);
    String id = service.orderId("counted");
    WorkCounters counters = WorkCounters.of(vertx);

    long[] before = snapshot(counters);
    assertEquals(200, service.get(ORDERS + "/" + id).statusCode());
    long[] first = since(counters, before);

    before = snapshot(counters);
    assertEquals(200, service.get(ORDERS + "/" + id).statusCode());
    long[] second = since(counters, before);

    before = snapshot(counters);
    for (int i = 0; i < 10; i++) assertEquals(200, service.get(ORDERS + "/" + id + "?fields=candidate").statusCode());
    long[] cached = since(counters, before);

    before = snapshot(counters);
    assertEquals(200, service.get(ORDERS + "/counted").statusCode());
    long[] byRemoteId = since(counters, before);

    assertEquals(1, first[0], "bus round trips for a GET");
    assertEquals(1, first[1], "store reads for a GET by our id");
    assertEquals(1, second[1], "an order enters the cache on its second read");
    assertEquals(10, cached[0]);
    assertEquals(0, cached[1], "a cached order is not read again");
    assertEquals(1, byRemoteId[0]);
    assertEquals(2, byRemoteId[1], "by the provider's id: our id is tried first");
  }

  @Test
  void aResultUpdateDropsTheOrderFromTheCache(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir);
    String id = service.orderId("invalidated");
    WorkCounters counters = WorkCounters.of(vertx);
    assertEquals("\"0\"", service.get(ORDERS + "/" + id).getHeader("ETag"));
    assertEquals("\"0\"", service.get(ORDERS + "/" + id).getHeader("ETag"));
    long cachedBefore = counters.storeQueries.get();
    assertEquals("\"0\"", service.get(ORDERS + "/" + id).getHeader("ETag"));
    assertEquals(cachedBefore, counters.storeQueries.get(), "cached");

    service.patchResult(id, new JsonObject().put("summary", "done"), null);
    long before = counters.storeQueries.get();

    assertEquals("\"1\"", service.get(ORDERS + "/" + id).getHeader("ETag"), "never the cached version 0");
    assertEquals(1, counters.storeQueries.get() - before);
  }

  @Test
  void aPackageIsReadFromTheStoreOnceThenFromMemoryUntilAPackageWrite(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir);
    WorkCounters counters = WorkCounters.of(vertx);
    String path = "/unified/ats/assessments/packages/counted-pkg";
    assertEquals(200, service.send(io.vertx.core.http.HttpMethod.PUT, path, new JsonObject().put("name", "First").encode()).statusCode());
    long before = counters.storeQueries.get();
    assertEquals("First", service.get(path).bodyAsJsonObject().getJsonObject("data").getString("name"));
    assertEquals(1, counters.storeQueries.get() - before, "the first read is the store's");
    before = counters.storeQueries.get();
    for (int i = 0; i < 5; i++) assertEquals(200, service.get(path).statusCode());
    assertEquals(0, counters.storeQueries.get() - before, "then from memory (every connector order reads its package)");
    before = counters.storeQueries.get();
    assertEquals(200, service.get(path + "?raw=true").statusCode());
    assertEquals(1, counters.storeQueries.get() - before, "raw is always the store's");

    assertEquals(200, service.send(io.vertx.core.http.HttpMethod.PUT, path, new JsonObject().put("name", "Second").encode()).statusCode());
    before = counters.storeQueries.get();
    assertEquals("Second", service.get(path).bodyAsJsonObject().getJsonObject("data").getString("name"), "never the cached First");
    assertEquals(1, counters.storeQueries.get() - before);
    assertEquals(404, service.get("/unified/ats/assessments/packages/no-such-pkg").statusCode());
    assertEquals(404, service.get("/unified/ats/assessments/packages/no-such-pkg").statusCode(), "nothing is cached for an absent one");
  }

  @Test
  void aPasswordIsVerifiedOncePerEventLoopWhileItIsCached(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir);
    WorkCounters counters = WorkCounters.of(vertx);
    long before = counters.credentialVerifications.get();

    for (int i = 0; i < 20; i++) assertEquals(404, service.get(ORDERS + "/nothing").statusCode());

    long verified = counters.credentialVerifications.get() - before;
    assertEquals(true, verified >= 1 && verified <= service.config.httpInstances(),
      "verifications for 20 requests on " + service.config.httpInstances() + " event loops: " + verified);
  }

  /** One cache per node: new connections, which the node hands to its event loops in turn, find it verified. */
  @Test
  void aPasswordVerifiedThroughOneEventLoopIsTrustedOnAll(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("http_instances", 4));
    WorkCounters counters = WorkCounters.of(vertx);
    io.vertx.ext.web.client.WebClient fresh = io.vertx.ext.web.client.WebClient.create(vertx,
      new io.vertx.ext.web.client.WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(service.config.httpPort())
        .setKeepAlive(false));
    long before = counters.credentialVerifications.get();

    for (int i = 0; i < 12; i++) {
      assertEquals(404, fresh.get(ORDERS + "/nothing").putHeader("Authorization", TestService.basic(TestService.ALICE,
        TestService.ALICE_PASSWORD)).putHeader("x-account-id", TestService.ACME).send().await().statusCode());
    }

    assertEquals(1, counters.credentialVerifications.get() - before, "verifications for 12 connections on 4 event loops");
  }

  @Test
  void withoutTheCacheEveryRequestIsVerified(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir, config -> config.with("auth_cache_ttl_ms", 0));
    WorkCounters counters = WorkCounters.of(vertx);
    long before = counters.credentialVerifications.get();

    for (int i = 0; i < 5; i++) service.get(ORDERS + "/nothing");

    assertEquals(5, counters.credentialVerifications.get() - before);
  }
}
