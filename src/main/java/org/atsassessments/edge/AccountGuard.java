package org.atsassessments.edge;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.atsassessments.accounts.LinkedAccounts;
import org.atsassessments.model.LinkedAccount;

/**
 * Tenancy at the edge: {@code x-account-id} must name an account granted to the authenticated user.
 * Missing → 400; unknown or not granted → 404 with the same body as a missing record (no existence
 * leak); disabled → 412.
 */
final class AccountGuard implements Handler<RoutingContext> {

  static final String HEADER = "x-account-id";

  private volatile LinkedAccounts accounts;

  AccountGuard(LinkedAccounts accounts) {
    this.accounts = accounts;
  }

  /** The accounts file changed: the next requests see the new grants. */
  void replace(LinkedAccounts reloaded) {
    this.accounts = reloaded;
  }

  /** Whether the account exists and is granted to the user (its status aside). */
  boolean grants(String user, String accountId) {
    LinkedAccount account = accounts.find(accountId);
    return account != null && user != null && account.grantedTo(user);
  }

  /** The account of that id as the accounts file now lists it, or null. */
  LinkedAccount find(String accountId) {
    return accounts.find(accountId);
  }

  @Override
  public void handle(RoutingContext rc) {
    LinkedAccount account;
    try {
      account = check(rc.get(BasicAuthentication.USER), rc.request().getHeader(HEADER));
    } catch (Gate.Refused refused) {
      rc.fail(new HttpException(refused.status(), refused.getMessage()));
      return;
    }
    rc.put(Requests.ACCOUNT, account);
    rc.next();
  }

  /**
   * The account when it is granted to the user and active; refused 400 when no id is given, 404 when it is
   * unknown or not granted (one answer for both), 412 when disabled.
   */
  LinkedAccount check(String user, String id) {
    if (id == null || id.isBlank()) throw new Gate.Refused(400, "Missing x-account-id header", 0);
    LinkedAccount account = accounts.find(id);
    if (account == null || !account.grantedTo(user)) throw new Gate.Refused(404, "Not Found", 0);
    if (!account.active()) throw new Gate.Refused(412, "Precondition failed: the linked account is disabled", 0);
    return account;
  }
}
