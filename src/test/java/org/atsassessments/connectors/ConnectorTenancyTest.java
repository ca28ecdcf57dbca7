package org.atsassessments.connectors;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.testing.ConnectorAccounts;
import org.atsassessments.testing.StoreSnapshot;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.atsassessments.testing.ConnectorAccounts.DISABLED_GREENHOUSE;
import static org.atsassessments.testing.ConnectorAccounts.DISABLED_TEAMTAILOR;
import static org.atsassessments.testing.ConnectorAccounts.GREENHOUSE;
import static org.atsassessments.testing.ConnectorAccounts.GREENHOUSE_KEY;
import static org.atsassessments.testing.ConnectorAccounts.OTHER_GREENHOUSE;
import static org.atsassessments.testing.ConnectorAccounts.OTHER_GREENHOUSE_KEY;
import static org.atsassessments.testing.ConnectorAccounts.OTHER_TEAMTAILOR;
import static org.atsassessments.testing.ConnectorAccounts.OTHER_TEAMTAILOR_KEY;
import static org.atsassessments.testing.ConnectorAccounts.TEAMTAILOR;
import static org.atsassessments.testing.ConnectorAccounts.TEAMTAILOR_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenancy of the connector doors, case by case: every credential (each account's ATS key, a vendor's Basic
 * credentials, none, a wrong one) against every account (the connector accounts of both ATSs, a disabled
 * one holding a live key, a native account, an unknown one) on every connector endpoint, for the id of an
 * order of that account, of another account, and of none. Exactly the account's own key, on its own ATS's
 * routes, is served; a refusal is the same answer byte for byte whether the account (or the order) exists or
 * not; a refused write stores nothing. The rules are the edge's, not the store's: run on the embedded store
 * only (pom.xml).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectorTenancyTest {

  private static final List<String> ACCOUNTS = List.of(GREENHOUSE, OTHER_GREENHOUSE, DISABLED_GREENHOUSE, TEAMTAILOR, OTHER_TEAMTAILOR,
    DISABLED_TEAMTAILOR, TestService.ACME, "initech");
  /** credential label → Authorization header (null: none) */
  private static final Map<String, String> CREDENTIALS = new LinkedHashMap<>();
  /** credential label → the accounts whose key it is */
  private static final Map<String, List<String>> KEY_OF = Map.of(
    "greenhouse-key", List.of(GREENHOUSE, DISABLED_GREENHOUSE), "other-greenhouse-key", List.of(OTHER_GREENHOUSE),
    "teamtailor-key", List.of(TEAMTAILOR, DISABLED_TEAMTAILOR), "other-teamtailor-key", List.of(OTHER_TEAMTAILOR));

  static {
    CREDENTIALS.put("greenhouse-key", ConnectorAccounts.greenhouseAuth(GREENHOUSE_KEY));
    CREDENTIALS.put("other-greenhouse-key", ConnectorAccounts.greenhouseAuth(OTHER_GREENHOUSE_KEY));
    CREDENTIALS.put("teamtailor-key", "Bearer " + TEAMTAILOR_KEY);
    CREDENTIALS.put("other-teamtailor-key", "Bearer " + OTHER_TEAMTAILOR_KEY);
    CREDENTIALS.put("vendor-basic", TestService.basic(TestService.ALICE, TestService.ALICE_PASSWORD));
    CREDENTIALS.put("greenhouse-key-as-bearer", "Bearer " + GREENHOUSE_KEY);
    CREDENTIALS.put("teamtailor-key-as-basic", ConnectorAccounts.greenhouseAuth(TEAMTAILOR_KEY));
    CREDENTIALS.put("wrong", ConnectorAccounts.greenhouseAuth("guess"));
    CREDENTIALS.put("none", null);
  }

  private Vertx vertx;
  private TestService service;
  private ServiceConfig config;
  /** account → the partner_interview_id of its order */
  private final Map<String, String> orders = new LinkedHashMap<>();

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("connector-tenancy");
    config = TestService.config(dir).with("rate_limit_per_minute", 1_000_000);
    ConnectorAccounts.write(dir);
    service = TestService.start(vertx, config);
    for (String[] owner : new String[][] {{GREENHOUSE, TestService.ALICE, TestService.ALICE_PASSWORD},
      {OTHER_GREENHOUSE, TestService.BOB, TestService.BOB_PASSWORD}, {TEAMTAILOR, TestService.ALICE, TestService.ALICE_PASSWORD},
      {OTHER_TEAMTAILOR, TestService.BOB, TestService.BOB_PASSWORD}}) {
      HttpResponse<Buffer> put = service.client.request(HttpMethod.PUT, "/unified/ats/assessments/packages/pkg")
        .putHeader("Authorization", TestService.basic(owner[1], owner[2])).putHeader("x-account-id", owner[0])
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(new JsonObject().put("name", "Test").encode())).await();
      assertEquals(200, put.statusCode(), put.bodyAsString());
    }
    for (String[] account : new String[][] {{GREENHOUSE, GREENHOUSE_KEY}, {OTHER_GREENHOUSE, OTHER_GREENHOUSE_KEY}}) {
      HttpResponse<Buffer> sent = send(HttpMethod.POST, "/connectors/greenhouse/" + account[0] + "/send_test",
        ConnectorAccounts.greenhouseAuth(account[1]), GreenhouseConnectorTest.sendTest("tenancy-" + account[0], "pkg").encode());
      assertEquals(200, sent.statusCode(), sent.bodyAsString());
      orders.put(account[0], sent.bodyAsJsonObject().getString("partner_interview_id"));
    }
  }

  @AfterAll
  void stop() {
    vertx.close().await();
  }

  private HttpResponse<Buffer> send(HttpMethod method, String uri, String authorization, String body) {
    HttpRequest<Buffer> request = service.client.request(method, uri);
    if (authorization != null) request.putHeader("Authorization", authorization);
    if (body != null && uri.endsWith("/webhook")) {
      // signed as Teamtailor signs for alice's account (the account without a signing secret ignores it)
      String event = new JsonObject(body).getJsonObject("partner-event").getString("id");
      request.putHeader("Teamtailor-Signature", TeamtailorConnectorTest.signature(ConnectorAccounts.TEAMTAILOR_SIGNING_SECRET,
        System.currentTimeMillis() / 1000, event));
    }
    return body == null ? request.send().await()
      : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await();
  }

  /** One endpoint: its ATS, method, path under the account, and body (a write when it has one). */
  private record Endpoint(String ats, HttpMethod method, String path, String body) {
  }

  private List<Endpoint> endpoints(String account, String fresh) {
    List<Endpoint> all = new ArrayList<>();
    all.add(new Endpoint("greenhouse", HttpMethod.GET, "/list_tests", null));
    for (String id : new String[] {orders.getOrDefault(account, "none"), orders.get(OTHER_GREENHOUSE), orders.get(GREENHOUSE), "no-such-order"}) {
      all.add(new Endpoint("greenhouse", HttpMethod.GET, "/test_status?partner_interview_id=" + id, null));
    }
    all.add(new Endpoint("greenhouse", HttpMethod.POST, "/send_test", GreenhouseConnectorTest.sendTest(fresh, "pkg").encode()));
    all.add(new Endpoint("greenhouse", HttpMethod.POST, "/response_error", new JsonObject().put("api_call", "list_tests").encode()));
    all.add(new Endpoint("teamtailor", HttpMethod.GET, "/config", null));
    all.add(new Endpoint("teamtailor", HttpMethod.POST, "/webhook", TeamtailorConnectorTest.partnerEvent(fresh, fresh, "pkg").encode()));
    return all;
  }

  @TestFactory
  Stream<DynamicTest> onlyAnAccountsOwnKeyOnItsOwnAtsRoutesIsServedAndRefusalsLookAlike() {
    List<DynamicTest> cases = new ArrayList<>();
    Map<String, HttpResponse<Buffer>> reference = new LinkedHashMap<>();
    int n = 0;
    for (String credential : CREDENTIALS.keySet()) {
      for (String account : ACCOUNTS) {
        for (Endpoint endpoint : endpoints(account, "fresh-" + n++)) {
          String name = credential + " on " + account + ": " + endpoint.method() + " " + endpoint.ats() + endpoint.path();
          cases.add(DynamicTest.dynamicTest(name, () -> {
            boolean own = KEY_OF.getOrDefault(credential, List.of()).contains(account) && credential.contains(endpoint.ats());
            boolean disabled = account.equals(DISABLED_GREENHOUSE) || account.equals(DISABLED_TEAMTAILOR);
            boolean write = endpoint.body() != null;
            StoreSnapshot.Counts before = write ? counts() : null;
            HttpResponse<Buffer> response = send(endpoint.method(), "/connectors/" + endpoint.ats() + "/" + account + endpoint.path(),
              CREDENTIALS.get(credential), endpoint.body());
            if (!own) {
              assertEquals(401, response.statusCode(), name + ": " + response.bodyAsString());
              HttpResponse<Buffer> first = reference.computeIfAbsent(endpoint.ats(), ats -> response);
              assertEquals(first.bodyAsString(), response.bodyAsString(), name + ": every refusal of " + endpoint.ats() + " alike");
              assertEquals(first.getHeader("Content-Type"), response.getHeader("Content-Type"));
              if (write) assertEquals(before, counts(), name + ": a refused write writes nothing");
            } else if (disabled) {
              assertEquals(403, response.statusCode(), name);
              if (write) assertEquals(before, counts(), name);
            } else if (endpoint.path().startsWith("/test_status")) {
              String id = endpoint.path().substring(endpoint.path().indexOf('=') + 1);
              boolean mine = id.equals(orders.get(account));
              assertEquals(mine ? 200 : 404, response.statusCode(), name + ": " + response.bodyAsString());
              if (!mine) {
                assertTrue(response.bodyAsJsonObject().getString("message").startsWith("Unknown partner_interview_id"), name);
                assertEquals(new JsonObject().put("message", "Unknown partner_interview_id " + id).put("field", "partner_interview_id")
                  .getString("field"), response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"));
              }
            } else {
              assertEquals(200, response.statusCode(), name + ": " + response.bodyAsString());
            }
          }));
        }
      }
    }
    return cases.stream();
  }

  /**
   * The push-backs' deliveries (each connector account's connector subscription, {@code /webhooks/con_…}): every
   * user against every account's, and an id that is no subscription's. A user granted the (active) account reads
   * them; anyone else is answered exactly as for the unknown id; nobody changes one.
   */
  @TestFactory
  Stream<DynamicTest> thePushBacksOfAnAccountAreReadByItsUsersOnlyAndChangedByNobody() {
    Map<String, String> users = Map.of(TestService.ALICE, TestService.ALICE_PASSWORD, TestService.BOB, TestService.BOB_PASSWORD,
      TestService.API_KEY, "");
    Map<String, List<String>> granted = Map.of(TestService.ALICE, List.of(GREENHOUSE, TEAMTAILOR),
      TestService.BOB, List.of(OTHER_GREENHOUSE, OTHER_TEAMTAILOR), TestService.API_KEY, List.of());
    List<String> subscriptions = new ArrayList<>();
    for (String account : ACCOUNTS) subscriptions.add(org.atsassessments.events.ConnectorSubscriptions.id(account));
    subscriptions.add("con_00000000000000000000000000000000");
    List<DynamicTest> cases = new ArrayList<>();
    for (Map.Entry<String, String> user : users.entrySet()) {
      String auth = TestService.basic(user.getKey(), user.getValue());
      for (int i = 0; i < subscriptions.size(); i++) {
        String account = i < ACCOUNTS.size() ? ACCOUNTS.get(i) : "none";
        String base = "/webhooks/" + subscriptions.get(i);
        boolean reads = granted.get(user.getKey()).contains(account);
        String[][] routes = {{"GET", ""}, {"GET", "/deliveries"}, {"GET", "/deliveries?status=failed"},
          {"POST", "/deliveries/00000000-0000-0000-0000-000000000000/redeliver"}, {"PATCH", ""}, {"DELETE", ""}, {"POST", "/rotate-secret"}};
        for (String[] route : routes) {
          String name = user.getKey() + " " + route[0] + " " + account + "'s " + base + route[1];
          cases.add(DynamicTest.dynamicTest(name, () -> {
            String body = route[0].equals("PATCH") ? new JsonObject().put("status", "disabled").encode() : null;
            HttpResponse<Buffer> response = send(HttpMethod.valueOf(route[0]), base + route[1], auth, body);
            boolean read = route[0].equals("GET");
            if (reads && read) {
              assertEquals(200, response.statusCode(), name + ": " + response.bodyAsString());
            } else {
              // an unknown event of a readable subscription is unknown too; anything else is the unknown subscription's answer
              assertEquals(404, response.statusCode(), name + ": " + response.bodyAsString());
              HttpResponse<Buffer> unknown = send(HttpMethod.valueOf(route[0]), "/webhooks/con_00000000000000000000000000000000" + route[1],
                auth, body);
              assertEquals(unknown.bodyAsJsonObject().getString("message"), response.bodyAsJsonObject().getString("message"), name);
              assertEquals(unknown.getHeader("Content-Type"), response.getHeader("Content-Type"));
            }
          }));
        }
      }
    }
    return cases.stream();
  }

  private StoreSnapshot.Counts counts() {
    try (StoreSnapshot store = StoreSnapshot.open(config)) {
      return store.counts();
    }
  }
}
