import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The GraphQL subscribers of `make bench` (not part of the product): opens <connections> WebSockets to /graphql
 * (graphql-transport-ws), <per connection> subscriptions each (default 1) to the account's created orders, as the demo user (BENCH_AUTH,
 * BENCH_ACCOUNT), and records for every event each one receives, in milliseconds, receive time − occurredAt
 * (the commit); events that occurred before the window started are left out (counted as earlier). One event loop; the service and this program read the same clock. Usage:
 *   java -cp target/ats-assessments.jar bench/Subscribers.java <port> <connections> <stats port> [<per connection>]
 * Prints "subscribed <n> in <ms> ms" once every subscription is acknowledged (connection_ack, then its first
 * event proves it live: see the warm-up in run.sh). GET /reset starts a window; GET /stats answers it as one line:
 *   events deliveries missing p50 p99 max malformed earlier   (events: distinct event ids received in the window; missing: events ×
 *   connections − deliveries, so every subscriber receiving every event is 0)
 */
public class Subscribers {

  private static long[] latency = new long[1 << 20];
  private static int count;
  private static final Map<String, Integer> perEvent = new HashMap<>();
  private static int malformed;
  /** Events that occurred before the window started are left out of it (counted as earlier). */
  private static long freshFromMs;
  private static int earlier;

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int connections = Integer.parseInt(args[1]);
    int statsPort = Integer.parseInt(args[2]);
    int perConnection = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    String auth = System.getenv("BENCH_AUTH");
    String account = System.getenv("BENCH_ACCOUNT");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(connections + 10));
    JsonObject init = new JsonObject().put("type", "connection_init")
      .put("payload", new JsonObject().put("authorization", auth).put("x-account-id", account));
    JsonObject subscribe = new JsonObject().put("type", "subscribe").put("payload", new JsonObject()
      .put("query", "subscription { assessmentEvents(types: [\"ats_assessments.created\"]) { id occurredAt order { id remoteId } } }"));
    long started = System.currentTimeMillis();
    List<Future<WebSocket>> opened = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/graphql")
        .addSubProtocol("graphql-transport-ws");
      Future<WebSocket> socket = client.connect(options).compose(ws -> {
        io.vertx.core.Promise<WebSocket> acked = io.vertx.core.Promise.promise();
        ws.textMessageHandler(text -> {
          long received = System.currentTimeMillis();
          if (text.startsWith("{\"type\":\"connection_ack\"")) {
            for (int n = 1; n <= perConnection; n++) ws.writeTextMessage(subscribe.put("id", String.valueOf(n)).encode());
            acked.tryComplete(ws);
          } else {
            record(text, received);
          }
        });
        ws.closeHandler(v -> acked.tryFail("closed " + ws.closeStatusCode()));
        ws.writeTextMessage(init.encode());
        return acked.future();
      });
      opened.add(socket);
      if (i % 50 == 49) Future.join(new ArrayList<>(opened)).await();  // no storm of handshakes
    }
    Future.all(opened).await();
    System.out.println("subscribed " + connections * perConnection + " on " + connections + " connections in " + (System.currentTimeMillis() - started) + " ms");
    vertx.createHttpServer().requestHandler(request -> {
      String answer = request.path().equals("/reset") ? reset() : stats(connections * perConnection);
      request.response().putHeader("content-type", "text/plain").end(answer + "\n");
    }).listen(statsPort, "127.0.0.1").await();
  }

  private static void record(String text, long receivedMs) {
    int at = text.indexOf("\"occurredAt\":\"");
    int id = text.indexOf("\"id\":\"", text.indexOf("\"assessmentEvents\""));
    if (at < 0 || id < 0) {
      malformed++;
      return;
    }
    try {
      long eventMs = Instant.parse(text.substring(at + 14, text.indexOf('"', at + 14))).toEpochMilli();
      if (eventMs < freshFromMs) {
        earlier++;
        return;
      }
      String eventId = text.substring(id + 6, text.indexOf('"', id + 6));
      if (count == latency.length) latency = Arrays.copyOf(latency, count * 2);
      latency[count++] = receivedMs - eventMs;
      perEvent.merge(eventId, 1, Integer::sum);
    } catch (RuntimeException e) {
      malformed++;
    }
  }

  private static String reset() {
    freshFromMs = System.currentTimeMillis();
    earlier = 0;
    count = 0;
    perEvent.clear();
    malformed = 0;
    return "reset";
  }

  private static String stats(int connections) {
    long[] sorted = Arrays.copyOf(latency, count);
    Arrays.sort(sorted);
    long missing = (long) perEvent.size() * connections - count;
    return String.format(Locale.ROOT, "%d %d %d %d %d %d %d %d", perEvent.size(), count, missing, at(sorted, 0.50),
      at(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1], malformed, earlier);
  }

  private static long at(long[] sorted, double quantile) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
  }
}
