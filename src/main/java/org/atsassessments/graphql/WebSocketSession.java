package org.atsassessments.graphql;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.VoidChannelPromise;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One authenticated GraphQL WebSocket: who it is (the user its {@code connection_init} proved, the account it
 * named), its live subscriptions (at most {@code graphql_ws_max_subscriptions}), and its socket's back pressure:
 * when the socket's write queue drains, every subscription sends what waited. It is the connection's
 * {@code connectionParams} for vertx-web-graphql. Only the connection's event loop touches it.
 *
 * <p>The event frames of its subscriptions are encoded here, one after the other into one buffer, and written
 * and flushed as one by the event loop's {@link FrameFlusher}: a live event for a thousand subscribers is a
 * thousand sockets written, and written through Vert.x each frame is its own pass down the channel pipeline, its
 * own buffer and its own flush (a system call). The bytes are those Vert.x writes for
 * {@code writeTextMessage}: a final, unmasked text frame (RFC 6455 §5.2).
 */
final class WebSocketSession implements EventStream.Sink {

  private final Context context;
  private final ServerWebSocket socket;
  private final String user;
  private final String accountId;
  private final int maxSubscriptions;
  private final Set<EventStream> streams = new LinkedHashSet<>();
  private final FrameFlusher flusher;
  /** The socket's channel, for frames encoded here; null: each frame through Vert.x, flushed. */
  private final ChannelHandlerContext channel;
  private final VoidChannelPromise noPromise;
  /** A frame longer goes through Vert.x, which splits it: the HTTP server's frame size (Vert.x's default). */
  private static final int MAX_FRAME_BYTES = io.vertx.core.http.HttpServerOptions.DEFAULT_MAX_WEBSOCKET_FRAME_SIZE;
  /** Frames encoded since the last flush, or null. */
  private ByteBuf unflushed;
  /** Frames in {@link #unflushed}. */
  private int frames;
  private int open;
  private boolean closed;

  WebSocketSession(Context context, ServerWebSocket socket, String user, String accountId, int maxSubscriptions,
                   FrameFlusher flusher) {
    this.context = context;
    this.socket = socket;
    this.user = user;
    this.accountId = accountId;
    this.maxSubscriptions = maxSubscriptions;
    this.flusher = flusher;
    this.channel = flusher == null ? null : channelOf(socket);
    this.noPromise = channel == null ? null : new VoidChannelPromise(channel.channel(), false);
    socket.drainHandler(drained -> drained());
    if (channel != null) {
      // Vert.x calls the drain handler only for its own write queue, which the frames written here bypass: the
      // channel's own writability says when a socket that was full takes frames again
      channel.pipeline().addBefore(channel.name(), "ats-writability", new ChannelInboundHandlerAdapter() {
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
          if (ctx.channel().isWritable()) drained();
          ctx.fireChannelWritabilityChanged();
        }
      });
    }
  }

  /** The socket takes frames again: every subscription sends what waited. */
  private void drained() {
    if (closed) return;
    new ArrayList<>(streams).forEach(EventStream::drain);
  }

  /**
   * The channel handler context of a Vert.x WebSocket (its own handler's: what is written there passes the
   * pipeline's idle-time and frame handlers as Vert.x's writes do), or null. vertx-web hands a routed request's
   * socket over wrapped (its {@code ServerWebSocketWrapper} answers the forwarded authority, scheme and address)
   * with no way to the socket inside, so that is read from the wrapper's field; should a Vert.x version have it
   * otherwise, frames go through Vert.x's write, one flush each ({@code GraphQLSubscriptionsTest} counts them).
   */
  static ChannelHandlerContext channelOf(ServerWebSocket given) {
    ServerWebSocket socket = JsonMessagesOnly.unwrapped(given);
    if (socket instanceof WebSocketInternal internal) return internal.channelHandlerContext();
    try {
      java.lang.reflect.Field delegate = socket.getClass().getDeclaredField("delegate");
      delegate.setAccessible(true);
      return delegate.get(socket) instanceof WebSocketInternal internal ? internal.channelHandlerContext() : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
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
  public void write(byte[] start, byte[] payload) {
    int length = start.length + payload.length + 1;
    if (channel == null || closed || length > MAX_FRAME_BYTES) {
      // Vert.x's own write (it splits a frame over the socket's frame size), after what is encoded here
      push();
      byte[] frame = new byte[length];
      System.arraycopy(start, 0, frame, 0, start.length);
      System.arraycopy(payload, 0, frame, start.length, payload.length);
      frame[length - 1] = '}';
      socket.writeTextMessage(new String(frame, StandardCharsets.UTF_8));
      return;
    }
    if (unflushed == null) {
      unflushed = channel.alloc().buffer(Math.max(1024, length + 10));
      flusher.unflushed(this);
    }
    unflushed.writeByte(0x81);  // FIN, text
    if (length <= 125) {
      unflushed.writeByte(length);
    } else if (length <= 0xFFFF) {
      unflushed.writeByte(126).writeShort(length);
    } else {
      unflushed.writeByte(127).writeLong(length);
    }
    unflushed.writeBytes(start).writeBytes(payload).writeByte('}');
    frames++;
  }

  @Override
  public void push() {
    flush();
  }

  /** Frames {@link #write} encoded that {@link #flush} would write now. */
  int unflushedFrames() {
    return unflushed == null || closed ? 0 : frames;
  }

  /** Writes and flushes what {@link #write} encoded (by the {@link FrameFlusher}, or {@link #push}); a closed socket's is dropped. */
  void flush() {
    if (unflushed == null) return;
    ByteBuf encoded = unflushed;
    unflushed = null;
    frames = 0;
    if (closed) {
      encoded.release();
      return;
    }
    channel.writeAndFlush(encoded, noPromise);
  }

  @Override
  public boolean writeQueueFull() {
    return channel != null ? !channel.channel().isWritable() : socket.writeQueueFull();
  }

  /** The socket ended: every subscription of it stops (also one whose subscribe was still under way). */
  void closed() {
    closed = true;
    new ArrayList<>(streams).forEach(EventStream::cancel);
    flush();  // releases what was encoded
  }
}
