package org.atsassessments.boot;

import io.vertx.core.Vertx;
import org.atsassessments.cluster.VertxFactory;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.ops.Logging;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code java -jar ats-assessments.jar}: reads conf/config.json and ATS_* variables, starts this node's role. */
public final class Main {

  private static final long SHUTDOWN_SECONDS = 20;

  private Main() {
  }

  public static void main(String[] args) {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$-7s %3$s - %5$s%6$s%n");
    System.setProperty("hazelcast.logging.type", "jdk");
    Logger.getLogger("com.hazelcast").setLevel(Level.WARNING);
    Logger log = Logger.getLogger(Main.class.getName());

    ServiceConfig config;
    try {
      config = ServiceConfig.load(System.getenv());
      Logging.configure(config.logLevel(), config.logFormat());
    } catch (RuntimeException e) {
      System.err.println("ats-assessments: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      Vertx vertx = VertxFactory.create(config).await(2, TimeUnit.MINUTES);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        // a clean close (store flushed, cluster left), but never a process that ignores SIGTERM
        try {
          vertx.close().await(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
          System.err.println("ats-assessments: no clean stop within " + SHUTDOWN_SECONDS + " s: " + e);
        }
      }));
      ServiceNode.deploy(vertx, config).await(2, TimeUnit.MINUTES);
    } catch (Exception e) {
      log.log(Level.SEVERE, "ats-assessments failed to start: " + e.getMessage(), e);
      System.exit(1);
      return;
    }
    log.info("ats-assessments started: role " + config.role().name().toLowerCase() + ", store " + config.store().name().toLowerCase()
      + ", listening on " + config.httpHost() + ":" + config.httpPort());
    System.out.println(StartupNotice.text(config));
  }
}
