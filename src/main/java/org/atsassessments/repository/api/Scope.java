package org.atsassessments.repository.api;

import java.util.Objects;

/**
 * Whom a repository call serves: the linked account every lookup and write is confined to (already checked at
 * the edge), and the request it comes from, named in the repository's log lines (null when there is none).
 */
public record Scope(String accountId, String requestId) {

  public Scope {
    Objects.requireNonNull(accountId, "accountId");
  }
}
