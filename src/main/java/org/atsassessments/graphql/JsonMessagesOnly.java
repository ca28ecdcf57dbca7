package org.atsassessments.graphql;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.ServerWebSocketWrapper;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * graphql-transport-ws: a message that is not a JSON object closes the socket with 4400 ("Invalid message
 * received"), as the protocol says. vertx-web-graphql decodes each message inside its handler, so such a message
 * was an unhandled exception there (a SEVERE log line with a stack trace, for anyone who can open a socket, before
 * any credentials) and the socket stayed open. The upgrade request's routing context is handed to
 * {@code GraphQLWSHandler} with its socket wrapped: every text or binary message is checked here before the
 * handler sees it.
 */
final class JsonMessagesOnly {

  static final short INVALID_MESSAGE = 4400;

  private JsonMessagesOnly() {
  }

  /** {@code rc} as the handler should see it: its request's WebSocket checks messages first. */
  static RoutingContext around(RoutingContext rc) {
    if (!(rc.request() instanceof HttpServerRequestInternal internal)) return rc;
    HttpServerRequest checked = new HttpServerRequestWrapper(internal) {
      @Override
      public Future<ServerWebSocket> toWebSocket() {
        return super.toWebSocket().map(Checked::new);
      }
    };
    return (RoutingContext) Proxy.newProxyInstance(RoutingContext.class.getClassLoader(), new Class<?>[] {RoutingContext.class},
      (proxy, method, args) -> {
        if (method.getName().equals("request") && method.getParameterCount() == 0) return checked;
        try {
          return method.invoke(rc, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      });
  }

  /** Whether {@code text} is a JSON object (what every graphql-transport-ws message is). */
  static boolean jsonObject(String text) {
    try {
      return Json.decodeValue(text) instanceof JsonObject;
    } catch (DecodeException e) {
      return false;
    }
  }

  /** The socket, its message handlers behind the check. */
  private static final class Checked extends ServerWebSocketWrapper {

    private final ServerWebSocket socket;

    Checked(ServerWebSocket socket) {
      super(socket, socket.authority(), socket.scheme(), socket.isSsl(), socket.remoteAddress());
      this.socket = socket;
    }

    /** The socket inside (for {@link WebSocketSession#channelOf}). */
    ServerWebSocket socket() {
      return socket;
    }

    @Override
    public ServerWebSocket textMessageHandler(Handler<String> handler) {
      return super.textMessageHandler(handler == null ? null : text -> checked(text, text, handler));
    }

    @Override
    public ServerWebSocket binaryMessageHandler(Handler<Buffer> handler) {
      return super.binaryMessageHandler(handler == null ? null
        : bytes -> checked(bytes.toString(java.nio.charset.StandardCharsets.UTF_8), bytes, handler));
    }

    /** {@code message} (as {@code text}) to the handler if it is a JSON object; else the socket closes with 4400. */
    private <M> void checked(String text, M message, Handler<M> handler) {
      if (jsonObject(text)) {
        handler.handle(message);
      } else {
        socket.close(INVALID_MESSAGE, "Invalid message received");
      }
    }
  }

  /** The socket a wrapped one is around (itself when it is not one of ours). */
  static ServerWebSocket unwrapped(ServerWebSocket socket) {
    return socket instanceof Checked checked ? checked.socket() : socket;
  }
}
