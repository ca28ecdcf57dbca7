package org.atsassessments.events;

import org.atsassessments.accounts.LinkedAccounts;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.store.SubscriptionRow;

/**
 * The linked accounts as the repository node last read them ({@code conf/accounts.json}, reloaded when it
 * changes): which accounts a subscription's owner may receive events of, judged again for every delivery so a
 * revoked grant stops deliveries at once.
 */
public final class AccountGrants {

  private volatile LinkedAccounts accounts;

  public AccountGrants(LinkedAccounts accounts) {
    this.accounts = accounts;
  }

  public void replace(LinkedAccounts reloaded) {
    this.accounts = reloaded;
  }

  /**
   * Whether the subscription may receive events of the account now: an active account granted to its owner (what
   * the owner could read through the API), and one it named if it named any.
   */
  public boolean covers(SubscriptionRow subscription, String accountId) {
    LinkedAccount account = accounts.find(accountId);
    return account != null && account.active() && account.grantedTo(subscription.owner())
      && (subscription.accountIds() == null || subscription.accountIds().contains(accountId));
  }
}
