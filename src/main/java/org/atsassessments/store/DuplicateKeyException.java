package org.atsassessments.store;

/** The account already has a record with this remote_id (or id): a unique key was violated. */
public final class DuplicateKeyException extends RuntimeException {

  public DuplicateKeyException(String table, String accountId, String key) {
    super(table + ": account " + accountId + " already has " + key, null, false, false);
  }
}
