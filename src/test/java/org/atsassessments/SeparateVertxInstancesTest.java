package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Counter;
import io.vertx.ext.web.client.HttpResponse;
import org.atsassessments.cluster.VertxFactory;
import org.atsassessments.boot.ServiceNode;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The HTTP verticle and the repository verticle in two clustered Vert.x instances (Hazelcast on loopback):
 * the only thing they share is the event bus, and the API still answers.
 */
class SeparateVertxInstancesTest {

  private Vertx repositoryNode;
  private Vertx httpNode;

  @AfterEach
  void stop() {
    if (httpNode != null) httpNode.close().await();
    if (repositoryNode != null) repositoryNode.close().await();
  }

  private static ServiceConfig clustered(Path dir) {
    int first = TestService.freePort();
    int second = TestService.freePort();
    return TestService.config(dir)
      .with("cluster", true).with("cluster_name", "ats-test-" + UUID.randomUUID()).with("cluster_port", first)
      .with("cluster_members", "127.0.0.1:" + first + ",127.0.0.1:" + second);
  }

  /** A PKCS#12 key store with one self-signed key: each node presents it and trusts it. */
  private static Path keystore(Path dir) throws Exception {
    Path store = dir.resolve("cluster.p12");
    Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-alias", "ats", "-keyalg", "RSA", "-keysize", "2048",
      "-dname", "CN=ats-assessments", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
      "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));
    return store;
  }

  @Test
  void theEventBusCanRunOverTlsAndThenRefusesPlainNodes(@TempDir Path dir) throws Exception {
    ServiceConfig base = clustered(dir);
    ServiceConfig tls = base.with("cluster_tls_keystore", keystore(dir).toString()).with("cluster_tls_password", "changeit");
    repositoryNode = VertxFactory.create(tls).await();
    ServiceNode.deploy(repositoryNode, tls.with("role", "repository").with("http_port", TestService.freePort())).await();
    httpNode = VertxFactory.create(tls.with("cluster_port", TestService.freePort())).await();
    TestService http = TestService.start(httpNode, tls.with("role", "http"));

    assertEquals(200, http.createOrder(new JsonObject().put("id", "over-tls")).statusCode());
    assertEquals(200, http.get(ORDERS + "/over-tls").statusCode());

    Vertx plain = VertxFactory.create(base.with("cluster_port", TestService.freePort())).await();
    try {
      TestService plainHttp = TestService.start(plain, base.with("role", "http").with("request_timeout_ms", 1500)
        .with("http_port", TestService.freePort()));
      HttpResponse<Buffer> refused = plainHttp.get(ORDERS + "/over-tls");

      // a node without the key joins Hazelcast and sees the repository registered (so not 503: no repository),
      // but its event-bus connection to it fails the TLS handshake: the request is never answered, and its
      // deadline (request_timeout_ms) ends it as a repository that does not answer in time does
      assertStackOneError(refused, 408);
      assertEquals("1", refused.getHeader("Retry-After"));
    } finally {
      plain.close().await();
    }
  }

  @Test
  void theRateLimitCountsRequestsOnEveryNode(@TempDir Path dir) throws InterruptedException {
    ServiceConfig base = clustered(dir).with("rate_limit_per_minute", 6);
    repositoryNode = VertxFactory.create(base).await();
    TestService first = TestService.start(repositoryNode, base.with("role", "all"));
    httpNode = VertxFactory.create(base.with("cluster_port", TestService.freePort())).await();
    TestService second = TestService.start(httpNode, base.with("role", "http").with("http_port", TestService.freePort()));
    // the cluster's counter of alice's requests (RateLimiter's): every admitted request is added to it by its node
    Counter cluster = repositoryNode.sharedData().getCounter("ats.rate." + TestService.ALICE).await();
    long admitted = 0;
    for (int attempt = 0; ; attempt++) {
      long minute = System.currentTimeMillis() / 60_000;
      for (int i = 0; i < 4; i++) assertEquals(404, first.get(ORDERS + "/nothing").statusCode());
      admitted += 4;
      awaitCount(cluster, admitted);  // the first node has added its four
      assertEquals(404, second.get(ORDERS + "/nothing").statusCode());
      awaitCount(cluster, ++admitted);  // the second has added its first, and read the four with it
      assertEquals(404, second.get(ORDERS + "/nothing").statusCode());  // the sixth of the minute
      awaitCount(cluster, ++admitted);
      int seventh = second.get(ORDERS + "/nothing").statusCode();
      if (System.currentTimeMillis() / 60_000 == minute || attempt == 1) {
        assertEquals(429, seventh, "the second node knows of the first node's four");
        break;
      }
      if (seventh == 404) admitted++;  // admitted in the next minute
      // start again in a minute that none of these requests counted in (not just the one after `minute`:
      // the seventh may already have been counted in that one)
      long now = System.currentTimeMillis();
      Thread.sleep((now / 60_000 + 1) * 60_000 - now + 100);
    }
  }

  /**
   * Waits for the cluster's counter to reach {@code expected}: each node adds what it admitted every 200 ms,
   * and learns the others' counts from the same operation. More than expected would be a request counted twice.
   */
  private static void awaitCount(Counter counter, long expected) throws InterruptedException {
    long count = counter.get().await();
    for (int i = 0; i < 250 && count < expected; i++) {
      Thread.sleep(20);
      count = counter.get().await();
    }
    assertEquals(expected, count, "requests in the cluster's rate-limit counter");
  }

  @Test
  void anHttpNodeServesOrdersHeldByARepositoryNode(@TempDir Path dir) {
    ServiceConfig base = clustered(dir);
    repositoryNode = VertxFactory.create(base).await();
    ServiceNode.deploy(repositoryNode, base.with("role", "repository").with("http_port", TestService.freePort())).await();
    httpNode = VertxFactory.create(base.with("cluster_port", TestService.freePort())).await();
    TestService http = TestService.start(httpNode, base.with("role", "http"));

    JsonObject created = http.createOrder(new JsonObject().put("id", "clustered-1")).bodyAsJsonObject();
    JsonObject read = http.get(ORDERS + "/clustered-1?fields=id,remote_id").bodyAsJsonObject();

    assertEquals(new JsonObject().put("data", new JsonObject().put("id", created.getString("id"))
      .put("remote_id", "clustered-1")), read);
    assertEquals(new JsonObject().put("assessmentOrder", new JsonObject().put("remoteId", "clustered-1")),
      http.graphql("{ assessmentOrder(id: \"clustered-1\") { remoteId } }", null).bodyAsJsonObject().getJsonObject("data"));
    assertEquals(200, http.client.get("/ready").send().await().statusCode());
  }
}
