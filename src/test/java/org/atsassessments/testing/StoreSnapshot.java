package org.atsassessments.testing;

import org.atsassessments.config.ServiceConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Counts what a node's store holds, read behind the service's back over JDBC: how many orders, result
 * versions and packages, and the change counter every write advances inside its transaction. Equal counts
 * before and after a refused request mean the refusal wrote nothing, not even a rolled-back half.
 */
public final class StoreSnapshot implements AutoCloseable {

  /** Rows of each table a write adds to, and the two counters (changes; subscriptions' version). */
  public record Counts(long orders, long results, long packages, long lastChange, long events, long subscriptions,
                       long subscriptionsVersion) {
  }

  private final Connection connection;

  private StoreSnapshot(Connection connection) {
    this.connection = connection;
  }

  public static StoreSnapshot open(ServiceConfig config) {
    String url = TestStores.jdbcUrl(config);
    try {
      return new StoreSnapshot(DriverManager.getConnection(url, url.startsWith("jdbc:h2") ? "sa" : "postgres", ""));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open " + url, e);
    }
  }

  public Counts counts() {
    try (Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery("SELECT (SELECT COUNT(*) FROM assessment_order),"
           + " (SELECT COUNT(*) FROM assessment_result), (SELECT COUNT(*) FROM assessment_package),"
           + " (SELECT last_change FROM change_counter WHERE id = 1), (SELECT COUNT(*) FROM assessment_event),"
           + " (SELECT COUNT(*) FROM webhook_subscription), (SELECT last_change FROM change_counter WHERE id = 2)")) {
      row.next();
      return new Counts(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5), row.getLong(6),
        row.getLong(7));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count the store's rows", e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // the database may already be gone
    }
  }
}
