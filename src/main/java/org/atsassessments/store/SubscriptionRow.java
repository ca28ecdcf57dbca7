package org.atsassessments.store;

import java.util.List;

/**
 * A webhook subscription as stored. {@code events} and {@code accountIds} are null for "all". The previous secret
 * signs beside the current one until {@code previousSecretUntilMs}. {@code firstFailureMs} is when the run of
 * failed attempts that has not been broken by a success began (null: none).
 */
public record SubscriptionRow(long seq, String id, String owner, String url, List<String> events, List<String> accountIds,
                              String description, String status, String disabledReason, String secret,
                              String previousSecret, Long previousSecretUntilMs, Long firstFailureMs,
                              long createdMs, long updatedMs) {

  public static final String ACTIVE = "active";
  public static final String DISABLED = "disabled";

  public boolean active() {
    return ACTIVE.equals(status);
  }

  public boolean wants(String type) {
    return events == null || events.contains(type);
  }
}
