package org.atsassessments.repository.api;

import java.util.Objects;

/**
 * Whom a webhook call serves: the authenticated user (a subscription's owner: a caller sees and changes only its
 * own), and the request it comes from (named in log lines; null when there is none).
 */
public record Caller(String user, String requestId) {

  public Caller {
    Objects.requireNonNull(user, "user");
  }
}
