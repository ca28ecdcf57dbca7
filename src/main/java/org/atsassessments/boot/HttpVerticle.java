package org.atsassessments.boot;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.atsassessments.config.ServiceConfig;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import org.atsassessments.bridge.BusBridge;
import org.atsassessments.bridge.TcpBridge;
import org.atsassessments.connectors.GreenhouseRoutes;
import org.atsassessments.connectors.TeamtailorRoutes;
import io.vertx.core.Handler;
import org.atsassessments.edge.Cors;
import org.atsassessments.edge.Edge;
import org.atsassessments.edge.StackOneErrors;
import org.atsassessments.rest.ApiReference;
import org.atsassessments.repository.bus.RepositoryBusClient;
import org.atsassessments.graphql.GraphQLFacade;
import org.atsassessments.rest.OrderRoutes;
import org.atsassessments.rest.EventRoutes;
import org.atsassessments.rest.PackageRoutes;
import org.atsassessments.rest.WebhookRoutes;

import java.util.List;

/**
 * The HTTP server, deployed once per event loop. Every node serves {@code /health} and {@code /ready}; nodes
 * whose role includes http also serve the API: the edge's guards (auth, account, limits), then the REST routes
 * and GraphQL, all reaching the repository only over the event bus, and the API reference. Every error leaves
 * through the edge's one error mapper.
 */
public class HttpVerticle extends VerticleBase {

  private static final JsonObject UP = new JsonObject().put("status", "UP");
  private static final long READY_TIMEOUT_MS = 2_000;
  /** Addresses one bridge socket may register at. */
  private static final int MAX_REGISTRATIONS = 20;

  private final ServiceConfig settings;
  private HttpServer server;
  private RepositoryBusClient repository;
  private Router router;
  private BusBridge bridge;

  public HttpVerticle(ServiceConfig settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    repository = new RepositoryBusClient(vertx, settings.requestTimeoutMs());
    router = Router.router(vertx);
    // connector routes answer in the ATS's style: their failure handlers before the edge's
    GreenhouseRoutes.prepare(router);
    TeamtailorRoutes.prepare(router);
    Edge.prepare(router);
    router.get("/health").handler(rc -> json(rc, 200, UP));
    router.get("/ready").handler(this::ready);
    Future<Void> api = settings.role().servesApi() ? mountApi(router, settings) : Future.succeededFuture();
    if (settings.role().servesApi() && settings.bridgeTcpPort() > 0) {
      api = api.compose(mounted -> TcpBridge.listen(vertx, bridge, settings.bridgeTcpHost(), settings.bridgeTcpPort(),
        settings.bodyLimitBytes(), MAX_REGISTRATIONS, settings.bridgeTcpTlsKeystore(), settings.bridgeTcpTlsPassword()).mapEmpty());
    }
    return api.compose(mounted -> {
      server = vertx.createHttpServer(new HttpServerOptions().setHost(settings.httpHost()).setPort(settings.httpPort())
          .setMaxInitialLineLength(settings.maxRequestLineBytes()).setMaxHeaderSize(settings.maxHeaderBytes())
          .setIdleTimeout(settings.httpIdleTimeoutSeconds())
          // GraphQL subscriptions; a message as large as a request body at most
          .addWebSocketSubProtocol("graphql-transport-ws").setMaxWebSocketMessageSize(settings.bodyLimitBytes()))
        .invalidRequestHandler(Edge::invalidRequest)
        .requestHandler(router);
      return server.listen();
    });
  }

  private Future<Void> mountApi(Router router, ServiceConfig settings) {
    String resultsUpdateUrlTemplate = settings.publicUrl() + OrderRoutes.ORDERS + "/{id}/result";
    return Edge.create(vertx, settings)
      .compose(edge -> GraphQLFacade.create(vertx, settings, resultsUpdateUrlTemplate).map(graphQL -> {
        // CORS first: a browser's preflight is answered before authentication
        Handler<RoutingContext> cors = Cors.of(settings.corsAllowedOrigins());
        if (cors != null) {
          for (String path : List.of("/unified/*", "/graphql", "/eventbus/*")) router.route(path).handler(cors);
        }
        Route api = router.route("/unified/*");
        edge.guards().forEach(api::handler);
        new OrderRoutes(repository, resultsUpdateUrlTemplate).mount(router);
        new PackageRoutes(repository).mount(router);
        new EventRoutes(repository).mount(router);
        new WebhookRoutes(repository, edge).mount(router);
        new GreenhouseRoutes(repository, edge, resultsUpdateUrlTemplate).mount(router);
        new TeamtailorRoutes(repository, edge, resultsUpdateUrlTemplate).mount(router);
        graphQL.mount(vertx, router, edge.guards(), edge.gate(), repository);
        mountBridge(router, edge);
        return null;
      }))
      .compose(mounted -> ApiReference.mount(vertx, router));
  }

  /**
   * The SockJS event-bus bridge at /eventbus: its frames are checked by {@link BusBridge} (the edge's own checks,
   * read actions and the account's events only). A registration refused is told to the client as an error
   * frame at its address, so its handler hears of it.
   */
  private void mountBridge(Router router, Edge edge) {
    bridge = new BusBridge(vertx, edge.gate(), repository);
    // a frame over WebSocket is bounded by the server's message size (body_limit_bytes); one sent by XHR by its
    // declared length, which must be there
    int limit = settings.bodyLimitBytes();
    // SockJS answers every origin with CORS headers of its own: an origin not in cors_allowed_origins gets none
    router.route("/eventbus/*").handler(Cors.othersRefused(settings.corsAllowedOrigins()));
    router.route("/eventbus/*").handler(rc -> {
      if (rc.request().method() != HttpMethod.POST) {
        rc.next();
        return;
      }
      String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
      long declared;
      try {
        declared = length == null ? -1 : Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        declared = -1;
      }
      if (declared < 0) {
        StackOneErrors.respond(rc, 411, "Content-Length is required");
      } else if (declared > limit) {
        StackOneErrors.respond(rc, 413, "Request body larger than " + limit + " bytes");
      } else {
        rc.next();
      }
    });
    // no JSESSIONID cookie: nothing here is sticky, and nothing is authenticated by a cookie
    SockJSHandler sockJS = SockJSHandler.create(vertx, new SockJSHandlerOptions().setInsertJSESSIONID(false));
    router.route("/eventbus/*").subRouter(sockJS.bridge(bridge.sockJsOptions(settings.requestTimeoutMs(), MAX_REGISTRATIONS),
      event -> bridge.handle(event, event.socket(), event.socket().remoteAddress(), event.socket().headers(),
        (address, status, message) -> event.socket().write(new JsonObject().put("type", "err").put("address", address)
          .put("failureCode", status).put("failureType", "RECIPIENT_FAILURE").put("message", message).toBuffer()))));
  }

  @Override
  public Future<?> stop() {
    return repository == null ? Future.succeededFuture() : repository.close();
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
