package org.atsassessments.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A webhook endpoint for tests (a third party: faked here): a Vert.x HTTP server on 127.0.0.1 that keeps every
 * request it gets (its path, the raw body bytes and every header, as they arrived) and answers 200 after
 * {@code delayMs} (at once by default). A request counts as received
 * once its body is in, whether or not its answer reaches the sender.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One request as it arrived: its path and query, header names in lower case, each with every value it was sent with. */
  public record Delivery(String uri, byte[] body, Map<String, List<String>> headers, long receivedMs) {

    /** The header's one value (a header sent twice fails the test); null when absent. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      if (values == null) return null;
      assertEquals(1, values.size(), name + " sent more than once: " + values);
      return values.get(0);
    }

    public String webhookId() {
      return header("webhook-id");
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonObject json() {
      return new JsonObject(text());
    }
  }

  private final HttpServer server;
  private final List<Delivery> received = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<Delivery> unread = new LinkedBlockingQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  private WebhookReceiver(Vertx vertx, long delayMs) {
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
      .requestHandler(request -> request.body().onSuccess(body -> {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach(header -> headers.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT),
          name -> new ArrayList<>()).add(header.getValue()));
        Delivery delivery = new Delivery(request.uri(), body.getBytes(), headers, System.currentTimeMillis());
        inFlight.incrementAndGet();
        received.add(delivery);
        unread.add(delivery);
        if (delayMs <= 0) {
          answer(request);
        } else {
          vertx.setTimer(delayMs, t -> answer(request));
        }
      }));
  }

  private void answer(HttpServerRequest request) {
    inFlight.decrementAndGet();
    try {
      request.response().setStatusCode(200).end();  // a future that fails when the sender is gone
    } catch (IllegalStateException senderGone) {
      // the connection closed under the request (the sender was killed): nothing to answer
    }
  }

  /** A receiver that answers at once. */
  public static WebhookReceiver start(Vertx vertx) {
    return start(vertx, 0);
  }

  public static WebhookReceiver start(Vertx vertx, long delayMs) {
    WebhookReceiver receiver = new WebhookReceiver(vertx, delayMs);
    receiver.server.listen().await();
    return receiver;
  }

  public String url() {
    return url("/hooks/ats");
  }

  /** The URL of {@code path} on this receiver ({@code /hook} and the like). */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public int port() {
    return server.actualPort();
  }

  /** Requests received and not answered yet. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Everything received so far, in arrival order. */
  public List<Delivery> received() {
    return List.copyOf(received);
  }

  /** Waits (at most {@code seconds}) until what was received satisfies {@code until}; answers it. */
  public List<Delivery> await(String what, java.util.function.Predicate<List<Delivery>> until, int seconds) {
    return Eventually.await(what, this::received, until, seconds);
  }

  /** The next request not yet taken by this method, waiting for it up to {@code seconds}. */
  public Delivery next(int seconds) throws InterruptedException {
    Delivery delivery = unread.poll(seconds, TimeUnit.SECONDS);
    if (delivery == null) fail("no webhook delivery arrived within " + seconds + " s");
    return delivery;
  }

  /** Waits until a request with each of these webhook-ids arrived; answers those still missing at the deadline. */
  public Set<String> awaitIds(Collection<String> ids, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    Set<String> missing = new HashSet<>(ids);
    while (true) {
      for (Delivery delivery : received) missing.remove(delivery.webhookId());
      if (missing.isEmpty() || System.currentTimeMillis() > deadline) return missing;
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    server.close().await();
  }
}
