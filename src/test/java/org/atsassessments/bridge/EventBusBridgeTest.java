package org.atsassessments.bridge;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.testing.NodeClient;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.AfterAll;
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
 * The SockJS event-bus bridge at /eventbus on a real node, through Vert.x's own client (npm
 * {@code @vertx/eventbus-bridge-client.js}, driven by {@code src/test/live/bridge.cjs}): {@code order.get} of an own
 * order answers what REST answers; the body's {@code account_id} is never trusted; the events of an own account
 * arrive, another account's address is refused and its events never arrive; write actions, other addresses,
 * publishing and wrong credentials are refused, each with the status an HTTP route would answer; the tenancy
 * matrix of users × accounts for both reads and registrations, where not granted and unknown look the same.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventBusBridgeTest {

  private static final String REPOSITORY = "ats.assessments.repository";
  private TestService service;
  private NodeClient node;
  private String url;
  private final AtomicInteger ids = new AtomicInteger();

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    service = TestService.start(vertx, TestService.config(dir));
    url = "http://127.0.0.1:" + service.config.httpPort() + "/eventbus";
    node = NodeClient.start("bridge.cjs");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private String connect() {
    String conn = "b" + ids.incrementAndGet();
    node.send(new JsonObject().put("op", "connect").put("conn", conn).put("url", url));
    node.await(conn + " open", line -> conn.equals(line.getString("conn")) && line.containsKey("open"), 10);
    return conn;
  }

  /** A request-reply over the bridge: the line with its reply or error. */
  private JsonObject send(String conn, String address, String action, JsonObject body, JsonObject headers) {
    String id = "r" + ids.incrementAndGet();
    if (action != null) headers = headers.copy().put("action", action);
    node.send(new JsonObject().put("op", "send").put("conn", conn).put("id", id).put("address", address).put("body", body)
      .put("headers", headers));
    return node.await("the reply to " + id, line -> id.equals(line.getString("id")), 10);
  }

  private String register(String conn, String address, JsonObject headers) {
    String id = "h" + ids.incrementAndGet();
    node.send(new JsonObject().put("op", "register").put("conn", conn).put("id", id).put("address", address).put("headers", headers));
    return id;
  }

  private static int failureCode(JsonObject line) {
    return line.getJsonObject("error", new JsonObject()).getInteger("failureCode", -1);
  }

  @Test
  void orderGetAnswersWhatRestAnswersAndTheBodysAccountIsNeverTrusted() {
    String id = service.orderIdAs("bridge-1", ALICE, ALICE_PASSWORD, ACME);
    String globex = service.orderIdAs("bridge-2", BOB, BOB_PASSWORD, GLOBEX);
    String conn = connect();
    JsonObject got = send(conn, REPOSITORY, "order.get", new JsonObject().put("id", id), TestService.credentials(ALICE, ALICE_PASSWORD, ACME));
    JsonObject rest = service.get(TestService.ORDERS + "/" + id).bodyAsJsonObject();
    assertEquals(rest, got.getJsonObject("reply"), "the same values as REST: " + got.encode());

    JsonObject listed = send(conn, REPOSITORY, "order.list", new JsonObject().put("page_size", 100), TestService.credentials(ALICE, ALICE_PASSWORD, ACME));
    assertTrue(listed.getJsonObject("reply").getJsonArray("data").stream().map(JsonObject.class::cast)
      .anyMatch(order -> id.equals(order.getString("id"))), listed.encode());
    // an account_id in the body names bob's account: the checked x-account-id wins, so globex's order is not found
    JsonObject foreign = send(conn, REPOSITORY, "order.get", new JsonObject().put("id", globex).put("account_id", GLOBEX),
      TestService.credentials(ALICE, ALICE_PASSWORD, ACME));
    assertEquals(404, failureCode(foreign), foreign.encode());
    node.send(new JsonObject().put("op", "close").put("conn", conn));
  }

  @Test
  void theEventsOfAnOwnAccountArriveAndAnotherAccountsAddressIsRefused() {
    String conn = connect();
    String own = register(conn, "ats.assessments.events." + ACME, TestService.credentials(ALICE, ALICE_PASSWORD, ACME));
    // bob is not granted acme: refused at its address, told to its handler
    String refusedConn = connect();
    String refused = register(refusedConn, "ats.assessments.events." + ACME, TestService.credentials(BOB, BOB_PASSWORD, GLOBEX));
    JsonObject refusal = node.await("bob's registration refused", line -> refused.equals(line.getString("id")) && line.containsKey("error"), 10);
    assertEquals(404, failureCode(refusal), refusal.encode());

    // the registration is live once an order posted after it arrives
    String arrived = null;
    for (int i = 0; i < 50 && arrived == null; i++) {
      String remote = "bridge-live-" + i;
      service.orderIdAs(remote, ALICE, ALICE_PASSWORD, ACME);
      long until = System.currentTimeMillis() + 200;
      while (System.currentTimeMillis() < until && arrived == null) {
        if (!node.all(line -> own.equals(line.getString("id")) && line.containsKey("message")
          && remote.equals(line.getJsonObject("message").getString("record_remote_id"))).isEmpty()) arrived = remote;
      }
    }
    assertTrue(arrived != null, "an own account's event arrived");
    JsonObject event = node.await("the event", line -> own.equals(line.getString("id")) && line.containsKey("message"), 1)
      .getJsonObject("message");
    assertEquals(ACME, event.getString("account_id"));
    assertEquals("ats_assessments.created", event.getString("event"));
    // globex's orders never reach the acme registration, and nothing reached bob's refused one
    service.orderIdAs("bridge-foreign", BOB, BOB_PASSWORD, GLOBEX);
    String last = "bridge-last";
    service.orderIdAs(last, ALICE, ALICE_PASSWORD, ACME);
    node.await("the last own event", line -> own.equals(line.getString("id")) && line.containsKey("message")
      && last.equals(line.getJsonObject("message").getString("record_remote_id")), 10);
    assertEquals(List.of(), node.all(line -> own.equals(line.getString("id")) && line.containsKey("message")
      && !ACME.equals(line.getJsonObject("message").getString("account_id"))));
    assertEquals(List.of(), node.all(line -> refused.equals(line.getString("id")) && line.containsKey("message")));
    node.send(new JsonObject().put("op", "close").put("conn", conn));
    node.send(new JsonObject().put("op", "close").put("conn", refusedConn));
  }

  @Test
  void writesOtherAddressesPublishingAndBadCredentialsAreRefused() {
    String conn = connect();
    JsonObject alice = TestService.credentials(ALICE, ALICE_PASSWORD, ACME);
    int before = orders();
    JsonObject write = send(conn, REPOSITORY, "order.create", new JsonObject().put("order", new JsonObject().put("id", "by-bridge")), alice);
    assertEquals(403, failureCode(write), write.encode());
    assertEquals(403, failureCode(send(conn, REPOSITORY, "result.update", new JsonObject().put("order_id", "x"), alice)));
    assertEquals(403, failureCode(send(conn, REPOSITORY, null, new JsonObject(), alice)), "no action");
    for (String address : List.of("ats.assessments.repository.node.x", "ats.assessments.events." + ACME, "ats.cluster.member-left",
      "anything")) {
      assertEquals(404, failureCode(send(conn, address, "order.get", new JsonObject().put("id", "x"), alice)), address);
    }
    assertEquals(401, failureCode(send(conn, REPOSITORY, "order.list", new JsonObject(), TestService.credentials(ALICE, "wrong", ACME))));
    assertEquals(401, failureCode(send(conn, REPOSITORY, "order.list", new JsonObject(), TestService.credentials(null, null, ACME))));
    assertEquals(400, failureCode(send(conn, REPOSITORY, "order.list", new JsonObject(), TestService.credentials(ALICE, ALICE_PASSWORD, null))));
    assertEquals(400, failureCode(send(conn, REPOSITORY, "order.get", null, alice)), "a read without its id");
    // a publish (to any address) and a registration at another address are refused too
    node.send(new JsonObject().put("op", "publish").put("conn", conn).put("address", REPOSITORY)
      .put("body", new JsonObject().put("account_id", ACME)).put("headers", alice.copy().put("action", "order.create")));
    node.await("the publish refused", line -> conn.equals(line.getString("conn")) && line.containsKey("err"), 10);
    String other = register(conn, "ats.assessments.repository", alice);
    assertEquals(404, failureCode(node.await("a registration elsewhere refused", line -> other.equals(line.getString("id"))
      && line.containsKey("error"), 10)));
    assertEquals(before, orders(), "nothing written");
    node.send(new JsonObject().put("op", "close").put("conn", conn));
  }

  /** A frame sent by XHR must declare its length, at most body_limit_bytes (over WebSocket the server's message limit holds). */
  @Test
  void anXhrFrameOverTheBodyLimitOrWithoutALengthIsRefused() {
    String path = "/eventbus/000/abcdefgh/xhr_send";
    HttpResponse<Buffer> large = service.client.post(path).putHeader("Content-Type", "text/plain")
      .sendBuffer(Buffer.buffer("x".repeat(service.config.bodyLimitBytes() + 1))).await();
    assertEquals(413, large.statusCode(), large.bodyAsString());
    io.vertx.core.http.HttpClient http = service.vertx.createHttpClient();
    int chunked = http.request(io.vertx.core.http.HttpMethod.POST, service.config.httpPort(), "127.0.0.1", path)
      .compose(request -> request.setChunked(true).send(Buffer.buffer("[\"frame\"]")))
      .map(io.vertx.core.http.HttpClientResponse::statusCode).await();
    assertEquals(411, chunked, "a frame without a declared length");
    http.close().await();
  }

  private int orders() {
    return service.get(TestService.ORDERS + "?page_size=100").bodyAsJsonObject().getJsonArray("data").size();
  }

  /**
   * Every user × every account, for a read and for a registration: granted works; not granted and unknown are
   * the one 404 (the same message), disabled 412.
   */
  @Test
  void tenancyMatrixOfTheBridge() {
    List<String> notFound = new ArrayList<>();
    int cases = 0;
    for (Map.Entry<String, String> user : TestService.USERS.entrySet()) {
      // a socket per user: the client sends one registration per address and socket
      String conn = connect();
      for (String account : List.of(ACME, GLOBEX, DORMANT, "no-such-account")) {
        int expected = !TestService.GRANTS.get(user.getKey()).contains(account) ? 404 : DORMANT.equals(account) ? 412 : 200;
        JsonObject headers = TestService.credentials(user.getKey(), user.getValue(), account);
        JsonObject read = send(conn, REPOSITORY, "package.list", new JsonObject(), headers);
        String registration = register(conn, "ats.assessments.events." + account, headers);
        if (expected == 200) {
          assertTrue(read.containsKey("reply"), user.getKey() + " on " + account + ": " + read.encode());
        } else {
          assertEquals(expected, failureCode(read), user.getKey() + " on " + account + ": " + read.encode());
          JsonObject refused = node.await("registration of " + user.getKey() + " at " + account + " refused",
            line -> registration.equals(line.getString("id")) && line.containsKey("error"), 10);
          assertEquals(expected, failureCode(refused), refused.encode());
          if (expected == 404) {
            notFound.add(read.getJsonObject("error").getString("message"));
            notFound.add(refused.getJsonObject("error").getString("message"));
          }
        }
        cases++;
      }
      node.send(new JsonObject().put("op", "close").put("conn", conn));
    }
    assertEquals(12, cases);
    assertEquals(1, notFound.stream().distinct().count(), "not granted and unknown say the same: " + notFound);
  }
}
