package org.atsassessments.graphql;

import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One authenticated GraphQL WebSocket: who it is (the user its {@code connection_init} proved, the account it
 * named), its live subscriptions (at most {@code graphql_ws_max_subscriptions}), and its socket's back pressure:
 * when the socket's write queue drains, every subscription sends what waited. It is the connection's
 * {@code connectionParams} for vertx-web-graphql. Only the connection's event loop touches it.
 */
final class WebSocketSession implements EventStream.Sink {

  private final Context context;
  private final ServerWebSocket socket;
  private final String user;
  private final String accountId;
  private final int maxSubscriptions;
  private final Set<EventStream> streams = new LinkedHashSet<>();
  private int open;
  private boolean closed;

  WebSocketSession(Context context, ServerWebSocket socket, String user, String accountId, int maxSubscriptions) {
    this.context = context;
    this.socket = socket;
    this.user = user;
    this.accountId = accountId;
    this.maxSubscriptions = maxSubscriptions;
    socket.drainHandler(drained -> new ArrayList<>(streams).forEach(EventStream::drain));
  }

  /** The connection's event loop. */
  Context context() {
    return context;
  }

  String user() {
    return user;
  }

  /** The account the connection named ({@code x-account-id}), or null. */
  String accountId() {
    return accountId;
  }

  /** A subscription is about to start; refused past the limit. */
  boolean reserve() {
    if (closed || open >= maxSubscriptions) return false;
    open++;
    return true;
  }

  @Override
  public void add(EventStream stream) {
    if (closed) {
      stream.cancel();
      return;
    }
    streams.add(stream);
  }

  @Override
  public void remove(EventStream stream) {
    if (streams.remove(stream)) open--;
  }

  @Override
  public void write(String frame) {
    socket.writeTextMessage(frame);
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  /** The socket ended: every subscription of it stops (also one whose subscribe was still under way). */
  void closed() {
    closed = true;
    new ArrayList<>(streams).forEach(EventStream::cancel);
  }
}
