package org.atsassessments.store;

/** The account already has an order with this remote_id (unique key violation). */
public final class DuplicateOrderException extends RuntimeException {

  public DuplicateOrderException(String accountId, String remoteId) {
    super("account " + accountId + " already has an order with remote_id " + remoteId, null, false, false);
  }
}
