package org.atsassessments.bridge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PfxOptions;
import org.atsassessments.edge.Gate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The TCP event-bus bridge: the wire of vertx-tcp-eventbus-bridge (each frame a 4-byte big-endian length, then a
 * UTF-8 JSON object {@code {type, address, replyAddress?, headers, body}}; client types {@code send},
 * {@code publish}, {@code register}, {@code unregister}, {@code ping}; server frames {@code message}, {@code err},
 * {@code pong}), so its clients (Vert.x's Python, Java, Go and C clients) connect unchanged, under the rules of
 * {@link BusBridge}, the SockJS bridge's.
 *
 * <p>It is not that library's server: its send path reads a frame's address before the bridge-event handler runs
 * (a checked send cannot be taken elsewhere), forwards a reply's body as it is (the repository's bytes would reach
 * the client as base64), reads frames of any length (no limit can be set, and no event comes before a frame is
 * whole) and tells nothing of outgoing messages. Here a frame's length is read first: over {@code body_limit_bytes},
 * the client gets an {@code err} frame and the connection is closed, before the frame is read. Every event sent to a
 * registration is checked against the grant as it is then.
 */
public final class TcpBridge {

  private static final Logger LOG = Logger.getLogger(TcpBridge.class.getName());

  private final BusBridge rules;
  private final Vertx vertx;
  private final int frameLimit;
  private final int maxRegistrations;

  private TcpBridge(Vertx vertx, BusBridge rules, int frameLimit, int maxRegistrations) {
    this.vertx = vertx;
    this.rules = rules;
    this.frameLimit = frameLimit;
    this.maxRegistrations = maxRegistrations;
  }

  /** Listens on {@code host:port} (TLS with the PKCS#12 key store when one is named). */
  public static Future<NetServer> listen(Vertx vertx, BusBridge rules, String host, int port, int frameLimit, int maxRegistrations,
                                         String keystore, String password) {
    NetServerOptions options = new NetServerOptions().setHost(host).setPort(port);
    if (keystore != null && !keystore.isBlank()) {
      options.setSsl(true).setKeyCertOptions(new PfxOptions().setPath(keystore).setPassword(password));
    }
    TcpBridge bridge = new TcpBridge(vertx, rules, frameLimit, maxRegistrations);
    return vertx.createNetServer(options).connectHandler(socket -> bridge.new Connection(socket).start()).listen();
  }

  private final class Connection {
    private final NetSocket socket;
    private final Map<String, MessageConsumer<Object>> registrations = new HashMap<>();
    private Buffer pending = Buffer.buffer();
    private boolean closed;

    Connection(NetSocket socket) {
      this.socket = socket;
    }

    void start() {
      socket.handler(this::data);
      socket.closeHandler(v -> end());
      socket.exceptionHandler(failure -> {
        LOG.fine("TCP bridge connection failed: " + failure);
        socket.close();
      });
    }

    private void data(Buffer chunk) {
      if (closed) return;
      pending.appendBuffer(chunk);
      while (!closed && pending.length() >= 4) {
        long length = pending.getUnsignedInt(0);
        if (length > frameLimit) {
          err(null, 413, "a frame of " + length + " bytes is over the limit of " + frameLimit + "; closing");
          closed = true;
          socket.end();
          return;
        }
        if (pending.length() < 4 + length) return;
        Buffer frame = pending.getBuffer(4, (int) (4 + length));
        pending = pending.getBuffer((int) (4 + length), pending.length());
        frame(frame);
      }
    }

    private void frame(Buffer bytes) {
      JsonObject frame;
      try {
        frame = bytes.toJsonObject();
      } catch (DecodeException | ClassCastException e) {
        err(null, 400, "invalid_json");
        return;
      }
      String type = frame.getValue("type") instanceof String given ? given : null;
      String address = frame.getValue("address") instanceof String given ? given : null;
      JsonObject headers = frame.getValue("headers") instanceof JsonObject given ? given : new JsonObject();
      String replyAddress = frame.getValue("replyAddress") instanceof String given ? given : null;
      if ("ping".equals(type)) {
        write(new JsonObject().put("type", "pong"));
        return;
      }
      if (type == null || address == null) {
        err(null, 400, type == null ? "missing_type" : "missing_address");
        return;
      }
      switch (type) {
        case "send" -> rules.read(address, headers, frame.getValue("body"), socket.remoteAddress(), null).onComplete(done -> {
          if (done.succeeded()) {
            if (replyAddress != null) {
              write(new JsonObject().put("type", "message").put("address", replyAddress).put("send", true)
                .put("headers", new JsonObject()).put("body", done.result()));
            }
          } else {
            Gate.Refused refused = (Gate.Refused) done.cause();
            JsonObject err = new JsonObject().put("type", "err").put("failureCode", refused.status())
              .put("failureType", "RECIPIENT_FAILURE").put("message", refused.getMessage()).put("sourceAddress", address);
            if (replyAddress != null) err.put("address", replyAddress);
            write(err);
          }
        });
        case "publish" -> err(address, 403, "publishing is not open to bridge clients");
        case "register" -> register(address, headers);
        case "unregister" -> {
          MessageConsumer<Object> consumer = registrations.remove(address);
          if (consumer == null) {
            err(address, 404, "unknown_address");
          } else {
            consumer.unregister();
          }
        }
        default -> err(address, 400, "unknown_type");
      }
    }

    private void register(String address, JsonObject headers) {
      if (registrations.containsKey(address)) return;
      if (registrations.size() >= maxRegistrations) {
        err(address, 429, "max_handlers_reached");
        return;
      }
      rules.register(address, headers, socket.remoteAddress(), null).onComplete(done -> {
        if (done.failed()) {
          Gate.Refused refused = (Gate.Refused) done.cause();
          err(address, refused.status(), refused.getMessage());
          return;
        }
        if (closed || registrations.containsKey(address)) return;
        String user = done.result();
        MessageConsumer<Object> consumer = vertx.eventBus().consumer(address);
        consumer.handler(message -> {
          if (socket.writeQueueFull()) {
            // a client that does not read: its events are not queued without bound
            err(address, 503, "the client reads too slowly; closing");
            closed = true;
            socket.close();
            return;
          }
          if (!rules.stillGranted(user, address)) {
            registrations.remove(address);
            consumer.unregister();
            err(address, 404, "Not Found");
            return;
          }
          write(new JsonObject().put("type", "message").put("address", address).put("send", false)
            .put("headers", new JsonObject()).put("body", message.body()));
        });
        registrations.put(address, consumer);
      });
    }

    private void err(String address, int status, String message) {
      JsonObject err = new JsonObject().put("type", "err").put("failureCode", status).put("message", message);
      if (address != null) err.put("address", address);
      write(err);
    }

    private void write(JsonObject frame) {
      if (closed && !"err".equals(frame.getString("type"))) return;
      Buffer json = frame.toBuffer();
      socket.write(Buffer.buffer(4 + json.length()).appendInt(json.length()).appendBuffer(json));
    }

    private void end() {
      closed = true;
      for (MessageConsumer<Object> consumer : new ArrayList<>(registrations.values())) consumer.unregister();
      registrations.clear();
    }
  }
}
