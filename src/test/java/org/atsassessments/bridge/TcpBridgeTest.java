package org.atsassessments.bridge;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.testing.Eventually;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.atsassessments.testing.TestService.ACME;
import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.ALICE_PASSWORD;
import static org.atsassessments.testing.TestService.API_KEY;
import static org.atsassessments.testing.TestService.BOB;
import static org.atsassessments.testing.TestService.BOB_PASSWORD;
import static org.atsassessments.testing.TestService.DORMANT;
import static org.atsassessments.testing.TestService.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TCP event-bus bridge on a real node, through a small client of its framing written here (a 4-byte length,
 * then JSON): the same rules as the SockJS bridge (a read answers what REST answers, the body's account never
 * trusted, own events arrive, another account's address, write actions, publishing and bad credentials refused
 * with a route's status, users × accounts), plus a frame over body_limit_bytes refused and the connection closed,
 * and TLS.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpBridgeTest {

  private static final String REPOSITORY = "ats.assessments.repository";
  private TestService service;
  private int port;
  private final AtomicInteger ids = new AtomicInteger();

  /** A bridge client: frames out, every frame in kept in order. */
  static final class Framed {
    final NetSocket socket;
    final List<JsonObject> frames = new ArrayList<>();
    volatile boolean closed;
    private Buffer pending = Buffer.buffer();

    Framed(NetSocket socket) {
      this.socket = socket;
      socket.handler(chunk -> {
        synchronized (frames) {
          pending.appendBuffer(chunk);
          while (pending.length() >= 4 && pending.length() >= 4 + pending.getInt(0)) {
            int length = pending.getInt(0);
            frames.add(pending.getBuffer(4, 4 + length).toJsonObject());
            pending = pending.getBuffer(4 + length, pending.length());
          }
        }
      });
      socket.closeHandler(v -> closed = true);
    }

    void send(JsonObject frame) {
      Buffer json = frame.toBuffer();
      socket.write(Buffer.buffer().appendInt(json.length()).appendBuffer(json)).await();
    }

    JsonObject await(String what, Predicate<JsonObject> match) {
      return Eventually.await(what, () -> {
        synchronized (frames) {
          return frames.stream().filter(match).findFirst().orElse(null);
        }
      }, found -> found != null, 10);
    }

    List<JsonObject> all(Predicate<JsonObject> match) {
      synchronized (frames) {
        return frames.stream().filter(match).toList();
      }
    }
  }

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) {
    port = TestService.freePort();
    service = TestService.start(vertx, TestService.config(dir).with("bridge_tcp_port", port).with("body_limit_bytes", 65536));
  }

  private Framed connect(Vertx vertx) {
    NetClient client = vertx.createNetClient();
    return new Framed(client.connect(port, "127.0.0.1").await());
  }

  private JsonObject send(Framed client, String address, String action, Object body, JsonObject headers) {
    String reply = "reply-" + ids.incrementAndGet();
    if (action != null) headers = headers.copy().put("action", action);
    client.send(new JsonObject().put("type", "send").put("address", address).put("replyAddress", reply).put("headers", headers)
      .put("body", body));
    return client.await("the answer at " + reply, frame -> reply.equals(frame.getString("address")));
  }

  private static int failureCode(JsonObject frame) {
    return "err".equals(frame.getString("type")) ? frame.getInteger("failureCode", -1) : 200;
  }

  @Test
  void aReadAnswersWhatRestAnswersAndTheBodysAccountIsNeverTrusted(Vertx vertx) {
    String id = service.orderIdAs("tcp-1", ALICE, ALICE_PASSWORD, ACME);
    String globex = service.orderIdAs("tcp-2", BOB, BOB_PASSWORD, GLOBEX);
    Framed client = connect(vertx);
    JsonObject got = send(client, REPOSITORY, "order.get", new JsonObject().put("id", id), TestService.credentials(ALICE, ALICE_PASSWORD, ACME));
    assertEquals("message", got.getString("type"), got.encode());
    assertEquals(service.get(TestService.ORDERS + "/" + id).bodyAsJsonObject(), got.getJsonObject("body"), "what REST answers");
    JsonObject foreign = send(client, REPOSITORY, "order.get", new JsonObject().put("id", globex).put("account_id", GLOBEX),
      TestService.credentials(ALICE, ALICE_PASSWORD, ACME));
    assertEquals(404, failureCode(foreign), foreign.encode());
    client.send(new JsonObject().put("type", "ping"));
    client.await("pong", frame -> "pong".equals(frame.getString("type")));
  }

  @Test
  void ownEventsArriveAndEverythingElseIsRefused(Vertx vertx) {
    Framed client = connect(vertx);
    JsonObject alice = TestService.credentials(ALICE, ALICE_PASSWORD, ACME);
    String own = "ats.assessments.events." + ACME;
    client.send(new JsonObject().put("type", "register").put("address", own).put("headers", alice));
    client.send(new JsonObject().put("type", "register").put("address", "ats.assessments.events." + GLOBEX)
      .put("headers", TestService.credentials(API_KEY, "", ACME)));
    JsonObject refused = client.await("api-key's registration at globex refused", frame -> "err".equals(frame.getString("type"))
      && ("ats.assessments.events." + GLOBEX).equals(frame.getString("address")));
    assertEquals(404, refused.getInteger("failureCode"));

    String arrived = null;
    for (int i = 0; i < 50 && arrived == null; i++) {
      String remote = "tcp-live-" + i;
      service.orderIdAs(remote, ALICE, ALICE_PASSWORD, ACME);
      long until = System.currentTimeMillis() + 200;
      while (System.currentTimeMillis() < until && arrived == null) {
        if (!client.all(frame -> own.equals(frame.getString("address")) && "message".equals(frame.getString("type"))
          && remote.equals(frame.getJsonObject("body").getString("record_remote_id"))).isEmpty()) arrived = remote;
      }
    }
    assertTrue(arrived != null, "an own event arrived");
    service.orderIdAs("tcp-foreign", BOB, BOB_PASSWORD, GLOBEX);
    service.orderIdAs("tcp-last", ALICE, ALICE_PASSWORD, ACME);
    client.await("the last own event", frame -> own.equals(frame.getString("address")) && "message".equals(frame.getString("type"))
      && "tcp-last".equals(frame.getJsonObject("body").getString("record_remote_id")));
    assertEquals(List.of(), client.all(frame -> "message".equals(frame.getString("type")) && frame.getValue("body") instanceof JsonObject body
      && body.containsKey("account_id") && !ACME.equals(body.getString("account_id"))), "no event of another account");

    int before = service.get(TestService.ORDERS + "?page_size=100").bodyAsJsonObject().getJsonArray("data").size();
    assertEquals(403, failureCode(send(client, REPOSITORY, "order.create", new JsonObject().put("order", new JsonObject()), alice)));
    assertEquals(404, failureCode(send(client, "ats.assessments.events." + ACME, "order.get", new JsonObject(), alice)));
    assertEquals(401, failureCode(send(client, REPOSITORY, "order.list", new JsonObject(), TestService.credentials(ALICE, "wrong", ACME))));
    assertEquals(400, failureCode(send(client, REPOSITORY, "order.list", "not an object", alice)));
    client.send(new JsonObject().put("type", "publish").put("address", REPOSITORY).put("headers", alice.copy().put("action", "order.create"))
      .put("body", new JsonObject()));
    assertEquals(403, client.await("the publish refused", frame -> "err".equals(frame.getString("type"))
      && REPOSITORY.equals(frame.getString("address"))).getInteger("failureCode"));
    client.send(new JsonObject().put("type", "bogus").put("address", "x"));
    client.await("an unknown type refused", frame -> "unknown_type".equals(frame.getString("message")));
    assertEquals(before, service.get(TestService.ORDERS + "?page_size=100").bodyAsJsonObject().getJsonArray("data").size());
  }

  /** A frame whose length is over body_limit_bytes: an err frame, the connection closed, before the frame is read. */
  @Test
  void anOversizedFrameIsRefusedAndTheConnectionClosed(Vertx vertx) {
    Framed client = connect(vertx);
    client.socket.write(Buffer.buffer().appendInt(service.config.bodyLimitBytes() + 1).appendString("{\"type\":\"ping\"")).await();
    JsonObject err = client.await("the oversized frame refused", frame -> "err".equals(frame.getString("type")));
    assertEquals(413, err.getInteger("failureCode"), err.encode());
    Eventually.await("the connection closed", () -> client.closed, closed -> closed, 10);
    // a frame at the limit is read
    Framed next = connect(vertx);
    JsonObject ping = new JsonObject().put("type", "ping").put("pad", "x".repeat(service.config.bodyLimitBytes() - 40));
    next.send(ping);
    next.await("pong", frame -> "pong".equals(frame.getString("type")));
  }

  @Test
  void tenancyMatrixOfTheTcpBridge(Vertx vertx) {
    List<String> notFound = new ArrayList<>();
    int cases = 0;
    for (Map.Entry<String, String> user : TestService.USERS.entrySet()) {
      Framed client = connect(vertx);
      for (String account : List.of(ACME, GLOBEX, DORMANT, "no-such-account")) {
        int expected = !TestService.GRANTS.get(user.getKey()).contains(account) ? 404 : DORMANT.equals(account) ? 412 : 200;
        JsonObject headers = TestService.credentials(user.getKey(), user.getValue(), account);
        JsonObject read = send(client, REPOSITORY, "package.list", new JsonObject(), headers);
        assertEquals(expected, failureCode(read), user.getKey() + " on " + account + ": " + read.encode());
        String address = "ats.assessments.events." + account;
        client.send(new JsonObject().put("type", "register").put("address", address).put("headers", headers));
        if (expected != 200) {
          JsonObject refused = client.await("registration refused", frame -> "err".equals(frame.getString("type"))
            && address.equals(frame.getString("address")));
          assertEquals(expected, refused.getInteger("failureCode"));
          if (expected == 404) {
            notFound.add(read.getString("message"));
            notFound.add(refused.getString("message"));
          }
        }
        cases++;
      }
      client.socket.close();
    }
    assertEquals(12, cases);
    assertEquals(1, notFound.stream().distinct().count(), "not granted and unknown say the same: " + notFound);
  }

  @Test
  void overTls(Vertx vertx, @TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("bridge.p12");
    Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-alias", "bridge", "-keyalg", "RSA", "-keysize", "2048",
      "-validity", "2", "-dname", "CN=127.0.0.1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
      "-storepass", "secret-pass", "-keypass", "secret-pass").redirectErrorStream(true).start();
    assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));
    Vertx other = Vertx.vertx();
    try {
      int tlsPort = TestService.freePort();
      TestService.start(other, TestService.config(dir).with("bridge_tcp_port", tlsPort)
        .with("bridge_tcp_tls_keystore", keystore.toString()).with("bridge_tcp_tls_password", "secret-pass"));
      NetClient client = vertx.createNetClient(new NetClientOptions().setSsl(true).setTrustAll(true).setHostnameVerificationAlgorithm(""));
      Framed framed = new Framed(client.connect(tlsPort, "127.0.0.1").await());
      JsonObject listed = send(framed, REPOSITORY, "package.list", new JsonObject(), TestService.credentials(ALICE, ALICE_PASSWORD, ACME));
      assertEquals("message", listed.getString("type"), listed.encode());
      framed.socket.close();
    } finally {
      other.close().await();
    }
  }
}
