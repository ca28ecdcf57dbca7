import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not part of the product: what the reply of the hot GET costs on the local event bus in the two shapes the
 * repository contract could have (docs/architecture.md, "the contract"). A generated vertx-service-proxy replies
 * with a data object's JSON tree: Vert.x's JSON codec copies it on local delivery, and REST must encode it
 * for every GET. The hand-written pair replies with the bytes the repository encoded once (and keeps cached),
 * handed over without a copy. Same bus, same order body ({@code src/main/resources/demo/order.json}),
 * 64 requests in flight, after a warm-up.
 *
 * <pre>java -cp target/ats-assessments.jar bench/BusReplyCost.java</pre>
 */
public class BusReplyCost {

  static final int ROUNDS = 400_000;
  static final int IN_FLIGHT = 64;

  public static void main(String[] args) throws Exception {
    JsonObject order = new JsonObject(Files.readString(Path.of("src/main/resources/demo/order.json")));
    JsonObject body = new JsonObject().put("data", order);
    Buffer encoded = body.toBuffer();
    Vertx vertx = Vertx.vertx();
    vertx.eventBus().registerCodec(new SharedBytes());
    vertx.eventBus().consumer("tree", message -> message.reply(body.copy()));  // a data object's toJson(): a fresh tree
    vertx.eventBus().consumer("bytes", message -> message.reply(encoded, new DeliveryOptions().setCodecName("shared-bytes")));
    JsonObject request = new JsonObject().put("account_id", "acme").put("id", "8187e5da-dc77-475e-9949-af0f1fa4e4e3");
    for (int round = 0; round < 3; round++) {
      run(vertx, "tree", request, false);
      run(vertx, "bytes", request, true);
    }
    System.out.printf("reply body %d bytes; %d round trips each, %d in flight%n", encoded.length(), ROUNDS, IN_FLIGHT);
    for (int round = 0; round < 3; round++) {
      report("proxy-style: JSON tree copied on delivery, encoded by the facade", run(vertx, "tree", request, false));
      report("hand-written: bytes encoded once, handed over", run(vertx, "bytes", request, true));
    }
    vertx.close().await();
  }

  record Result(long nanos, long allocated) {
  }

  static void report(String what, Result result) {
    System.out.printf("%-68s %6.0f ns/round trip %7.0f bytes allocated/round trip%n", what,
      (double) result.nanos / ROUNDS, (double) result.allocated / ROUNDS);
  }

  static Result run(Vertx vertx, String address, JsonObject request, boolean bytes) throws Exception {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocatedBefore = allocated(threads);
    long started = System.nanoTime();
    Promise<Void> done = Promise.promise();
    AtomicLong sent = new AtomicLong();
    AtomicLong answered = new AtomicLong();
    vertx.runOnContext(v -> {
      for (int i = 0; i < IN_FLIGHT; i++) next(vertx, address, request, bytes, sent, answered, done);
    });
    done.future().await(2, TimeUnit.MINUTES);
    long nanos = System.nanoTime() - started;
    return new Result(nanos, allocated(threads) - allocatedBefore);
  }

  static void next(Vertx vertx, String address, JsonObject request, boolean bytes, AtomicLong sent, AtomicLong answered,
                   Promise<Void> done) {
    if (sent.incrementAndGet() > ROUNDS) return;
    vertx.eventBus().<Object>request(address, request).onSuccess(reply -> {
      Buffer written = bytes ? (Buffer) reply.body() : ((JsonObject) reply.body()).toBuffer();  // what REST writes
      if (written.length() == 0) throw new IllegalStateException();
      if (answered.incrementAndGet() == ROUNDS) done.complete();
      else next(vertx, address, request, bytes, sent, answered, done);
    });
  }

  static long allocated(com.sun.management.ThreadMXBean threads) {
    long total = 0;
    for (long id : threads.getAllThreadIds()) {
      long bytes = threads.getThreadAllocatedBytes(id);
      if (bytes > 0) total += bytes;
    }
    return total;
  }

  /** A buffer handed over as it is on the local bus (what the service's own codec does). */
  static final class SharedBytes implements MessageCodec<Buffer, Buffer> {
    public void encodeToWire(Buffer wire, Buffer body) {
      wire.appendInt(body.length()).appendBuffer(body);
    }

    public Buffer decodeFromWire(int pos, Buffer wire) {
      return wire.getBuffer(pos + 4, pos + 4 + wire.getInt(pos));
    }

    public Buffer transform(Buffer body) {
      return body;
    }

    public String name() {
      return "shared-bytes";
    }

    public byte systemCodecID() {
      return -1;
    }
  }
}
