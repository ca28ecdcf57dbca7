package org.atsassessments.edge;

import io.vertx.ext.web.RoutingContext;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.repository.api.Caller;
import org.atsassessments.repository.api.Exchange;
import org.atsassessments.repository.api.Scope;

/**
 * What the edge established about a request, for the facades: its linked account (checked by the account
 * guard), the scope of its repository calls (that account and the request id), and the exchange {@code raw}
 * shows of a write it carries. REST and GraphQL both take these from here.
 */
public final class Requests {

  static final String ACCOUNT = "ats.account";
  static final String REQUEST_ID = "ats.request-id";

  private Requests() {
  }

  /** The linked account the account guard accepted for this request. */
  public static LinkedAccount account(RoutingContext rc) {
    return rc.get(ACCOUNT);
  }

  /** The caller of a webhook call: the authenticated user, owner of its subscriptions. */
  public static Caller caller(RoutingContext rc) {
    return new Caller(rc.get(BasicAuthentication.USER), rc.get(REQUEST_ID));
  }

  /** This request's id (the X-Request-Id answered and logged). */
  public static String requestId(RoutingContext rc) {
    return rc.get(REQUEST_ID);
  }

  /** The scope of this request's repository calls. */
  public static Scope scope(RoutingContext rc) {
    return new Scope(account(rc).id(), rc.get(REQUEST_ID));
  }

  /** The one exchange of a write: the HTTP method and the absolute URL of the request that carried it. */
  public static Exchange exchange(RoutingContext rc) {
    return new Exchange(rc.request().method().name(), rc.request().absoluteURI());
  }
}
