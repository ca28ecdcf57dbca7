package org.atsassessments.edge;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.atsassessments.accounts.LinkedAccounts;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.ops.FileWatch;
import org.atsassessments.ops.WorkCounters;

import java.util.List;

/**
 * The edge of one HTTP verticle: what every request passes (request id and access log, security headers, the
 * one error mapper) and the guards of the API routes, in order: the request deadline, the body limit, Basic
 * authentication, the rate limit, the linked account and the JSON nesting limit. The users and accounts files
 * are watched and reloaded here. REST and GraphQL mount their routes behind {@link #guards()}.
 */
public final class Edge {

  private final List<Handler<RoutingContext>> guards;
  private final List<Handler<RoutingContext>> ownerGuards;
  private final List<Handler<RoutingContext>> connectorGuards;
  private final AccountGuard accountGuard;
  private final Gate gate;

  private Edge(List<Handler<RoutingContext>> guards, List<Handler<RoutingContext>> ownerGuards,
               List<Handler<RoutingContext>> connectorGuards, AccountGuard accountGuard, Gate gate) {
    this.guards = guards;
    this.ownerGuards = ownerGuards;
    this.connectorGuards = connectorGuards;
    this.accountGuard = accountGuard;
    this.gate = gate;
  }

  /** The handlers every request meets first, and the failure handlers that answer with StackOne's body. */
  public static void prepare(Router router) {
    router.route().handler(AccessLog::handle);
    router.route().handler(SecurityHeaders::handle);
    router.route().failureHandler(StackOneErrors::handle);
    for (int status : new int[] {400, 404, 405, 413, 414, 415, 431, 500, 501}) {
      router.errorHandler(status, rc -> StackOneErrors.handle(rc, status));
    }
  }

  /** Requests the HTTP decoder refused before any route saw them. */
  public static void invalidRequest(HttpServerRequest request) {
    StackOneErrors.invalidRequest(request);
  }

  /** Reads the users and accounts files (off the event loop) and starts watching them. */
  public static Future<Edge> create(Vertx vertx, ServiceConfig settings) {
    String htpasswd = settings.htpasswd();
    return vertx.fileSystem().exists(htpasswd)
      .compose(exists -> exists ? LinkedAccounts.load(vertx, settings.accounts(), settings.demo())
        : Future.failedFuture(new IllegalStateException("htpasswd file " + htpasswd + " does not exist")))
      .compose(accounts -> vertx.executeBlocking(() -> Htpasswd.load(vertx, htpasswd, settings.demo())).compose(users -> {
        BasicAuthentication authentication = new BasicAuthentication(users,
          VerifiedCredentials.of(vertx, settings.authCacheTtlMs(), settings.authCacheMaxEntries()),
          WorkCounters.of(vertx), new LoginThrottle(vertx, settings.loginSlowdownAfter(),
            settings.loginLockoutAfter(), settings.loginLockoutSeconds(),
            settings.trustedProxyHops()));
        AccountGuard accountGuard = new AccountGuard(accounts);
        RateLimiter rateLimiter = new RateLimiter(vertx, settings.rateLimitPerMinute());
        RequestDeadline deadline = new RequestDeadline(settings.requestTimeoutMs());
        Handler<RoutingContext> uncounted = rateLimiter.uncounted();
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(settings.bodyLimitBytes());
        JsonNesting nesting = new JsonNesting(settings.jsonMaxDepth());
        List<Handler<RoutingContext>> guards = List.of(deadline, uncounted, bodies, authentication, rateLimiter, accountGuard,
          nesting);
        List<Handler<RoutingContext>> ownerGuards = List.of(deadline, uncounted, bodies, authentication, rateLimiter, nesting);
        List<Handler<RoutingContext>> connectorGuards = List.of(deadline, bodies, nesting);
        // users and accounts files are reloaded when they change (the htpasswd library reads files blocking)
        long reloadMs = settings.configReloadMs();
        return Future.all(
          FileWatch.start(vertx, htpasswd, reloadMs, () -> vertx.executeBlocking(() -> Htpasswd.reloaded(vertx, htpasswd, settings.demo()))
            .onSuccess(authentication::replace)),
          FileWatch.start(vertx, settings.accounts(), reloadMs,
            () -> LinkedAccounts.load(vertx, settings.accounts(), settings.demo()).onSuccess(accountGuard::replace)))
          .map(watching -> new Edge(guards, ownerGuards, connectorGuards, accountGuard,
            new Gate(vertx, authentication, accountGuard, rateLimiter)));
      }));
  }

  /** The same checks for doors that are not HTTP routes (WebSockets, bridges). */
  public Gate gate() {
    return gate;
  }

  /** The guards of an API route, in the order they run. */
  public List<Handler<RoutingContext>> guards() {
    return guards;
  }

  /**
   * The guards of a route whose caller is the user rather than a linked account ({@code /webhooks}): the same,
   * without the account guard ({@code x-account-id} is not read).
   */
  public List<Handler<RoutingContext>> ownerGuards() {
    return ownerGuards;
  }

  /** The linked account of that id as the accounts file now lists it (reloaded when it changes), or null. */
  public org.atsassessments.model.LinkedAccount account(String accountId) {
    return accountGuard.find(accountId);
  }

  /** The guards every connector route passes before its own authentication: the request deadline and the body limit. */
  public List<Handler<RoutingContext>> connectorGuards() {
    return connectorGuards;
  }

  /** Whether the authenticated user of this request is granted the account, as the account guard would judge it. */
  public boolean grants(RoutingContext rc, String accountId) {
    return accountGuard.grants(rc.get(BasicAuthentication.USER), accountId);
  }
}
