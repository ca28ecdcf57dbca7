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
