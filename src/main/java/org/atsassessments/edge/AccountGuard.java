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
    String id = rc.request().getHeader(HEADER);
    if (id == null || id.isBlank()) {
      rc.fail(new HttpException(400, "Missing x-account-id header"));
      return;
    }
    LinkedAccount account = accounts.find(id);
    if (account == null || !account.grantedTo(rc.get(BasicAuthentication.USER))) {
      rc.fail(new HttpException(404, "Not Found"));
      return;
    }
    if (!account.active()) {
      rc.fail(new HttpException(412, "Precondition failed: the linked account is disabled"));
      return;
    }
    rc.put(Requests.ACCOUNT, account);
    rc.next();
  }
}
