import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * The webhook receiver of `make bench` (not part of the product): answers every POST 200 at once and counts it,
 * and for each records, in milliseconds, receive time − event_date (commit to delivery), sent_at − event_date
 * (commit to the attempt's start, inside the service) and receive time − sent_at (the attempt on the wire).
 * One event loop; the service and the receiver read the same clock. Usage:
 *   java -cp target/ats-assessments.jar bench/WebhookReceiver.java <port>
 * GET /reset starts a window (GET /reset?fresh: one that leaves out events dated before it, counted apart as
 * earlier); GET /stats answers the window so far as one line, times in ms:
 *   received seconds per_second p50 p99 max (commit to delivery) queued_p50 queued_p99 wire_p50 wire_p99
 *   malformed earlier total (received since the start, every window)
 */
public class WebhookReceiver {

  private static long[] latency = new long[1 << 16];
  private static long[] queued = new long[1 << 16];
  private static long[] wire = new long[1 << 16];
  private static int count;
  private static int malformed;
  private static int earlier;
  private static long total;
  private static long windowStartNs = System.nanoTime();
  /** Events dated before this are left out of the window (0: none are). */
  private static long freshFromMs;

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    vertx.createHttpServer().requestHandler(request -> {
      if (request.method() == HttpMethod.GET) {
        String answer = request.path().equals("/reset") ? reset(request.params().contains("fresh")) : stats();
        request.response().putHeader("content-type", "text/plain").end(answer + "\n");
        return;
      }
      request.body().onSuccess(body -> {
        long received = System.currentTimeMillis();
        request.response().setStatusCode(200).end();
        record(body, received);
      });
    }).listen(port, "127.0.0.1").await();
    System.out.println("webhook receiver listening on " + port);
  }

  private static void record(Buffer body, long receivedMs) {
    total++;
    String text = body.toString();
    int at = text.indexOf("\"event_date\":\"");  // the event's own field comes before event_data (the record)
    int sent = text.lastIndexOf("\"sent_at\":\"");   // added last, when the attempt is made
    if (at < 0 || sent < 0) {
      malformed++;
      return;
    }
    long eventMs;
    long sentMs;
    try {
      eventMs = Instant.parse(text.substring(at + 14, text.indexOf('"', at + 14))).toEpochMilli();
      sentMs = Instant.parse(text.substring(sent + 11, text.indexOf('"', sent + 11))).toEpochMilli();
    } catch (RuntimeException e) {
      malformed++;
      return;
    }
    if (eventMs < freshFromMs) {
      earlier++;
      return;
    }
    if (count == latency.length) {
      latency = Arrays.copyOf(latency, count * 2);
      queued = Arrays.copyOf(queued, count * 2);
      wire = Arrays.copyOf(wire, count * 2);
    }
    latency[count] = receivedMs - eventMs;
    queued[count] = sentMs - eventMs;
    wire[count] = receivedMs - sentMs;
    count++;
  }

  private static String reset(boolean fresh) {
    count = 0;
    malformed = 0;
    earlier = 0;
    windowStartNs = System.nanoTime();
    freshFromMs = fresh ? System.currentTimeMillis() : 0;
    return "reset";
  }

  private static String stats() {
    double seconds = (System.nanoTime() - windowStartNs) / 1e9;
    long[] t = sorted(latency);
    long[] q = sorted(queued);
    long[] w = sorted(wire);
    return String.format(Locale.ROOT, "%d %.2f %.1f %d %d %d %d %d %d %d %d %d %d", count, seconds, count / seconds,
      at(t, 0.50), at(t, 0.99), count == 0 ? 0 : t[count - 1], at(q, 0.50), at(q, 0.99), at(w, 0.50), at(w, 0.99),
      malformed, earlier, total);
  }

  private static long[] sorted(long[] values) {
    long[] copy = Arrays.copyOf(values, count);
    Arrays.sort(copy);
    return copy;
  }

  /** The value at that rank (nearest rank); 0 when nothing was received. */
  private static long at(long[] sorted, double quantile) {
    if (sorted.length == 0) return 0;
    int rank = (int) Math.ceil(quantile * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
