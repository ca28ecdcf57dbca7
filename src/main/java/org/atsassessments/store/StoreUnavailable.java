package org.atsassessments.store;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

import java.io.IOException;
import java.sql.SQLException;

/**
 * Tells a store that cannot be reached (refused or dropped connections, a server shutting down or
 * restarting) from a store that failed a statement. The first is a 503 the client may retry; the second
 * a 500.
 */
public final class StoreUnavailable {

  private StoreUnavailable() {
  }

  public static boolean is(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof ClosedConnectionException) return true;
      String state = t instanceof DatabaseException db ? db.getSqlState() : t instanceof SQLException sql ? sql.getSQLState() : null;
      // 08: connection exception; 57P: operator intervention (shutdown, restart); 53300: too many connections
      if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"))) return true;
    }
    return false;
  }
}
