package org.atsassessments.graphql;

import graphql.GraphQL;
import graphql.introspection.Introspection;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.graphql.ws.ConnectionInitEvent;
import io.vertx.ext.web.handler.graphql.ws.GraphQLWSHandler;
import io.vertx.ext.web.handler.graphql.ws.GraphQLWSOptions;
import org.atsassessments.edge.Gate;
import org.atsassessments.edge.StackOneErrors;
import org.atsassessments.ops.Metrics;
import org.atsassessments.repository.api.AssessmentRepository;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * GraphQL over WebSocket on {@code /graphql} ({@code graphql-transport-ws}, vertx-web-graphql's
 * {@link GraphQLWSHandler}), in front of the HTTP handler: an upgrade request is taken here, every other passes on
 * to the HTTP guards. A browser's upgrade must come from this service's own origin or one of
 * {@code graphql_ws_allowed_origins} (403 otherwise: cross-site WebSocket hijacking). The credentials, Basic
 * {@code authorization} and {@code x-account-id}, are read from {@code connection_init}'s payload
 * ({@code connectionParams}) or else from the upgrade request's headers, and checked by the edge's {@link Gate}:
 * wrong or missing closes the socket with 4401, a locked-out client with 4429. The account is checked for each
 * subscription (an error on that subscription when it is not the caller's). Only subscriptions run over the
 * socket; queries and mutations go over HTTP.
 */
final class GraphQLOverWebSocket {

  static final String PROTOCOL = "graphql-transport-ws";
  /**
   * Every open socket gets a WebSocket ping this often (clients answer with a pong by themselves), so a
   * subscription waiting quietly for events outlives the server's and any proxy's idle timeout.
   */
  static final long KEEPALIVE_MS = 25_000;
  private static final Logger LOG = Logger.getLogger(GraphQLOverWebSocket.class.getName());
  private static final io.micrometer.core.instrument.Counter REFUSED_ORIGINS =
    Metrics.counter("ats.refusals", "reason", "websocket_origin");

  private final Gate gate;
  private final List<String> allowedOrigins;
  private final int maxSubscriptions;
  private final GraphQLWSHandler handler;
  private final Map<ServerWebSocket, WebSocketSession> sessions = new HashMap<>();
  /** The flusher of each event loop with sockets here (its context's). */
  private final Map<io.vertx.core.Context, FrameFlusher> flushers = new HashMap<>();
  private final int flushMs;

  GraphQLOverWebSocket(Vertx vertx, GraphQL graphQL, Gate gate, AssessmentRepository repository, LiveEvents live,
                       List<String> allowedOrigins, int maxSubscriptions, int maxPendingEvents, int flushMs,
                       boolean introspection) {
    this.gate = gate;
    this.flushMs = flushMs;
    this.allowedOrigins = allowedOrigins.stream().map(origin -> origin.toLowerCase(Locale.ROOT)).toList();
    this.maxSubscriptions = maxSubscriptions;
    this.handler = GraphQLWSHandler.builder(graphQL)
      .with(new GraphQLWSOptions().setConnectionInitWaitTimeout(GraphQLWSOptions.DEFAULT_CONNECTION_INIT_WAIT_TIMEOUT))
      .onConnectionInit(this::connectionInit)
      .beforeExecute(execution -> {
        WebSocketSession session = (WebSocketSession) execution.context().connectionParams();
        Map<Object, Object> context = new HashMap<>();
        context.put(AssessmentRepository.class, repository);
        context.put(WebSocketSession.class, session);
        context.put(LiveEvents.class, live);
        context.put(Gate.class, gate);
        context.put(Subscriptions.MAX_PENDING, maxPendingEvents);
        Object id = execution.context().message().getValue("id");
        if (id instanceof String subscriptionId) context.put(Subscriptions.SUBSCRIPTION_ID, subscriptionId);
        if (!introspection) context.put(Introspection.INTROSPECTION_DISABLED, true);
        execution.builder().graphQLContext(context);
      })
      .onSocketEnd(socket -> {
        WebSocketSession session = sessions.remove(socket);
        if (session != null) session.closed();
      })
      .build();
    vertx.setPeriodic(KEEPALIVE_MS, tick -> sessions.keySet().forEach(socket -> socket.writePing(io.vertx.core.buffer.Buffer.buffer())));
  }

  /** The route's first handler: upgrade requests are answered here, every other request passes on. */
  Handler<RoutingContext> route() {
    return rc -> {
      if (!rc.request().canUpgradeToWebSocket()) {
        rc.next();
        return;
      }
      String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
      if (origin != null && !sameOrigin(rc, origin) && !allowedOrigins.contains(origin.toLowerCase(Locale.ROOT))) {
        REFUSED_ORIGINS.increment();
        StackOneErrors.respond(rc, 403, "WebSocket connections from origin " + origin + " are not allowed");
        return;
      }
      handler.handle(JsonMessagesOnly.around(rc));
    };
  }

  /** A page of this service (GraphiQL): its origin is the scheme and Host the request came to. */
  private static boolean sameOrigin(RoutingContext rc, String origin) {
    String host = rc.request().getHeader(HttpHeaders.HOST);
    if (host == null) return false;
    String lower = origin.toLowerCase(Locale.ROOT);
    return lower.equals("http://" + host.toLowerCase(Locale.ROOT)) || lower.equals("https://" + host.toLowerCase(Locale.ROOT));
  }

  private void connectionInit(ConnectionInitEvent event) {
    ServerWebSocket socket = event.message().socket();
    JsonObject payload = event.message().message().getValue("payload") instanceof JsonObject given ? given : new JsonObject();
    MultiMap headers = socket.headers();
    String authorization = Gate.header(payload, "authorization");
    if (authorization == null) authorization = headers.get(HttpHeaders.AUTHORIZATION);
    String account = Gate.header(payload, "x-account-id");
    if (account == null) account = headers.get("x-account-id");
    String accountId = account;
    io.vertx.core.Context context = Vertx.currentContext();
    gate.authenticate(authorization, socket.remoteAddress(), headers).onComplete(done -> {
      if (socket.isClosed()) return;  // gone while its credentials were checked: nothing to keep
      if (done.succeeded()) {
        WebSocketSession session = new WebSocketSession(context, socket, done.result(), accountId, maxSubscriptions,
          flushers.computeIfAbsent(context, c -> new FrameFlusher(c, flushMs)));
        sessions.put(socket, session);
        event.complete(session);
      } else if (done.cause() instanceof Gate.Refused refused && refused.status() == 429) {
        socket.close((short) 4429, "Too many failed logins; try again in " + refused.retryAfterSeconds() + " s");
      } else {
        LOG.fine("GraphQL WebSocket refused: " + done.cause().getMessage());
        event.fail(done.cause());  // vertx-web-graphql closes with 4401 Unauthorized
      }
    });
  }
}
