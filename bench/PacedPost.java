import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The paced load of `make bench` (not part of the product; wrk2 would do it): POSTs new orders, the body of
 * bench/post.lua, at a fixed rate whatever the answers' latency (open loop: a request is due every 1/rate s, late
 * ones are sent at once), as the demo user (BENCH_AUTH, BENCH_ACCOUNT). Usage:
 *   java -cp target/ats-assessments.jar bench/PacedPost.java <port> <per second> <warm-up s> <measured s> [<url>]
 * The url (if any) is read with a GET when the measured window starts (the webhook receiver's /reset). Prints
 * for the measured window: sent per_second p50_ms p99_ms non_2xx errors.
 */
public class PacedPost {

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    double rate = Double.parseDouble(args[1]);
    long warmNs = (long) (Double.parseDouble(args[2]) * 1e9);
    long measuredNs = (long) (Double.parseDouble(args[3]) * 1e9);
    String atMeasure = args.length > 4 ? args[4] : null;
    String auth = System.getenv("BENCH_AUTH");
    String account = System.getenv("BENCH_ACCOUNT");
    String run = Long.toString(System.nanoTime(), 36);

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultHost("127.0.0.1")
      .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(64));
    long[] latencies = new long[(int) Math.ceil(rate * measuredNs / 1e9) + 16];
    int[] state = new int[4];  // measured, non-2xx, errors, sent in all
    long start = System.nanoTime();
    long measureFrom = start + warmNs;
    long end = measureFrom + measuredNs;
    CountDownLatch done = new CountDownLatch(1);
    int[] outstanding = {0};
    boolean[] measuring = {false};
    vertx.runOnContext(v -> vertx.setPeriodic(1, timer -> {
      long now = System.nanoTime();
      if (!measuring[0] && now >= measureFrom) {
        measuring[0] = true;
        if (atMeasure != null) {
          java.net.URI uri = java.net.URI.create(atMeasure);
          String path = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
          client.request(HttpMethod.GET, uri.getPort(), uri.getHost(), path).compose(r -> r.send())
            .onFailure(e -> System.err.println("GET " + atMeasure + " failed: " + e));
        }
      }
      if (now >= end) {
        vertx.cancelTimer(timer);
        if (outstanding[0] == 0) done.countDown();
        return;
      }
      long due = (long) ((now - start) / 1e9 * rate) + 1;
      while (state[3] < due) {
        int n = state[3]++;
        boolean measured = now >= measureFrom;
        String body = "{\"id\":\"paced-" + run + "-" + n + "\",\"package\":{\"id\":\"pkg-1\",\"name\":\"Test 1\"},"
          + "\"candidate\":{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"emails\":[{\"type\":\"personal\",\"value\":\"ada@example.com\"}]},"
          + "\"job\":{\"id\":\"job-1\",\"title\":\"Software Engineer\",\"hiring_team\":[{\"user_id\":\"123456\",\"email\":\"john.doe@example.com\",\"role\":\"Recruiter\"}]}}";
        long sentNs = System.nanoTime();
        outstanding[0]++;
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/unified/ats/assessments/orders")
            .putHeader("content-type", "application/json").putHeader("authorization", auth).putHeader("x-account-id", account))
          .compose(request -> request.send(Buffer.buffer(body)))
          .compose(response -> response.body().map(b -> response.statusCode()))
          .onComplete(answered -> {
            outstanding[0]--;
            if (measured) {
              if (answered.failed()) {
                state[2]++;
              } else {
                if (answered.result() / 100 != 2) state[1]++;
                if (state[0] < latencies.length) latencies[state[0]++] = System.nanoTime() - sentNs;
              }
            }
            if (outstanding[0] == 0 && System.nanoTime() >= end) done.countDown();
          });
      }
    }));
    done.await();
    long[] sorted = Arrays.copyOf(latencies, state[0]);
    Arrays.sort(sorted);
    int measuredCount = state[0] + state[2];
    System.out.printf(Locale.ROOT, "%d %.1f %.2f %.2f %d %d%n", measuredCount, measuredCount / (measuredNs / 1e9),
      at(sorted, 0.50) / 1e6, at(sorted, 0.99) / 1e6, state[1], state[2]);
    vertx.close().await();
  }

  private static long at(long[] sorted, double quantile) {
    if (sorted.length == 0) return 0;
    int rank = (int) Math.ceil(quantile * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
