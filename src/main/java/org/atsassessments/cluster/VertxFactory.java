package org.atsassessments.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.atsassessments.ops.Metrics;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.repository.bus.RepositoryNodes;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds this node's Vert.x: plain, or clustered over Hazelcast. Membership comes from
 * {@code conf/cluster.xml} (TCP-IP join, no multicast) with the node's own name, interface, port and member
 * list from the environment; the event-bus transport binds to the same interface and, with a key store,
 * speaks TLS with client certificates.
 */
public final class VertxFactory {

  private VertxFactory() {
  }

  public static Future<Vertx> create(ServiceConfig config) {
    VertxOptions options = new VertxOptions();
    PrometheusMeterRegistry registry = Metrics.prepare(config, options);
    VertxBuilder builder = Vertx.builder().with(options);
    if (registry != null) builder = builder.withMetrics(new MicrometerMetricsFactory(registry));
    if (!config.cluster()) return Future.succeededFuture(Metrics.remember(builder.build(), registry));
    EventBusOptions eventBus = options.getEventBusOptions().setHost(config.clusterHost())
      .setPort(config.clusterBusPort());
    String keystore = config.clusterTlsKeystore();
    if (!keystore.isBlank()) {
      PfxOptions store = new PfxOptions().setPath(keystore).setPassword(config.clusterTlsPassword());
      eventBus.setSsl(true).setKeyCertOptions(store).setTrustOptions(store).setClientAuth(ClientAuth.REQUIRED);
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(config));
    return builder.withClusterManager(manager).buildClustered().map(vertx -> Metrics.remember(vertx, registry))
      .onSuccess(vertx -> {
        // the bus clients choose repository nodes themselves, and hear of departures from Hazelcast
        RepositoryNodes.install(vertx, manager);
        manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
          @Override
          public void memberAdded(MembershipEvent event) {
          }

          @Override
          public void memberRemoved(MembershipEvent event) {
            // the member's UUID is its Vert.x node id; named here because the cluster manager's own listener, which
            // takes it out of getNodes(), may run after this one
            RepositoryNodes.memberLeft(vertx, event.getMember().getUuid().toString());
          }
        });
      });
  }

  public static Config hazelcast(ServiceConfig config) {
    Path file = Path.of(config.clusterConfig());
    Config hz;
    try {
      hz = Files.exists(file) ? new FileSystemXmlConfig(file.toFile()) : ConfigUtil.loadConfig();
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException(e);
    }
    hz.setClusterName(config.clusterName());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    String host = config.clusterHost();
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.clusterPort()).setPortAutoIncrement(true);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(host));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true).clear();
    config.clusterMembers().forEach(tcp::addMember);
    return hz;
  }
}
