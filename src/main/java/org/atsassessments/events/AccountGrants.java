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
    if (account == null || !account.active()) return false;
    // a connector's subscription is its account's own, while the account still names a provider
    if (ConnectorSubscriptions.isConnector(subscription)) {
      return account.provider() != null && accountId.equals(ConnectorSubscriptions.accountOf(subscription));
    }
    return account.grantedTo(subscription.owner())
      && (subscription.accountIds() == null || subscription.accountIds().contains(accountId));
  }

  /** The account as last read; null when there is none of that id. */
  public LinkedAccount account(String accountId) {
    return accounts.find(accountId);
  }

  /** Whether {@code user} may read the account's records (an active account granted to it). */
  public boolean readable(String user, String accountId) {
    LinkedAccount account = accounts.find(accountId);
    return account != null && account.active() && account.grantedTo(user);
  }

  public LinkedAccounts accounts() {
    return accounts;
  }
}
