package org.atsassessments.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.model.WorkCounters;
import org.atsassessments.repository.RepositoryClient;
import org.atsassessments.graphql.GraphQLFacade;
import org.atsassessments.rest.OrderRoutes;
import org.atsassessments.rest.PackageRoutes;

import java.util.List;

/**
 * The edge, deployed once per event loop. Every node serves {@code /health} and {@code /ready}; nodes
 * whose role includes http also serve the API: Basic auth, then the linked account, then the routes,
 * all reaching the repository only over the event bus. Every error leaves through {@link StackOneErrors}.
 */
public class HttpVerticle extends VerticleBase {

  private static final JsonObject UP = new JsonObject().put("status", "UP");
  private static final long READY_TIMEOUT_MS = 2_000;

  private HttpServer server;
  private RepositoryClient repository;
  private Router router;

  @Override
  public Future<?> start() {
    ServiceConfig settings = ServiceConfig.fromJson(config());
    repository = new RepositoryClient(vertx, settings.requestTimeoutMs());
    router = Router.router(vertx);
    router.route().handler(AccessLog::handle);
    router.route().handler(SecurityHeaders::handle);
    router.get("/health").handler(rc -> json(rc, 200, UP));
    router.get("/ready").handler(this::ready);
    router.route().failureHandler(StackOneErrors::handle);
    for (int status : new int[] {400, 404, 405, 413, 414, 415, 431, 500, 501}) {
      router.errorHandler(status, rc -> StackOneErrors.handle(rc, status));
    }
    Future<Void> api = settings.role().servesApi() ? mountApi(router, settings) : Future.succeededFuture();
    return api.compose(mounted -> {
      server = vertx.createHttpServer(new HttpServerOptions().setHost(settings.httpHost()).setPort(settings.httpPort())
          .setMaxInitialLineLength(settings.integer("max_request_line_bytes")).setMaxHeaderSize(settings.integer("max_header_bytes"))
          .setIdleTimeout(settings.integer("http_idle_timeout_seconds")))
        .invalidRequestHandler(StackOneErrors::invalidRequest)
        .requestHandler(router);
      return server.listen();
    });
  }

  private Future<Void> mountApi(Router router, ServiceConfig settings) {
    String htpasswd = settings.string("htpasswd");
    String resultsUpdateUrlTemplate = settings.publicUrl() + OrderRoutes.ORDERS + "/{id}/result";
    return vertx.fileSystem().exists(htpasswd)
      .compose(exists -> exists ? LinkedAccounts.load(vertx, settings.string("accounts"), settings.demo())
        : Future.failedFuture(new IllegalStateException("htpasswd file " + htpasswd + " does not exist")))
      .compose(accounts -> GraphQLFacade.create(vertx, repository, settings, resultsUpdateUrlTemplate).compose(graphQL -> {
        BasicAuthentication authentication = new BasicAuthentication(Htpasswd.provider(vertx, htpasswd, settings.demo()),
          new VerifiedCredentials(settings.integer("auth_cache_ttl_ms"), settings.integer("auth_cache_max_entries")),
          WorkCounters.of(vertx), new LoginThrottle(vertx, settings.integer("login_slowdown_after"),
            settings.integer("login_lockout_after"), settings.integer("login_lockout_seconds"),
            settings.integer("trusted_proxy_hops")));
        AccountGuard accountGuard = new AccountGuard(accounts);
        List<Handler<RoutingContext>> guards = List.of(
          new RequestDeadline(settings.requestTimeoutMs()),
          BodyHandler.create(false).setBodyLimit(settings.integer("body_limit_bytes")),
          authentication,
          new RateLimiter(vertx, settings.integer("rate_limit_per_minute")),
          accountGuard,
          new JsonNesting(settings.integer("json_max_depth")));
        Route api = router.route("/unified/*");
        guards.forEach(api::handler);
        new OrderRoutes(repository, resultsUpdateUrlTemplate).mount(router);
        new PackageRoutes(repository).mount(router);
        graphQL.mount(vertx, router, guards);
        // users and accounts files are reloaded when they change (the htpasswd library reads files blocking)
        long reloadMs = settings.integer("config_reload_ms");
        return Future.all(
          FileWatch.start(vertx, htpasswd, reloadMs, () -> vertx.executeBlocking(() -> Htpasswd.reloaded(vertx, htpasswd, settings.demo()))
            .onSuccess(authentication::replace)),
          FileWatch.start(vertx, settings.string("accounts"), reloadMs,
            () -> LinkedAccounts.load(vertx, settings.string("accounts"), settings.demo()).onSuccess(accountGuard::replace)))
          .mapEmpty();
      }))
      .compose(mounted -> DocsRoutes.mount(vertx, router));
  }

  /** What this instance serves, for the test that holds the OpenAPI document to it. */
  public Router router() {
    return router;
  }

  /** Ready when a repository answers over the bus, whichever node it runs on. */
  private void ready(RoutingContext rc) {
    repository.ping(READY_TIMEOUT_MS)
      .onSuccess(pong -> json(rc, 200, UP))
      .onFailure(e -> StackOneErrors.respond(rc, 503, "No order repository is reachable"));
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}
