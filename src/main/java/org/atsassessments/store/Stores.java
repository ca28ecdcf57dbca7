package org.atsassessments.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.ops.WorkCounters;
import org.flywaydb.core.Flyway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/** Opens the configured store, H2 or PostgreSQL: migrates its schema (Flyway, off the event loop), then pools connections. */
public final class Stores {

  static {
    // H2 interns every value it reads in a soft cache, hashing it first: for our documents (kilobytes each,
    // rarely read twice from the store since the order cache holds hot ones) that hashing was ~6% of the CPU
    // profile of GETs spread over a million orders. Must be set before H2's classes load.
    if (System.getProperty("h2.objectCache") == null) System.setProperty("h2.objectCache", "false");
  }

  private static final Logger LOG = Logger.getLogger(Stores.class.getName());

  private Stores() {
  }

  public static Future<Store> open(Vertx vertx, ServiceConfig config) {
    int poolSize = config.storePoolSize();
    return switch (config.store()) {
      case H2 -> openH2(vertx, Path.of(config.dataDir()), poolSize);
      case POSTGRES -> openPostgres(vertx, config.pgUrl(), poolSize);
    };
  }

  /**
   * PostgreSQL through the reactive vertx-pg-client (no JDBC on the hot path). Flyway migrates with the JDBC
   * driver first; it takes a PostgreSQL advisory lock, so several repository nodes may start at once.
   */
  static Future<Store> openPostgres(Vertx vertx, String url, int poolSize) {
    PgConnectOptions connect;
    try {
      connect = PgConnectOptions.fromUri(url).setCachePreparedStatements(true);
    } catch (RuntimeException e) {
      return Future.failedFuture(new IllegalArgumentException("pg_url '" + url + "' is not a postgresql:// URL: " + e.getMessage()));
    }
    String jdbc = "jdbc:postgresql://" + connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase();
    return vertx.executeBlocking(() -> {
      Flyway.configure().dataSource(jdbc, connect.getUser(), connect.getPassword()).locations("classpath:db/migration")
        .load().migrate();
      LOG.info("PostgreSQL store ready at " + connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase());
      return jdbc;
    }).map(ready -> new Store(PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize)).connectingTo(connect)
      .using(vertx).build(), false, WorkCounters.of(vertx).storeQueries));
  }

  /**
   * The embedded store: one H2 file under {@code dataDir}. WRITE_DELAY=0 makes H2 write each commit before
   * the statement returns, so an acknowledged order survives {@code kill -9} (measured: with H2's default
   * 500 ms delay, about 9,000 of 110,000 acknowledged inserts were lost to a kill). Writes queue on the
   * change counter's row lock, so LOCK_TIMEOUT is raised from H2's 1 s to 10 s for bursts.
   */
  static Future<Store> openH2(Vertx vertx, Path dataDir, int poolSize) {
    Path base = dataDir.toAbsolutePath().normalize().resolve("ats-assessments");
    String url = "jdbc:h2:file:" + base + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000";
    return vertx.executeBlocking(() -> {
      Files.createDirectories(dataDir);
      Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
      LOG.info("embedded store ready at " + base + ".mv.db");
      return url;
    }).map(ready -> {
      Pool pool = JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl(url).setUser("sa").setPassword("")
          .setExtraConfig(new JsonObject().put("decoderCls", H2Decoder.class.getName())),
        new PoolOptions().setMaxSize(poolSize));
      return new Store(pool, true, WorkCounters.of(vertx).storeQueries);
    });
  }
}
