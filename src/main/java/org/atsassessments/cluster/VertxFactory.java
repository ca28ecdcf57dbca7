package org.atsassessments.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.atsassessments.config.ServiceConfig;

/**
 * Builds this node's Vert.x: plain, or clustered over Hazelcast with a TCP-IP join on the configured members
 * (multicast and auto-detection off), bound to {@code cluster_host}. The event bus transport binds there too.
 */
public final class VertxFactory {

  private VertxFactory() {
  }

  public static Future<Vertx> create(ServiceConfig config) {
    if (!config.cluster()) return Future.succeededFuture(Vertx.vertx());
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost(config.string("cluster_host")).setPort(0);
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcast(config))).buildClustered();
  }

  public static Config hazelcast(ServiceConfig config) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.string("cluster_name"));
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.logging.type", "jdk");
    String host = config.string("cluster_host");
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.integer("cluster_port")).setPortAutoIncrement(true);
    network.getInterfaces().setEnabled(true).addInterface(host);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (String member : config.string("cluster_members").split(",")) {
      if (!member.isBlank()) join.getTcpIpConfig().addMember(member.trim());
    }
    return hz;
  }
}
