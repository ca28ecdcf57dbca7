package org.atsassessments.testing;

import org.atsassessments.config.ServiceConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The store the behaviour tests run on: the embedded H2 by default, or the real PostgreSQL on
 * 127.0.0.1:5432 when the system property {@code ats.test.store} is {@code postgres} (the second surefire
 * run of {@code make test}). Each test gets its own PostgreSQL database, dropped after the test by this
 * class acting as a JUnit extension (registered for every test in META-INF/services). A database created
 * outside a test (in {@code @BeforeAll}, for a node shared by a whole class) is dropped after the class.
 */
public final class TestStores implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

  public static final String PG_HOST = "127.0.0.1:5432";
  private static final List<String> CREATED = new CopyOnWriteArrayList<>();
  private static final List<String> CREATED_FOR_CLASS = new CopyOnWriteArrayList<>();
  private static volatile boolean inTest;

  public static boolean postgres() {
    return "postgres".equals(System.getProperty("ats.test.store", "h2"));
  }

  /** The store part of a test node's configuration: H2 files under {@code dir}, or a new PostgreSQL database. */
  public static ServiceConfig configure(ServiceConfig config, Path dir) {
    if (!postgres()) return config.with("store", "h2").with("data_dir", dir.resolve("data").toString());
    return config.with("store", "postgres").with("pg_url", "postgresql://postgres@" + PG_HOST + "/" + createDatabase());
  }

  /** A fresh, empty database, dropped after the current test. */
  public static String createDatabase() {
    String name = "ats_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    execute("jdbc:postgresql://" + PG_HOST + "/postgres", "CREATE DATABASE " + name);
    (inTest ? CREATED : CREATED_FOR_CLASS).add(name);
    return name;
  }

  /** JDBC URL of a node's store, for tests that look at or break the store behind the service's back. */
  public static String jdbcUrl(ServiceConfig config) {
    if ("postgres".equals(config.store().name().toLowerCase())) {
      String url = config.pgUrl();
      return "jdbc:postgresql://" + url.substring(url.indexOf('@') + 1);
    }
    return "jdbc:h2:file:" + Path.of(config.dataDir()).toAbsolutePath().resolve("ats-assessments");
  }

  public static void execute(String jdbcUrl, String sql) {
    String user = jdbcUrl.startsWith("jdbc:h2") ? "sa" : "postgres";
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, "")) {
      connection.createStatement().execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " on " + jdbcUrl + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    inTest = true;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    inTest = false;
    drop(CREATED);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    drop(CREATED_FOR_CLASS);
  }

  private static void drop(List<String> databases) {
    for (String name : databases) {
      execute("jdbc:postgresql://" + PG_HOST + "/postgres", "DROP DATABASE IF EXISTS " + name.toLowerCase(Locale.ROOT)
        + " WITH (FORCE)");
      databases.remove(name);
    }
  }
}
