package org.atsassessments.boot;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.atsassessments.config.Role;
import org.atsassessments.ops.Metrics;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.edge.Htpasswd;
import org.atsassessments.boot.HttpVerticle;
import org.atsassessments.repository.OrderRepositoryVerticle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/**
 * Deploys what this node's role asks for on a running Vert.x: the order repository (once) and the HTTP
 * verticle (once per event loop), side by side. A repository-only node still gets one HTTP verticle for
 * /health and /ready. The returned future fails if any part fails to start.
 */
public final class ServiceNode {

  private static final Logger LOG = Logger.getLogger(ServiceNode.class.getName());

  private ServiceNode() {
  }

  public static Future<Void> deploy(Vertx vertx, ServiceConfig config) {
    Role role = config.role();
    Future<?> checked = role.servesApi() ? vertx.executeBlocking(() -> checkUsers(config)) : Future.succeededFuture();
    // the repository (store, migrations) and the HTTP verticles start side by side: one waits on the store's
    // worker threads while the other builds its routes and GraphQL schema on the event loops (−0.4 s to /ready)
    Future<?> repository = !role.ownsData() ? Future.succeededFuture()
      : vertx.deployVerticle(() -> new OrderRepositoryVerticle(config), new DeploymentOptions());
    int configured = config.httpInstances();
    int instances = !role.servesApi() ? 1 : configured > 0 ? configured : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    Future<?> http = checked
      .compose(v -> vertx.deployVerticle(() -> new HttpVerticle(config), new DeploymentOptions().setInstances(instances)));
    return Future.all(repository, http)
      .compose(v -> Metrics.serve(vertx, config));
  }

  /** Reports users whose hash format cannot be verified, instead of refusing them silently later. */
  private static Void checkUsers(ServiceConfig config) throws java.io.IOException {
    Path file = Path.of(config.htpasswd());
    if (!Files.exists(file)) return null;
    List<String> unsupported = Htpasswd.unsupportedUsers(Files.readString(file));
    for (String user : unsupported) {
      LOG.warning("htpasswd user '" + user + "' has a hash format that cannot be verified (bcrypt, $5$ and $6$"
        + " are not supported); recreate it with 'htpasswd -m' (apr1) or 'openssl passwd -apr1'");
    }
    return null;
  }
}
