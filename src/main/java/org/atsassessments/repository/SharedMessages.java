package org.atsassessments.repository;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.impl.codecs.BufferMessageCodec;
import io.vertx.core.eventbus.impl.codecs.JsonObjectMessageCodec;

/**
 * Event-bus codecs that hand a local message over as is instead of copying it, for messages nobody changes
 * once sent: read requests (built by {@link RepositoryClient} for one send) and replies that are encoded
 * bytes (a cached order's body is the same bytes for every reader; HTTP writes a slice of them). Vert.x's
 * own codecs copy every local message (a 2 KB order body and a JSON tree per GET: a fifth of the bytes a
 * GET allocated). On the wire, between nodes, they are Vert.x's buffer and JSON codecs.
 */
final class SharedMessages {

  static final String BYTES = "ats.shared-bytes";
  static final String JSON = "ats.shared-json";

  private SharedMessages() {
  }

  /** Registers both codecs on this Vert.x instance, once (every node that sends or receives them). */
  static void register(Vertx vertx) {
    // verticles start on several event loops at once: none may go on before the codecs are there
    synchronized (SharedMessages.class) {
      if (vertx.sharedData().getLocalMap("ats.codecs").putIfAbsent("registered", true) != null) return;
      vertx.eventBus().registerCodec(new Shared<>(BYTES, new BufferMessageCodec()));
      vertx.eventBus().registerCodec(new Shared<>(JSON, new JsonObjectMessageCodec()));
    }
  }

  private record Shared<T>(String name, MessageCodec<T, T> wire) implements MessageCodec<T, T> {
    @Override
    public void encodeToWire(Buffer buffer, T message) {
      wire.encodeToWire(buffer, message);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
      return wire.decodeFromWire(pos, buffer);
    }

    @Override
    public T transform(T message) {
      return message;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
