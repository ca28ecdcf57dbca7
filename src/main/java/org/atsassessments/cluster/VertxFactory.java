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
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.atsassessments.config.ServiceConfig;

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

  /** Published on this node's local event bus when a cluster member leaves (its UUID as the body). */
  public static final String MEMBER_LEFT = "ats.cluster.member-left";

  private VertxFactory() {
  }

  public static Future<Vertx> create(ServiceConfig config) {
    VertxOptions options = new VertxOptions();
    PrometheusMeterRegistry registry = Metrics.prepare(config, options);
    VertxBuilder builder = Vertx.builder().with(options);
    if (registry != null) builder = builder.withMetrics(new MicrometerMetricsFactory(registry));
    if (!config.cluster()) return Future.succeededFuture(Metrics.remember(builder.build(), registry));
    EventBusOptions eventBus = options.getEventBusOptions().setHost(config.string("cluster_host"))
      .setPort(config.integer("cluster_bus_port"));
    String keystore = config.string("cluster_tls_keystore");
    if (!keystore.isBlank()) {
      PfxOptions store = new PfxOptions().setPath(keystore).setPassword(config.string("cluster_tls_password"));
      eventBus.setSsl(true).setKeyCertOptions(store).setTrustOptions(store).setClientAuth(ClientAuth.REQUIRED);
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(config));
    return builder.withClusterManager(manager).buildClustered().map(vertx -> Metrics.remember(vertx, registry))
      .onSuccess(vertx -> manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent event) {
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
          vertx.eventBus().publish(MEMBER_LEFT, event.getMember().getUuid().toString(),
            new DeliveryOptions().setLocalOnly(true));
        }
      }));
  }

  public static Config hazelcast(ServiceConfig config) {
    Path file = Path.of(config.string("cluster_config"));
    Config hz;
    try {
      hz = Files.exists(file) ? new FileSystemXmlConfig(file.toFile()) : ConfigUtil.loadConfig();
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException(e);
    }
    hz.setClusterName(config.string("cluster_name"));
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    String host = config.string("cluster_host");
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.integer("cluster_port")).setPortAutoIncrement(true);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(host));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true).clear();
    for (String member : config.string("cluster_members").split(",")) {
      if (!member.isBlank()) tcp.addMember(member.trim());
    }
    return hz;
  }
}
