package org.atsassessments.graphql;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.ops.WorkCounters;
import org.atsassessments.testing.Eventually;
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
import java.util.Set;
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
 * GraphQL subscriptions on a real node, through graphql-ws's own client (npm {@code graphql-ws} over {@code ws},
 * driven by {@code src/test/live/subscribe.cjs}): an order posted over REST arrives with only the selected fields,
 * an order of another account never does, the types filter holds, an order's result resolves on an event; bad or
 * missing credentials close the socket with 4401, a locked-out client with 4429, a foreign Origin is refused; the
 * tenancy matrix of users × accounts, where not granted and unknown look the same; a finished subscription
 * unregisters its bus consumer.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphQLSubscriptionsTest {

  private static final String ALLOWED_ORIGIN = "https://dash.example.test";
  private static final String CREATED = "subscription { assessmentEvents(types: [\"ats_assessments.created\"])"
    + " { id type order { id remoteId candidate { firstName } } } }";
  private static final String EVERYTHING = "subscription { assessmentEvents { type recordType"
    + " order { remoteId result { score { value } } } result { score { value } } package { name } } }";

  private TestService service;
  private NodeClient node;
  private String url;
  private final AtomicInteger ids = new AtomicInteger();

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    service = TestService.start(vertx, TestService.config(dir).with("graphql_ws_allowed_origins", ALLOWED_ORIGIN));
    url = "ws://127.0.0.1:" + service.config.httpPort() + "/graphql";
    node = NodeClient.start("subscribe.cjs");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  /** A new graphql-ws client; answers its name. */
  private String connect(JsonObject params, JsonObject headers, String origin) {
    return connect(url, params, headers, origin);
  }

  private String connect(String url, JsonObject params, JsonObject headers, String origin) {
    String conn = "c" + ids.incrementAndGet();
    node.send(new JsonObject().put("op", "connect").put("conn", conn).put("url", url).put("params", params)
      .put("headers", headers).put("origin", origin));
    return conn;
  }

  private JsonObject connected(String conn) {
    return node.await(conn + " connected or closed", line -> conn.equals(line.getString("conn"))
      && (line.containsKey("connected") || line.containsKey("closed")), 10);
  }

  private String subscribe(String conn, String query) {
    String sub = "s" + ids.incrementAndGet();
    node.send(new JsonObject().put("op", "subscribe").put("conn", conn).put("sub", sub).put("query", query));
    return sub;
  }

  private List<JsonObject> events(String sub) {
    return node.all(line -> sub.equals(line.getString("sub")) && line.containsKey("next")).stream()
      .map(line -> line.getJsonObject("next")).toList();
  }

  private JsonObject event(String sub, String what, java.util.function.Predicate<JsonObject> match) {
    return node.await(what + " on " + sub, line -> sub.equals(line.getString("sub")) && line.containsKey("next")
      && match.test(line.getJsonObject("next")), 10).getJsonObject("next");
  }

  private static String remoteId(JsonObject next) {
    JsonObject order = next.getJsonObject("data").getJsonObject("assessmentEvents").getJsonObject("order");
    return order == null ? null : order.getString("remoteId");
  }

  /**
   * The subscription is live once an order posted after it arrives: posts warm-up orders until one does (the
   * server registers the subscription a moment after the client sent it, and says nothing when it has).
   */
  private void live(String sub, String account) {
    live(service, sub, account);
  }

  private void live(TestService service, String sub, String account) {
    for (int i = 0; i < 50; i++) {
      String warm = "warm-" + sub + "-" + i;
      service.orderIdAs(warm, ALICE, ALICE_PASSWORD, account);
      long until = System.currentTimeMillis() + 200;
      while (System.currentTimeMillis() < until) {
        if (events(sub).stream().anyMatch(next -> warm.equals(remoteId(next)))) return;
        sleep(10);
      }
    }
    throw new AssertionError(sub + " never received an event");
  }

  @Test
  void anOrderPostedOverRestArrivesWithOnlyTheSelectedFieldsAndAForeignAccountsNever() {
    String conn = connect(TestService.credentials(ALICE, ALICE_PASSWORD, ACME), null, null);
    assertTrue(connected(conn).getBoolean("connected", false));
    String created = subscribe(conn, CREATED);
    String everything = subscribe(conn, EVERYTHING);
    live(created, ACME);
    live(everything, ACME);

    // alice is granted globex too, bob only globex: neither's globex orders reach a subscription on acme
    service.orderIdAs("foreign-1", ALICE, ALICE_PASSWORD, GLOBEX);
    service.orderIdAs("foreign-2", BOB, BOB_PASSWORD, GLOBEX);
    long posted = System.currentTimeMillis();
    String id = service.orderIdAs("own-1", ALICE, ALICE_PASSWORD, ACME);
    JsonObject next = event(created, "own-1", event -> "own-1".equals(remoteId(event)));
    long tookMs = System.currentTimeMillis() - posted;
    JsonObject data = next.getJsonObject("data").getJsonObject("assessmentEvents");
    assertEquals(Set.of("id", "type", "order"), data.fieldNames(), "only what was selected: " + next.encode());
    assertEquals("ats_assessments.created", data.getString("type"));
    assertEquals(Set.of("id", "remoteId", "candidate"), data.getJsonObject("order").fieldNames());
    assertEquals(new JsonObject().put("firstName", "Ada"), data.getJsonObject("order").getJsonObject("candidate"));
    assertEquals(id, data.getJsonObject("order").getString("id"));
    System.out.println("GraphQL subscription: own-1 arrived " + tookMs + " ms after its POST was sent");

    // a package event and a result: on the subscription of every type, with the order's result resolved; the
    // created-only one (same account, same bus consumer) gets neither
    HttpResponse<Buffer> put = service.send(HttpMethod.PUT, TestService.PACKAGES + "/live-1", new JsonObject().put("name", "Live test").encode());
    assertEquals(200, put.statusCode(), put.bodyAsString());
    HttpResponse<Buffer> patched = service.patchResult(id, new JsonObject().put("result", new JsonObject().put("value", "passed"))
      .put("score", new JsonObject().put("value", "81")), null);
    assertEquals(200, patched.statusCode(), patched.bodyAsString());
    JsonObject pkg = event(everything, "the package event", event -> "ats_assessments_packages.updated"
      .equals(event.getJsonObject("data").getJsonObject("assessmentEvents").getString("type")));
    assertEquals("Live test", pkg.getJsonObject("data").getJsonObject("assessmentEvents").getJsonObject("package").getString("name"));
    JsonObject updated = event(everything, "the result event", event -> "ats_assessments.updated"
      .equals(event.getJsonObject("data").getJsonObject("assessmentEvents").getString("type")));
    JsonObject result = updated.getJsonObject("data").getJsonObject("assessmentEvents");
    assertEquals("81", result.getJsonObject("result").getJsonObject("score").getString("value"), updated.encode());
    assertEquals("own-1", result.getJsonObject("order").getString("remoteId"), "the result's order, read: " + updated.encode());
    assertEquals("81", result.getJsonObject("order").getJsonObject("result").getJsonObject("score").getString("value"));

    for (JsonObject event : events(created)) {
      JsonObject got = event.getJsonObject("data").getJsonObject("assessmentEvents");
      assertEquals("ats_assessments.created", got.getString("type"), "only the types asked: " + event.encode());
      assertTrue(!remoteId(event).startsWith("foreign"), "no event of another account: " + event.encode());
    }
    for (JsonObject event : events(everything)) {
      String remote = remoteId(event);
      assertTrue(remote == null || !remote.startsWith("foreign"), "no event of another account: " + event.encode());
    }
    node.send(new JsonObject().put("op", "dispose").put("conn", conn));
  }

  /**
   * Subscriptions of one shape are rendered once per event, and the frame a compiled selection writes is what
   * graphql-java gives for the same selection (the fragment below keeps it on graphql-java's path).
   */
  @Test
  void aCompiledSelectionIsRenderedOncePerEventAndAnswersWhatGraphqlJavaAnswers() {
    WorkCounters counters = WorkCounters.of(service.vertx);
    String conn = connect(TestService.credentials(ALICE, ALICE_PASSWORD, GLOBEX), null, null);
    assertTrue(connected(conn).getBoolean("connected", false));
    List<String> compiled = List.of(subscribe(conn, CREATED), subscribe(conn, CREATED), subscribe(conn, CREATED));
    String viaGraphqlJava = subscribe(conn, "subscription { assessmentEvents(types: [\"ats_assessments.created\"]) { ...E } }"
      + " fragment E on AssessmentEvent { id type order { id remoteId candidate { firstName } } }");
    for (String sub : compiled) live(sub, GLOBEX);
    live(viaGraphqlJava, GLOBEX);

    long before = counters.liveEventRenders.get();
    service.orderIdAs("shape-1", ALICE, ALICE_PASSWORD, GLOBEX);
    List<JsonObject> got = new ArrayList<>();
    for (String sub : compiled) got.add(event(sub, "shape-1", next -> "shape-1".equals(remoteId(next))));
    JsonObject reference = event(viaGraphqlJava, "shape-1", next -> "shape-1".equals(remoteId(next)));
    for (JsonObject next : got) assertEquals(reference.encode(), next.encode(), "the same frame, keys in the same order");
    assertEquals(1, counters.liveEventRenders.get() - before, "one render for the three subscriptions of one shape");
    node.send(new JsonObject().put("op", "dispose").put("conn", conn));
  }

  @Test
  void wrongOrMissingCredentialsCloseTheSocketWith4401() {
    List<JsonObject> attempts = List.of(TestService.credentials(ALICE, "wrong", ACME), TestService.credentials(null, null, ACME),
      new JsonObject().put("authorization", "Bearer not-basic").put("x-account-id", ACME));
    for (JsonObject params : attempts) {
      JsonObject closed = connected(connect(params, null, null));
      assertEquals(4401, closed.getInteger("closed"), params.encode() + " → " + closed.encode());
    }
    // the upgrade request's own headers work as well as connectionParams
    JsonObject headers = new JsonObject().put("Authorization", TestService.basic(ALICE, ALICE_PASSWORD)).put("x-account-id", ACME);
    String conn = connect(null, headers, null);
    assertTrue(connected(conn).getBoolean("connected", false));
    String sub = subscribe(conn, CREATED);
    live(sub, ACME);
    node.send(new JsonObject().put("op", "dispose").put("conn", conn));
  }

  @Test
  void aForeignOriginIsRefusedAndAnAllowedOneIsNot() {
    String evil = connect(TestService.credentials(ALICE, ALICE_PASSWORD, ACME), null, "https://evil.example");
    JsonObject refused = node.await("the foreign origin refused", line -> evil.equals(line.getString("conn"))
      && (line.containsKey("connected") || String.valueOf(line.getValue("socketError")).contains("403")
      || String.valueOf(line.getValue("reason")).contains("403")), 10);
    assertTrue(!refused.containsKey("connected"), refused.encode());
    String conn = connect(TestService.credentials(ALICE, ALICE_PASSWORD, ACME), null, ALLOWED_ORIGIN);
    assertTrue(connected(conn).getBoolean("connected", false));
    node.send(new JsonObject().put("op", "dispose").put("conn", conn));
  }

  /**
   * Every user × every account: a granted account subscribes; not granted and unknown give the one NOT_FOUND
   * error (the same message: no existence leak); a disabled account PRECONDITION_FAILED; none named
   * BAD_USER_INPUT. The socket stays open for its other subscriptions.
   */
  @Test
  void tenancyMatrixOfTheSubscription() {
    List<String> messages = new ArrayList<>();
    int cases = 0;
    for (Map.Entry<String, String> user : TestService.USERS.entrySet()) {
      for (String account : List.of(ACME, GLOBEX, DORMANT, "no-such-account")) {
        String conn = connect(TestService.credentials(user.getKey(), user.getValue(), account), null, null);
        assertTrue(connected(conn).getBoolean("connected", false), user.getKey() + " authenticates whatever the account");
        String sub = subscribe(conn, CREATED);
        String expected = !TestService.GRANTS.get(user.getKey()).contains(account) ? "NOT_FOUND"
          : DORMANT.equals(account) ? "PRECONDITION_FAILED" : null;
        if (expected == null) {
          live(sub, account);
        } else {
          JsonObject refused = node.await(sub + " refused", line -> sub.equals(line.getString("sub"))
            && (line.containsKey("next") || line.containsKey("error")), 10);
          JsonArray errors = refused.containsKey("next") ? refused.getJsonObject("next").getJsonArray("errors")
            : refused.getJsonArray("error");
          assertEquals(expected, errors.getJsonObject(0).getJsonObject("extensions").getString("code"),
            user.getKey() + " on " + account + ": " + refused.encode());
          if (expected.equals("NOT_FOUND")) messages.add(errors.getJsonObject(0).getString("message"));
        }
        node.send(new JsonObject().put("op", "dispose").put("conn", conn));
        cases++;
      }
    }
    assertEquals(12, cases);
    assertEquals(1, messages.stream().distinct().count(), "not granted and unknown say the same: " + messages);

    String none = connect(TestService.credentials(ALICE, ALICE_PASSWORD, null), null, null);
    assertTrue(connected(none).getBoolean("connected", false));
    String sub = subscribe(none, CREATED);
    JsonObject refused = node.await(sub + " refused", line -> sub.equals(line.getString("sub")) && line.containsKey("next"), 10);
    assertEquals("BAD_USER_INPUT", refused.getJsonObject("next").getJsonArray("errors").getJsonObject(0)
      .getJsonObject("extensions").getString("code"));
    node.send(new JsonObject().put("op", "dispose").put("conn", none));
  }

  @Test
  void queriesOverTheSocketAndSubscriptionsOverHttpAreRefused() {
    String conn = connect(TestService.credentials(ALICE, ALICE_PASSWORD, ACME), null, null);
    assertTrue(connected(conn).getBoolean("connected", false));
    String sub = subscribe(conn, "{ assessmentPackages { edges { node { id } } } }");
    JsonObject answered = node.await(sub + " answered", line -> sub.equals(line.getString("sub")) && line.containsKey("next"), 10);
    assertEquals("BAD_REQUEST", answered.getJsonObject("next").getJsonArray("errors").getJsonObject(0)
      .getJsonObject("extensions").getString("code"), answered.encode());
    node.send(new JsonObject().put("op", "dispose").put("conn", conn));

    HttpResponse<Buffer> overHttp = service.graphql(CREATED, null);
    JsonObject body = overHttp.bodyAsJsonObject();
    assertEquals("BAD_REQUEST", body.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"),
      overHttp.bodyAsString());
  }

  @Test
  void aFinishedSubscriptionUnregistersItsBusConsumer() {
    WorkCounters counters = WorkCounters.of(service.vertx);
    Eventually.await("no live subscription left by other tests", counters.liveSubscriptions::get, n -> n == 0, 10);
    String conn = connect(TestService.credentials(ALICE, ALICE_PASSWORD, GLOBEX), null, null);
    assertTrue(connected(conn).getBoolean("connected", false));
    String first = subscribe(conn, CREATED);
    String second = subscribe(conn, CREATED);
    live(first, GLOBEX);
    live(second, GLOBEX);
    assertEquals(2, counters.liveSubscriptions.get());
    assertEquals(1, counters.liveEventConsumers.get(), "one bus consumer for the account's two subscriptions");
    node.send(new JsonObject().put("op", "complete").put("sub", first));
    Eventually.await("the completed subscription gone", counters.liveSubscriptions::get, n -> n == 1, 10);
    assertEquals(1, counters.liveEventConsumers.get());
    node.send(new JsonObject().put("op", "dispose").put("conn", conn));  // the socket closes: the last one ends
    Eventually.await("every consumer unregistered", counters.liveEventConsumers::get, n -> n == 0, 10);
    assertEquals(0, counters.liveSubscriptions.get());
  }

  /** Past login_lockout_after failures from one address the socket closes with 4429 (a node of its own: the lockout is per Vert.x). */
  @Test
  void aLockedOutClientIsClosedWith4429(@TempDir Path dir) {
    Vertx vertx = Vertx.vertx();
    try {
      TestService locked = TestService.start(vertx, TestService.config(dir).with("login_lockout_after", 2));
      String lockedUrl = "ws://127.0.0.1:" + locked.config.httpPort() + "/graphql";
      List<Integer> codes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String conn = "c" + ids.incrementAndGet();
        node.send(new JsonObject().put("op", "connect").put("conn", conn).put("url", lockedUrl)
          .put("params", TestService.credentials(ALICE, i < 2 ? "wrong" : ALICE_PASSWORD, ACME)));
        codes.add(connected(conn).getInteger("closed"));
      }
      assertEquals(List.of(4401, 4401, 4429), codes, "the right password too, once locked out");
    } finally {
      vertx.close().await();
    }
  }

  /**
   * The event frames of one flush interval leave in one flush per socket (counted), in order; a frame over a
   * WebSocket frame's 64 KB goes through Vert.x, which splits it, after the frames before it (a node of its own,
   * with a 1 s interval).
   */
  @Test
  void theFramesOfOneFlushIntervalLeaveInOneFlushAndInOrder(@TempDir Path dir) {
    Vertx vertx = Vertx.vertx();
    try {
      TestService coalescing = TestService.start(vertx, TestService.config(dir).with("graphql_ws_flush_ms", 1000));
      WorkCounters counters = WorkCounters.of(vertx);
      String conn = connect("ws://127.0.0.1:" + coalescing.config.httpPort() + "/graphql",
        TestService.credentials(ALICE, ALICE_PASSWORD, ACME), null, null);
      assertTrue(connected(conn).getBoolean("connected", false));
      String sub = subscribe(conn, CREATED);
      live(coalescing, sub, ACME);

      long frames = counters.liveFrames.get(), flushes = counters.liveFlushes.get();
      for (int i = 1; i <= 3; i++) coalescing.orderIdAs("burst-" + i, ALICE, ALICE_PASSWORD, ACME);
      event(sub, "burst-3", next -> "burst-3".equals(remoteId(next)));
      assertEquals(3, counters.liveFrames.get() - frames, "three frames encoded for the socket");
      long flushed = counters.liveFlushes.get() - flushes;
      assertTrue(flushed >= 1 && flushed <= 2, "three frames posted within the interval leave in one or two flushes, not " + flushed);

      // a first name of 70,000 characters: the frame is over 64 KB
      String big = "B".repeat(70_000);
      HttpResponse<Buffer> created = coalescing.postAs(TestService.ORDERS, new JsonObject().put("id", "burst-big")
        .put("candidate", new JsonObject().put("first_name", big)).encode(), ALICE, ALICE_PASSWORD, ACME);
      assertEquals(200, created.statusCode(), created.bodyAsString());
      coalescing.orderIdAs("burst-after", ALICE, ALICE_PASSWORD, ACME);
      event(sub, "burst-after", next -> "burst-after".equals(remoteId(next)));
      List<String> order = events(sub).stream().map(GraphQLSubscriptionsTest::remoteId)
        .filter(remote -> remote.startsWith("burst")).toList();
      assertEquals(List.of("burst-1", "burst-2", "burst-3", "burst-big", "burst-after"), order, "in the order of their commits");
      JsonObject bigEvent = event(sub, "burst-big", next -> "burst-big".equals(remoteId(next)));
      assertEquals(big, bigEvent.getJsonObject("data").getJsonObject("assessmentEvents").getJsonObject("order")
        .getJsonObject("candidate").getString("firstName"));
      node.send(new JsonObject().put("op", "dispose").put("conn", conn));
    } finally {
      vertx.close().await();
    }
  }

  /**
   * A message that is not a JSON object (text, an array, null, binary) closes the socket with 4400, as
   * graphql-transport-ws says, before any credentials and without an unhandled exception in the log.
   */
  @Test
  void aMessageThatIsNotAJsonObjectClosesTheSocketWith4400() {
    io.vertx.core.http.WebSocketClient client = service.vertx.createWebSocketClient();
    try (org.atsassessments.testing.LogRecords unhandled = org.atsassessments.testing.LogRecords.of("io.vertx.core.impl.ContextImpl")) {
      List<Object> messages = List.of("not json at all", "[1,2]", "null", Buffer.buffer("\u0000binary"));
      for (Object message : messages) {
        io.vertx.core.http.WebSocket socket = rawSocket(client, service);
        io.vertx.core.Promise<Short> closed = io.vertx.core.Promise.promise();
        socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode()));
        if (message instanceof Buffer bytes) socket.writeBinaryMessage(bytes); else socket.writeTextMessage((String) message);
        assertEquals((short) 4400, closed.future().timeout(10, java.util.concurrent.TimeUnit.SECONDS).await(), "closed for " + message);
        assertEquals("Invalid message received", socket.closeReason());
      }
      assertEquals(0, unhandled.count(text -> true), "nothing unhandled logged");
    } finally {
      client.close();
    }
  }

  /**
   * A client that stops reading until the server's socket is full, then reads again, gets every event: the frames
   * that waited for the socket go once it takes frames again (a raw graphql-transport-ws client of Vert.x, paused;
   * 200 events of 50 KB are more than loopback's buffers hold; a node of its own, with room for them all waiting).
   */
  @Test
  void aClientThatFallsBehindAndCatchesUpGetsEveryEvent(@TempDir Path dir) {
    Vertx vertx = Vertx.vertx();
    try {
      TestService node = TestService.start(vertx, TestService.config(dir).with("graphql_ws_max_pending_events", 1000));
      WorkCounters counters = WorkCounters.of(vertx);
      io.vertx.core.http.WebSocketClient client = vertx.createWebSocketClient();
      io.vertx.core.http.WebSocket socket = rawSocket(client, node);
      java.util.Set<String> received = java.util.concurrent.ConcurrentHashMap.newKeySet();
      List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
      AtomicInteger acks = new AtomicInteger();
      socket.textMessageHandler(text -> {
        JsonObject message = new JsonObject(text);
        switch (message.getString("type")) {
          case "connection_ack" -> acks.incrementAndGet();
          case "next" -> received.add(message.getJsonObject("payload").getJsonObject("data").getJsonObject("assessmentEvents")
            .getJsonObject("order").getString("remoteId"));
          default -> errors.add(text);
        }
      });
      socket.writeTextMessage(new JsonObject().put("type", "connection_init")
        .put("payload", TestService.credentials(ALICE, ALICE_PASSWORD, ACME)).encode());
      Eventually.await("connection_ack", acks::get, n -> n == 1, 10);
      socket.writeTextMessage(new JsonObject().put("id", "slow").put("type", "subscribe")
        .put("payload", new JsonObject().put("query", CREATED)).encode());
      // live once an order posted after the subscribe arrives
      Eventually.await("the subscription live", () -> {
        node.orderIdAs("warm-slow-" + System.nanoTime(), ALICE, ALICE_PASSWORD, ACME);
        return received.stream().anyMatch(remote -> remote.startsWith("warm-slow-"));
      }, live -> live, 10);

      long waited = counters.liveFramesWaited.get();
      socket.pause();
      String big = "S".repeat(50_000);
      for (int i = 0; i < 200; i++) {
        HttpResponse<Buffer> created = node.postAs(TestService.ORDERS, new JsonObject().put("id", "slow-" + i)
          .put("candidate", new JsonObject().put("first_name", big)).encode(), ALICE, ALICE_PASSWORD, ACME);
        assertEquals(200, created.statusCode(), created.bodyAsString());
      }
      assertTrue(counters.liveFramesWaited.get() > waited, "the server's socket was full: frames waited for it");
      socket.resume();
      Eventually.await("all 200 events", () -> received.stream().filter(remote -> remote.startsWith("slow-")).count(),
        n -> n == 200, 30);
      assertEquals(List.of(), errors, "no error, the subscription still on");
      client.close();
    } finally {
      vertx.close().await();
    }
  }

  /** A plain WebSocket to the node's /graphql with graphql-ws's subprotocol: messages as the test writes them. */
  private static io.vertx.core.http.WebSocket rawSocket(io.vertx.core.http.WebSocketClient client, TestService node) {
    return client.connect(new io.vertx.core.http.WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.config.httpPort())
      .setURI("/graphql").addSubProtocol(GraphQLOverWebSocket.PROTOCOL)).await();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
