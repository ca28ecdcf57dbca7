package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.atsassessments.cluster.VertxFactory;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

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

  @Test
  void anHttpNodeServesOrdersHeldByARepositoryNode(@TempDir Path dir) {
    ServiceConfig base = TestService.config(dir)
      .with("cluster", true).with("cluster_name", "ats-test-" + UUID.randomUUID())
      .with("cluster_port", TestService.freePort()).with("cluster_members", "127.0.0.1");
    repositoryNode = VertxFactory.create(base).await();
    ServiceNode.deploy(repositoryNode, base.with("role", "repository").with("http_port", TestService.freePort())).await();
    httpNode = VertxFactory.create(base).await();
    TestService http = TestService.start(httpNode, base.with("role", "http"));

    JsonObject created = http.createOrder(new JsonObject().put("id", "clustered-1")).bodyAsJsonObject();
    JsonObject read = http.get(ORDERS + "/clustered-1?fields=id,remote_id").bodyAsJsonObject();

    assertEquals(new JsonObject().put("data", new JsonObject().put("id", created.getString("id"))
      .put("remote_id", "clustered-1")), read);
    assertEquals(200, http.client.get("/ready").send().await().statusCode());
  }
}
