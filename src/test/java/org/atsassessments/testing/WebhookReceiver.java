package org.atsassessments.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A webhook endpoint for tests: an HTTP server on 127.0.0.1 that answers every request 200 and keeps what it got
 * (headers and body), so a test can wait for the deliveries that must arrive.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One request as received. */
  public record Received(String method, String uri, MultiMap headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private WebhookReceiver(Vertx vertx) {
    this.server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(new Received(request.method().name(), request.uri(), MultiMap.caseInsensitiveMultiMap()
        .addAll(request.headers()), body.toString()));
      request.response().setStatusCode(200).end();
    }));
  }

  public static WebhookReceiver start(Vertx vertx) {
    WebhookReceiver receiver = new WebhookReceiver(vertx);
    receiver.server.listen(0, "127.0.0.1").await();
    return receiver;
  }

  public int port() {
    return server.actualPort();
  }

  /** The URL of {@code path} on this receiver ({@code /hook} and the like). */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Waits (at most {@code seconds}) until what was received satisfies {@code until}; answers it. */
  public List<Received> await(String what, Predicate<List<Received>> until, int seconds) {
    return Eventually.await(what, this::received, until, seconds);
  }

  @Override
  public void close() {
    server.close().await();
  }
}
