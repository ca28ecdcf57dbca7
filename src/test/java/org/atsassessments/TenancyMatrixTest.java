package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.commons.codec.digest.Md5Crypt;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.repository.api.Exchange;
import org.atsassessments.repository.api.NewOrder;
import org.atsassessments.repository.api.PackageWrite;
import org.atsassessments.repository.api.ResultUpdate;
import org.atsassessments.repository.api.Scope;
import org.atsassessments.repository.bus.RepositoryBusClient;
import org.atsassessments.testing.ContractAssertions;
import org.atsassessments.testing.RawHttp;
import org.atsassessments.testing.StoreSnapshot;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.atsassessments.testing.TestService.ACME;
import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.ALICE_PASSWORD;
import static org.atsassessments.testing.TestService.API_KEY;
import static org.atsassessments.testing.TestService.BOB;
import static org.atsassessments.testing.TestService.BOB_PASSWORD;
import static org.atsassessments.testing.TestService.DORMANT;
import static org.atsassessments.testing.TestService.GLOBEX;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.atsassessments.testing.TestService.PACKAGES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenancy, route by route: every user (alice: acme, globex and the disabled dormant; bob: globex; api-key:
 * acme; mallory: nothing; and wrong credentials) against every account (the three, plus the unknown initech),
 * on every REST route and every GraphQL root field, for an id of a record of that account, of a record of
 * another account, and of none. A user reaches exactly the accounts granted to it. A refusal is the same
 * answer, byte for byte (the timestamp aside, which is the clock), whether the record exists or not, and
 * whether the account exists or not; and a refused request writes nothing. Each user, account, route (and id)
 * is a case of its own, so one failure hides none of the others.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenancyMatrixTest {

  private static final String MALLORY = "mallory";
  private static final String EVENTS = "/unified/ats/assessments/events";
  private static final String WEBHOOKS = "/webhooks";
  private static final String INITECH = "initech";
  private static final List<String> ACCOUNTS = List.of(ACME, GLOBEX, DORMANT, INITECH);
  /** user → password; "intruder" has none that works */
  private static final Map<String, String> USERS = new LinkedHashMap<>();
  private static final Map<String, Set<String>> GRANTS = Map.of(ALICE, Set.of(ACME, GLOBEX, DORMANT), BOB, Set.of(GLOBEX),
    API_KEY, Set.of(ACME), MALLORY, Set.of(), "intruder", Set.of());

  static {
    USERS.put(ALICE, ALICE_PASSWORD);
    USERS.put(BOB, BOB_PASSWORD);
    USERS.put(API_KEY, "");
    USERS.put(MALLORY, "mallory-password");
    USERS.put("intruder", "guess");
  }

  private Vertx vertx;
  private TestService service;
  private RawHttp http;
  private StoreSnapshot store;
  /** account → remote ids of its order (with a result) and its package; our id of the order */
  private final Map<String, String> orderIds = new HashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  /** user → the id of its subscription to every account granted to it; "alice-globex": alice's to globex only */
  private final Map<String, String> subscriptions = new LinkedHashMap<>();
  /** subscription label → (account, record id) of each event it received */
  private final Map<String, List<String[]>> received = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  void start() throws IOException {
    vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("tenancy");
    ServiceConfig config = TestService.config(dir).with("rate_limit_per_minute", 1_000_000);
    Files.writeString(Path.of(config.htpasswd()), MALLORY + ":" + Md5Crypt.apr1Crypt("mallory-password") + "\n",
      StandardOpenOption.APPEND);
    service = TestService.start(vertx, config);
    http = new RawHttp(config.httpPort());
    // a webhook receiver (a third party: faked here), and a subscription of each user, one of alice to globex only
    io.vertx.core.http.HttpServer receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      JsonObject event = body.toJsonObject();
      received.computeIfAbsent(request.path().substring("/hook/".length()), label -> new java.util.concurrent.CopyOnWriteArrayList<>())
        .add(new String[] {event.getString("account_id"), event.getString("record_id")});
      request.response().end();
    })).listen(0, "127.0.0.1").await();
    for (String user : List.of(ALICE, BOB, API_KEY, MALLORY)) subscriptions.put(user, subscribe(user, user, receiver.actualPort(), null));
    subscriptions.put("alice-globex", subscribe(ALICE, "alice-globex", receiver.actualPort(), GLOBEX));
    store = StoreSnapshot.open(config);
    // each account (the disabled one too, written behind the edge) has an order with a result, and a package
    RepositoryBusClient repository = new RepositoryBusClient(vertx, 10_000);
    Exchange request = new Exchange("POST", TestService.PUBLIC_URL + ORDERS);
    for (String account : List.of(ACME, GLOBEX, DORMANT)) {
      Scope scope = new Scope(account, null);
      JsonObject order = new JsonObject().put("id", account + "-order").put("candidate", new JsonObject()
        .put("first_name", "Candidate of " + account));
      String id = repository.createOrder(scope, new NewOrder(order, request, null, null)).await().id();
      orderIds.put(account, id);
      repository.updateResult(scope, id, new ResultUpdate(new JsonObject().put("summary", "result of " + account), null,
        request, null)).await();
      repository.putPackage(scope, account + "-pkg", new PackageWrite(new JsonObject().put("name", "Package of " + account),
        request)).await();
    }
  }

  private String subscribe(String user, String label, int port, String account) {
    JsonObject body = new JsonObject().put("url", "http://127.0.0.1:" + port + "/hook/" + label);
    if (account != null) body.put("account_ids", new JsonArray().add(account));
    RawHttp.Response created = http.send(RawHttp.request("POST", WEBHOOKS).json(body.encode())
      .header("Authorization", TestService.basic(user, USERS.get(user))));
    assertEquals(200, created.status(), created.toString());
    return created.json().getJsonObject("data").getString("id");
  }

  @AfterAll
  void stop() {
    System.out.println("tenancy matrix: " + requests + " requests, " + USERS.size() + " users x " + ACCOUNTS.size()
      + " accounts x " + (BY_ID.size() + WITHOUT_ID.size()) + " routes");
    if (store != null) store.close();
    if (vertx != null) vertx.close().await();
  }

  // ---- the routes ------------------------------------------------------------------------------------------------

  /** A route taking a record id; {@code kind} is what the id names (order or package). */
  record Route(String name, String kind, boolean writes, Function<String, RawHttp.Request> request) {
  }

  private static final List<Route> BY_ID = List.of(
    new Route("GET order", "order", false, id -> RawHttp.request("GET", ORDERS + "/" + id + "?fields=id,remote_id,candidate")),
    new Route("GET results", "order", false, id -> RawHttp.request("GET", ORDERS + "/" + id + "/results")),
    new Route("PATCH result", "order", true, id -> RawHttp.request("PATCH", ORDERS + "/" + id + "/result")
      .json("{\"summary\":\"matrix\"}")),
    new Route("GET package", "package", false, id -> RawHttp.request("GET", PACKAGES + "/" + id)),
    new Route("GraphQL assessmentOrder", "order", false, id -> graphql(
      "query($id: ID!) { assessmentOrder(id: $id) { id remoteId candidate { firstName } result { summary } } }", id)),
    new Route("GraphQL assessmentResult", "order", false, id -> graphql(
      "query($id: ID!) { assessmentResult(orderId: $id) { summary candidate { id } } }", id)),
    new Route("GraphQL assessmentPackage", "package", false, id -> graphql(
      "query($id: ID!) { assessmentPackage(id: $id) { id name } }", id)),
    new Route("GraphQL updateAssessmentResult", "order", true, id -> graphql(
      "mutation($id: ID!) { updateAssessmentResult(orderId: $id, input: {summary: \"matrix\"}) { etag } }", id)));

  /** Routes without an id: lists, and creations (PUT of a package id is one: packages are per account). */
  private static final List<Route> WITHOUT_ID = List.of(
    new Route("GET orders", null, false, x -> RawHttp.request("GET", ORDERS + "?page_size=100&fields=id,remote_id")),
    new Route("GET packages", null, false, x -> RawHttp.request("GET", PACKAGES + "?page_size=100")),
    new Route("GET events", null, false, x -> RawHttp.request("GET", EVENTS + "?page_size=100")),
    new Route("POST order", null, true, x -> RawHttp.request("POST", ORDERS).json("{\"id\":\"" + x + "\"}")),
    new Route("PUT package", null, true, x -> RawHttp.request("PUT", PACKAGES + "/" + x).json("{\"name\":\"matrix\"}")),
    new Route("GraphQL assessmentOrders", null, false, x -> graphql(
      "query { assessmentOrders(first: 100) { edges { node { id remoteId } } } }", null)),
    new Route("GraphQL assessmentPackages", null, false, x -> graphql(
      "query { assessmentPackages(first: 100) { edges { node { id name } } } }", null)),
    new Route("GraphQL orderAssessment", null, true, x -> graphql(
      "mutation($id: ID!) { orderAssessment(input: {id: $id}) { id remoteId } }", x)));

  private static RawHttp.Request graphql(String query, String id) {
    JsonObject body = new JsonObject().put("query", query);
    if (id != null) body.put("variables", new JsonObject().put("id", id));
    return RawHttp.request("POST", "/graphql").json(body.encode());
  }

  // ---- the matrix ----------------------------------------------------------------------------------------------

  private RawHttp.Response send(Route route, String id, String user, String account) {
    RawHttp.Request request = route.request().apply(id);
    request.header("Authorization", TestService.basic(user, USERS.get(user)));
    request.header("x-account-id", account);
    requests.incrementAndGet();
    return http.send(request);
  }

  /** What a user gets on an account before any route runs: 401, 404 (not granted or unknown), 412, or null (served). */
  private static Integer refusal(String user, String account) {
    if (user.equals("intruder")) return 401;
    if (!GRANTS.get(user).contains(account)) return 404;
    if (account.equals(DORMANT)) return 412;
    return null;
  }

  /** An id a route is asked for on an account, and what it names there. */
  record Id(String id, String names) {
  }

  /** Ids for a route on an account: its own record, another account's (by remote id and by our id), none. */
  private List<Id> ids(Route route, String account) {
    String other = account.equals(ACME) ? GLOBEX : ACME;
    String suffix = route.kind().equals("order") ? "-order" : "-pkg";
    List<Id> ids = new ArrayList<>(List.of(new Id(account + suffix, account + "'s " + route.kind()),
      new Id(other + suffix, other + "'s " + route.kind() + " by remote id"),
      new Id("never-existed" + suffix, "no " + route.kind())));
    if (route.kind().equals("order")) ids.add(new Id(orderIds.get(other), other + "'s order by our id"));
    return ids;
  }

  /** One case per user, account and route: {@code test} gets the user, the account and what the edge refuses with. */
  private static Stream<DynamicTest> perUserAndAccount(List<Route> routes, String what, CaseTest test) {
    return USERS.keySet().stream().flatMap(user -> ACCOUNTS.stream().flatMap(account -> routes.stream().map(route ->
      DynamicTest.dynamicTest(user + " on " + account + ", " + route.name() + ": " + what,
        () -> test.run(user, account, route, refusal(user, account))))));
  }

  @FunctionalInterface
  interface CaseTest {
    void run(String user, String account, Route route, Integer refused) throws Exception;
  }

  @TestFactory
  Stream<DynamicTest> aUserReachesARecordByIdExactlyWhenItsAccountIsGrantedAndNothingElseWrites() {
    return USERS.keySet().stream().flatMap(user -> ACCOUNTS.stream().flatMap(account -> BY_ID.stream().flatMap(route ->
      ids(route, account).stream().map(id -> DynamicTest.dynamicTest(
        user + " on " + account + ", " + route.name() + " for " + id.names() + " (" + id.id() + ")",
        () -> assertAnsweredById(user, account, route, id.id()))))));
  }

  private void assertAnsweredById(String user, String account, Route route, String id) {
    Integer refused = refusal(user, account);
    StoreSnapshot.Counts before = store.counts();
    RawHttp.Response response = send(route, id, user, account);
    String where = user + " on " + account + ", " + route.name() + " " + id + ": " + response;
    if (refused != null) {
      assertEquals((int) refused, response.status(), where);
      ContractAssertions.assertStackOneError(refused, response.header("content-type"), response.buffer());
      assertEquals(before, store.counts(), "a refused request wrote: " + where);
    } else if (id.startsWith(account)) {
      assertServed(route, account, response, where);
    } else {
      assertNotFound(route, response, where);
      assertEquals(before, store.counts(), "a request for a record it cannot see wrote: " + where);
    }
  }

  @TestFactory
  Stream<DynamicTest> aRefusalOrARecordItCannotSeeIsTheSameAnswerWhateverExists() {
    return perUserAndAccount(BY_ID, "the same answer for every id it may not see", (user, account, route, refused) -> {
      List<Id> ids = ids(route, account);
      // the record of another account and no record at all look the same, and so does a refusal for any
      List<Id> notOwn = refused != null ? ids : ids.subList(1, ids.size());
      List<RawHttp.Response> answers = new ArrayList<>();
      for (Id id : notOwn) answers.add(send(route, id.id(), user, account));
      for (RawHttp.Response response : answers) {
        assertSameBytes(answers.get(0), response, user + " on " + account + ", " + route.name());
      }
      if (refused != null && refused == 404) {
        // not granted looks like an account that does not exist
        RawHttp.Response unknown = send(route, ids.get(0).id(), user, INITECH);
        assertSameBytes(unknown, answers.get(0), user + " on " + account + " vs " + INITECH + ", " + route.name());
      }
    });
  }

  @TestFactory
  Stream<DynamicTest> aListOrACreationReachesOnlyAGrantedAccountAndOnlyItsOwnRecords() {
    return perUserAndAccount(WITHOUT_ID, "only a granted account's own records", (user, account, route, refused) -> {
      StoreSnapshot.Counts before = store.counts();
      String fresh = "matrix-" + user + "-" + account + "-" + WITHOUT_ID.indexOf(route);
      RawHttp.Response response = send(route, fresh, user, account);
      String where = user + " on " + account + ", " + route.name() + ": " + response;
      if (refused != null) {
        assertEquals((int) refused, response.status(), where);
        ContractAssertions.assertStackOneError(refused, response.header("content-type"), response.buffer());
        assertEquals(before, store.counts(), "a refused request wrote: " + where);
        assertSameBytes(send(route, fresh, user, refused == 404 ? INITECH : account), response, where);
      } else {
        assertOnlyOwnRecords(route, account, fresh, response, where);
      }
    });
  }

  // ---- webhooks: a subscription is its owner's, and receives only what its owner may read -------------------------

  /** A route on one subscription; {@code own} whether its owner may use it here (delete and redeliver are tried on others' only). */
  record SubscriptionRoute(String name, boolean own, Function<String, RawHttp.Request> request) {
  }

  private static final List<SubscriptionRoute> ON_SUBSCRIPTION = List.of(
    new SubscriptionRoute("GET webhook", true, id -> RawHttp.request("GET", WEBHOOKS + "/" + id)),
    new SubscriptionRoute("PATCH webhook", true, id -> RawHttp.request("PATCH", WEBHOOKS + "/" + id)
      .json("{\"description\":\"matrix\"}")),
    new SubscriptionRoute("GET deliveries", true, id -> RawHttp.request("GET", WEBHOOKS + "/" + id + "/deliveries")),
    new SubscriptionRoute("rotate secret", false, id -> RawHttp.request("POST", WEBHOOKS + "/" + id + "/rotate-secret")),
    new SubscriptionRoute("redeliver", false, id -> RawHttp.request("POST", WEBHOOKS + "/" + id + "/deliveries/"
      + "00000000-0000-0000-0000-000000000000/redeliver")),
    new SubscriptionRoute("DELETE webhook", false, id -> RawHttp.request("DELETE", WEBHOOKS + "/" + id)));

  private RawHttp.Response sendAs(RawHttp.Request request, String user) {
    request.header("Authorization", TestService.basic(user, USERS.get(user)));
    requests.incrementAndGet();
    return http.send(request);
  }

  @TestFactory
  Stream<DynamicTest> aSubscriptionAndItsDeliveriesAreReachedByItsOwnerOnlyAndAnyOtherLooksUnknown() {
    return USERS.keySet().stream().flatMap(user -> ON_SUBSCRIPTION.stream().map(route -> DynamicTest.dynamicTest(
      user + ", " + route.name() + " on every subscription", () -> {
        StoreSnapshot.Counts before = store.counts();
        RawHttp.Response unknown = sendAs(route.request().apply("whk_never-existed"), user);
        for (Map.Entry<String, String> subscription : subscriptions.entrySet()) {
          String owner = subscription.getKey().startsWith(ALICE) ? ALICE : subscription.getKey();
          if (owner.equals(user) && !route.own()) continue;
          RawHttp.Response response = sendAs(route.request().apply(subscription.getValue()), user);
          String where = user + ", " + route.name() + " on " + subscription.getKey() + "'s subscription: " + response;
          if (user.equals("intruder")) {
            assertEquals(401, response.status(), where);
          } else if (owner.equals(user)) {
            assertEquals(200, response.status(), where);
            continue;
          } else {
            assertEquals(404, response.status(), where);
          }
          ContractAssertions.assertStackOneError(response.status(), response.header("content-type"), response.buffer());
          assertSameBytes(unknown, response, where);
        }
        StoreSnapshot.Counts after = store.counts();
        if (!route.own() || user.equals("intruder")) {
          assertEquals(before.subscriptions(), after.subscriptions(), "a refused request changed subscriptions: " + user);
          assertEquals(before.subscriptionsVersion(), after.subscriptionsVersion(), "a refused request changed subscriptions: " + user);
        }
      })));
  }

  @TestFactory
  Stream<DynamicTest> aSubscriptionNamesOnlyAccountsGrantedToItsCreator() {
    return USERS.keySet().stream().flatMap(user -> ACCOUNTS.stream().map(account -> DynamicTest.dynamicTest(
      user + " subscribes to " + account, () -> {
        StoreSnapshot.Counts before = store.counts();
        String body = new JsonObject().put("url", "http://127.0.0.1:9/never").put("account_ids", new JsonArray().add(account))
          .put("description", "matrix").encode();
        RawHttp.Response response = sendAs(RawHttp.request("POST", WEBHOOKS).json(body), user);
        String where = user + " subscribing to " + account + ": " + response;
        boolean granted = GRANTS.get(user).contains(account);
        if (granted) {
          assertEquals(200, response.status(), where);
          String id = response.json().getJsonObject("data").getString("id");
          assertEquals(200, sendAs(RawHttp.request("DELETE", WEBHOOKS + "/" + id), user).status(), where);
          return;
        }
        assertEquals(user.equals("intruder") ? 401 : 404, response.status(), where);
        ContractAssertions.assertStackOneError(response.status(), response.header("content-type"), response.buffer());
        assertEquals(before, store.counts(), "a refused subscription wrote: " + where);
        String unknown = new JsonObject().put("url", "http://127.0.0.1:9/never").put("account_ids", new JsonArray().add(INITECH))
          .put("description", "matrix").encode();
        assertSameBytes(sendAs(RawHttp.request("POST", WEBHOOKS).json(unknown), user), response, where);
      })));
  }

  @org.junit.jupiter.api.Test
  void aSubscriptionReceivesTheEventsOfTheAccountsItsOwnerMayReadAndNoOthers() throws InterruptedException {
    Map<String, String> posted = new HashMap<>();
    for (String account : List.of(ACME, GLOBEX)) {
      RawHttp.Response created = send(WITHOUT_ID.stream().filter(r -> r.name().equals("POST order")).findFirst().orElseThrow(),
        "deliveries-" + account, ALICE, account);
      assertEquals(200, created.status(), created.toString());
      posted.put(account, created.json().getString("id"));
    }
    // who should get each: the user's grants (the disabled account's events go to nobody), narrowed by account_ids
    Map<String, Set<String>> covered = Map.of(ALICE, Set.of(ACME, GLOBEX), BOB, Set.of(GLOBEX), API_KEY, Set.of(ACME),
      MALLORY, Set.of(), "alice-globex", Set.of(GLOBEX));
    long deadline = System.currentTimeMillis() + 10_000;
    for (Map.Entry<String, Set<String>> expected : covered.entrySet()) {
      for (String account : expected.getValue()) {
        String record = posted.get(account);
        while (received.getOrDefault(expected.getKey(), List.of()).stream().noneMatch(event -> event[1].equals(record))) {
          assertTrue(System.currentTimeMillis() < deadline, expected.getKey() + " never received the order on " + account);
          Thread.sleep(20);
        }
      }
    }
    // what arrived for each subscription so far (the matrix's own writes included) is of its accounts only
    for (Map.Entry<String, Set<String>> expected : covered.entrySet()) {
      for (String[] event : received.getOrDefault(expected.getKey(), List.of())) {
        assertTrue(expected.getValue().contains(event[0]), expected.getKey() + " received an event of " + event[0]);
      }
      JsonObject deliveries = sendAs(RawHttp.request("GET", WEBHOOKS + "/" + subscriptions.get(expected.getKey())
        + "/deliveries?page_size=100"), expected.getKey().startsWith(ALICE) ? ALICE : expected.getKey()).json();
      for (Object delivery : deliveries.getJsonArray("data")) {
        assertTrue(expected.getValue().contains(((JsonObject) delivery).getString("account_id")),
          expected.getKey() + " has a delivery of another account: " + delivery);
      }
    }
  }

  private void assertServed(Route route, String account, RawHttp.Response response, String where) {
    assertEquals(200, response.status(), where);
    JsonObject body = response.json();
    if (route.name().startsWith("GraphQL")) {
      assertNull(body.getValue("errors"), where);
      JsonObject data = body.getJsonObject("data");
      JsonObject record = data.getJsonObject(data.fieldNames().iterator().next());
      assertNotNull(record, where);
      if (route.name().endsWith("Order")) {
        assertEquals("Candidate of " + account, record.getJsonObject("candidate").getString("firstName"), where);
      }
      if (route.name().endsWith("Package")) assertEquals("Package of " + account, record.getString("name"), where);
    } else if (route.writes()) {
      assertEquals("Record updated successfully.", body.getString("message"), where);
    } else if (route.kind().equals("package")) {
      assertEquals("Package of " + account, body.getJsonObject("data").getString("name"), where);
    } else {
      assertEquals(account + "-order", body.getJsonObject("data").getString("remote_id"), where);
    }
  }

  private static void assertNotFound(Route route, RawHttp.Response response, String where) {
    if (route.name().startsWith("GraphQL")) {
      assertEquals(200, response.status(), where);
      JsonObject body = response.json();
      JsonObject error = body.getJsonArray("errors").getJsonObject(0);
      assertEquals("NOT_FOUND", error.getJsonObject("extensions").getString("code"), where);
      JsonObject data = body.getJsonObject("data");
      // null, or {field: null} where the field is nullable
      assertTrue(data == null || data.stream().allMatch(field -> field.getValue() == null), where);
    } else {
      assertEquals(404, response.status(), where);
      ContractAssertions.assertStackOneError(404, response.header("content-type"), response.buffer());
    }
  }

  /** Lists hold the account's records only; a creation lands in the account and leaves the others alone. */
  private void assertOnlyOwnRecords(Route route, String account, String fresh, RawHttp.Response response, String where) {
    assertEquals(200, response.status(), where);
    JsonObject body = response.json();
    assertNull(body.getValue("errors"), where);
    JsonArray items = new JsonArray();
    if (route.name().equals("GET events")) {
      assertTrue(!body.getJsonArray("data").isEmpty(), "the account's own events are listed: " + where);
      for (Object event : body.getJsonArray("data")) {
        assertEquals(account, ((JsonObject) event).getString("account_id"), "another account's event in the feed: " + where);
      }
      return;
    }
    if (route.name().equals("GET orders") || route.name().equals("GET packages")) items = body.getJsonArray("data");
    if (route.name().startsWith("GraphQL assessment")) {
      JsonObject connection = body.getJsonObject("data").getJsonObject(route.name().substring("GraphQL ".length()));
      for (Object edge : connection.getJsonArray("edges")) items.add(((JsonObject) edge).getJsonObject("node"));
    }
    for (Object item : items) {
      JsonObject record = (JsonObject) item;
      String remoteId = record.getString(route.name().startsWith("GraphQL") ? "remoteId" : "remote_id");
      String id = record.getString("id");
      boolean own = remoteId != null && (remoteId.startsWith(account + "-") || remoteId.startsWith("matrix-"))
        || id.startsWith(account + "-") || id.startsWith("matrix-");
      assertTrue(own, "a record of another account in the list: " + record.encode() + " for " + where);
      assertTrue(!orderIds.containsValue(id) || id.equals(orderIds.get(account)), where);
      if (remoteId != null && remoteId.startsWith("matrix-")) {
        assertTrue(remoteId.contains("-" + account + "-"), "another account's creation in the list: " + where);
      }
    }
  }

  /**
   * Every answer has its own request id (X-Request-Id), and tells the caller what is left of its rate limit
   * (RateLimit-Remaining, RateLimit-Reset: counted per credential, whatever was asked); the rest of the headers
   * must match, RateLimit-Limit included.
   */
  private static java.util.Map<String, String> withoutRequestId(java.util.Map<String, String> headers) {
    java.util.Map<String, String> rest = new java.util.LinkedHashMap<>(headers);
    rest.remove("x-request-id");
    assertTrue(rest.remove("ratelimit-remaining") != null && rest.remove("ratelimit-reset") != null, "RateLimit headers: " + headers);
    return rest;
  }

  /** Same status, same headers, same body bytes, except the value of "timestamp" and the request id. */
  private static void assertSameBytes(RawHttp.Response expected, RawHttp.Response actual, String where) {
    assertEquals(expected.status(), actual.status(), where);
    assertEquals(withoutRequestId(expected.headers()), withoutRequestId(actual.headers()), where);
    assertArrayEquals(masked(expected), masked(actual), () -> where + ":\n  " + expected + "\n  " + actual);
  }

  private static byte[] masked(RawHttp.Response response) {
    return response.text().replaceAll("\"timestamp\":\"[^\"]*\"", "\"timestamp\":\"…\"").getBytes();
  }
}
