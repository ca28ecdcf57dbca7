package org.atsassessments.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Positional parameters as each client wants them: {@code ?} for JDBC (H2), {@code $1, $2, …} for the PostgreSQL
 * client. Statements are written with {@code ?} and converted once each.
 */
final class Dialect {

  private final boolean postgres;
  private final Map<String, String> converted = new ConcurrentHashMap<>();

  Dialect(boolean postgres) {
    this.postgres = postgres;
  }

  boolean postgres() {
    return postgres;
  }

  /**
   * What ends an INSERT that must not raise an error on a unique key: on PostgreSQL {@code ON CONFLICT DO
   * NOTHING} (then no row is inserted, and the caller tells a duplicate by the count). A statement that fails
   * inside a transaction leaves vertx-pg-client's transaction marked failed for good, even once a savepoint
   * took the statement back: the commit then rolls back every write of the batch (a repeated create, its first
   * try committed by a node that died, failed its batch's other writes with 500). The embedded store's JDBC
   * client has no such mark, and H2 undoes a failed statement by itself: nothing to add there.
   */
  String onConflictDoNothing() {
    return postgres ? " ON CONFLICT DO NOTHING" : "";
  }

  String sql(String withQuestionMarks) {
    if (!postgres) return withQuestionMarks;
    return converted.computeIfAbsent(withQuestionMarks, sql -> {
      StringBuilder out = new StringBuilder(sql.length() + 16);
      int n = 0;
      for (int i = 0; i < sql.length(); i++) {
        char c = sql.charAt(i);
        if (c == '?') out.append('$').append(++n); else out.append(c);
      }
      return out.toString();
    });
  }
}
