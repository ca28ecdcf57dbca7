package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.testing.Eventually;
import org.atsassessments.testing.TestService;
import org.atsassessments.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.atsassessments.testing.ContractAssertions.TIMESTAMP;
import static org.atsassessments.testing.ContractAssertions.assertSameError;
import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.ALICE_PASSWORD;
import static org.atsassessments.testing.TestService.BOB;
import static org.atsassessments.testing.TestService.BOB_PASSWORD;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /webhooks: a user's own subscriptions (create, list, get, patch, delete, rotate the secret) and their deliveries
 * (list, redeliver). Bodies are checked before anything is stored; the secret is answered only on creation and
 * rotation; another user's subscription is not found, exactly like one that does not exist.
 */
@ExtendWith(VertxExtension.class)
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class WebhooksApiTest {

  private static final String WEBHOOKS = "/webhooks";
  private static final Set<String> VIEW_FIELDS = Set.of("id", "url", "events", "account_ids", "description", "status",
    "disabled_reason", "created_at", "updated_at");

  private TestService service;
  private WebhookReceiver receiver;

  private Vertx vertx;

  /** One node for the class; each test starts with no subscriptions and a receiver of its own. */
  @org.junit.jupiter.api.BeforeAll
  void start(Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    service = TestService.start(vertx, dir);
  }

  @BeforeEach
  void noSubscriptionsAndAFreshReceiver() {
    for (String[] user : new String[][] {{ALICE, ALICE_PASSWORD}, {BOB, BOB_PASSWORD}}) {
      for (Object subscription : call(user[0], user[1], HttpMethod.GET, WEBHOOKS + "?page_size=100", null).bodyAsJsonObject()
        .getJsonArray("data")) {
        String id = ((JsonObject) subscription).getString("id");
        assertEquals(200, call(user[0], user[1], HttpMethod.DELETE, WEBHOOKS + "/" + id, null).statusCode());
      }
    }
    receiver = WebhookReceiver.start(vertx);
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  private HttpRequest<Buffer> as(HttpMethod method, String uri, String user, String password) {
    HttpRequest<Buffer> request = service.client.request(method, uri);
    if (user != null) request.putHeader("Authorization", TestService.basic(user, password));
    return request;
  }

  private HttpResponse<Buffer> call(String user, String password, HttpMethod method, String uri, String body) {
    HttpRequest<Buffer> request = as(method, uri, user, password);
    return body == null ? request.send().await()
      : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await();
  }

  private HttpResponse<Buffer> alice(HttpMethod method, String uri, String body) {
    return call(ALICE, ALICE_PASSWORD, method, uri, body);
  }

  private HttpResponse<Buffer> bob(HttpMethod method, String uri, String body) {
    return call(BOB, BOB_PASSWORD, method, uri, body);
  }

  /** Alice's new subscription to the receiver; answers the creation's data (with the secret). */
  private JsonObject create(JsonObject body) {
    HttpResponse<Buffer> created = alice(HttpMethod.POST, WEBHOOKS, body.encode());
    assertEquals(200, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getJsonObject("data");
  }

  private JsonObject subscription(String path) {
    return new JsonObject().put("url", receiver.url(path));
  }

  private JsonArray aliceList() {
    HttpResponse<Buffer> list = alice(HttpMethod.GET, WEBHOOKS, null);
    assertEquals(200, list.statusCode(), list.bodyAsString());
    return list.bodyAsJsonObject().getJsonArray("data");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  // ---- create, read, change, delete -------------------------------------------------------------------------

  @Test
  void createAnswersTheSubscriptionWithItsSecretOnce() {
    JsonObject body = subscription("/hook").put("events", new JsonArray().add("ats_assessments.created"))
      .put("account_ids", new JsonArray().add("acme")).put("description", "orders of acme");

    HttpResponse<Buffer> created = alice(HttpMethod.POST, WEBHOOKS, body.encode());

    assertEquals(200, created.statusCode(), created.bodyAsString());
    assertEquals("application/json", created.getHeader("content-type"));
    assertEquals(Set.of("data"), created.bodyAsJsonObject().fieldNames());
    JsonObject data = created.bodyAsJsonObject().getJsonObject("data");
    Set<String> withSecret = new java.util.HashSet<>(VIEW_FIELDS);
    withSecret.add("secret");
    assertEquals(withSecret, data.fieldNames());
    assertTrue(data.getString("id").matches("whk_[0-9a-f]{32}"), data.getString("id"));
    assertTrue(data.getString("secret").matches("whsec_[A-Za-z0-9+/]{43}="), data.getString("secret"));
    assertEquals(receiver.url("/hook"), data.getString("url"));
    assertEquals(new JsonArray().add("ats_assessments.created"), data.getJsonArray("events"));
    assertEquals(new JsonArray().add("acme"), data.getJsonArray("account_ids"));
    assertEquals("orders of acme", data.getString("description"));
    assertEquals("active", data.getString("status"));
    assertNull(data.getValue("disabled_reason"));
    assertTrue(data.getString("created_at").matches(TIMESTAMP), data.getString("created_at"));
    assertEquals(data.getString("created_at"), data.getString("updated_at"));

    JsonObject read = alice(HttpMethod.GET, WEBHOOKS + "/" + data.getString("id"), null).bodyAsJsonObject();
    JsonObject withoutSecret = data.copy();
    withoutSecret.remove("secret");
    assertEquals(new JsonObject().put("data", withoutSecret), read);
  }

  @Test
  void withoutEventsOrAccountsASubscriptionIsForEverything() {
    JsonObject data = create(subscription("/all"));

    assertNull(data.getValue("events"));
    assertNull(data.getValue("account_ids"));
    assertNull(data.getValue("description"));
    assertTrue(data.containsKey("events") && data.containsKey("account_ids"), "null, not absent: " + data);
  }

  @Test
  void theSecretIsNeverInAReadAnswer() {
    JsonObject created = create(subscription("/hook"));
    String id = created.getString("id");
    String secret = created.getString("secret");
    String rotated = alice(HttpMethod.POST, WEBHOOKS + "/" + id + "/rotate-secret", null).bodyAsJsonObject()
      .getJsonObject("data").getString("secret");
    service.orderId("secretless");

    for (HttpResponse<Buffer> read : List.of(alice(HttpMethod.GET, WEBHOOKS + "/" + id, null),
      alice(HttpMethod.GET, WEBHOOKS, null), alice(HttpMethod.GET, WEBHOOKS + "/" + id + "/deliveries", null),
      alice(HttpMethod.PATCH, WEBHOOKS + "/" + id, new JsonObject().put("description", "changed").encode()))) {
      assertEquals(200, read.statusCode(), read.bodyAsString());
      assertFalse(read.bodyAsString().contains(secret), read.bodyAsString());
      assertFalse(read.bodyAsString().contains(rotated), read.bodyAsString());
      assertFalse(read.bodyAsString().contains("secret"), read.bodyAsString());
    }
  }

  @Test
  void listIsTheCallersSubscriptionsOldestFirstInPages() {
    String first = create(subscription("/1")).getString("id");
    String second = create(subscription("/2")).getString("id");
    String third = create(subscription("/3")).getString("id");
    JsonObject bobs = bob(HttpMethod.POST, WEBHOOKS, subscription("/bob").encode()).bodyAsJsonObject().getJsonObject("data");

    JsonObject page1 = alice(HttpMethod.GET, WEBHOOKS + "?page_size=2", null).bodyAsJsonObject();

    assertEquals(Set.of("next", "data"), page1.fieldNames());
    assertEquals(List.of(first, second), ids(page1.getJsonArray("data")));
    page1.getJsonArray("data").forEach(item -> assertEquals(VIEW_FIELDS, ((JsonObject) item).fieldNames()));
    assertNotNull(page1.getString("next"));
    JsonObject page2 = alice(HttpMethod.GET, WEBHOOKS + "?page_size=2&next=" + encode(page1.getString("next")), null)
      .bodyAsJsonObject();
    assertEquals(List.of(third), ids(page2.getJsonArray("data")));
    assertTrue(page2.containsKey("next"));
    assertNull(page2.getValue("next"));
    assertEquals(List.of(first, second, third), ids(aliceList()));
    assertEquals(List.of(bobs.getString("id")), ids(bob(HttpMethod.GET, WEBHOOKS, null).bodyAsJsonObject().getJsonArray("data")));

    // a cursor is its owner's: bob cannot page through alice's list with it
    assertEquals("next is not a cursor of this list", assertStackOneError(
      bob(HttpMethod.GET, WEBHOOKS + "?next=" + encode(page1.getString("next")), null), 400).getString("message"));
    assertStackOneError(alice(HttpMethod.GET, WEBHOOKS + "?next=garbage", null), 400);
    assertStackOneError(alice(HttpMethod.GET, WEBHOOKS + "?page_size=none", null), 400);
  }

  private static List<String> ids(JsonArray items) {
    return items.stream().map(item -> ((JsonObject) item).getString("id")).toList();
  }

  @Test
  void patchChangesEachFieldItNamesAndLeavesTheOthers() {
    JsonObject created = create(subscription("/hook").put("description", "first"));
    String id = created.getString("id");
    String uri = WEBHOOKS + "/" + id;

    JsonObject url = patch(uri, new JsonObject().put("url", receiver.url("/moved")));
    assertEquals(receiver.url("/moved"), url.getString("url"));
    assertEquals("first", url.getString("description"));

    JsonObject events = patch(uri, new JsonObject().put("events", new JsonArray().add("ats_assessments.updated")
      .add("ats_assessments_packages.updated").add("ats_assessments.updated")));
    assertEquals(new JsonArray().add("ats_assessments.updated").add("ats_assessments_packages.updated"), events.getJsonArray("events"),
      "each type once");
    assertEquals(receiver.url("/moved"), events.getString("url"));

    JsonObject accounts = patch(uri, new JsonObject().put("account_ids", new JsonArray().add("globex").add("acme")));
    assertEquals(new JsonArray().add("globex").add("acme"), accounts.getJsonArray("account_ids"));
    assertEquals(events.getJsonArray("events"), accounts.getJsonArray("events"));

    JsonObject description = patch(uri, new JsonObject().put("description", "second"));
    assertEquals("second", description.getString("description"));

    JsonObject disabled = patch(uri, new JsonObject().put("status", "disabled"));
    assertEquals("disabled", disabled.getString("status"));
    assertEquals("disabled by its owner", disabled.getString("disabled_reason"));
    JsonObject enabled = patch(uri, new JsonObject().put("status", "active"));
    assertEquals("active", enabled.getString("status"));
    assertNull(enabled.getValue("disabled_reason"));

    JsonObject cleared = patch(uri, new JsonObject().put("events", (Object) null).put("account_ids", (Object) null)
      .put("description", (Object) null));
    assertNull(cleared.getValue("events"));
    assertNull(cleared.getValue("account_ids"));
    assertNull(cleared.getValue("description"));
    assertEquals(receiver.url("/moved"), cleared.getString("url"));
    assertEquals("active", cleared.getString("status"));

    JsonObject read = alice(HttpMethod.GET, uri, null).bodyAsJsonObject().getJsonObject("data");
    assertEquals(cleared, read);
    assertEquals(created.getString("created_at"), read.getString("created_at"));
    assertTrue(read.getString("updated_at").compareTo(created.getString("updated_at")) >= 0);
    assertEquals(1, aliceList().size(), "a patch changes the subscription, it adds none");
  }

  private JsonObject patch(String uri, JsonObject body) {
    HttpResponse<Buffer> patched = alice(HttpMethod.PATCH, uri, body.encode());
    assertEquals(200, patched.statusCode(), patched.bodyAsString());
    return patched.bodyAsJsonObject().getJsonObject("data");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"status\":\"paused\"}              | status: must be active or disabled",
    "{\"status\":true}                    | status: must be active or disabled",
    "{\"url\":\"ftp://example.test/\"}    | url: only http and https URLs are accepted",
    "{\"url\":null}                       | url: required, an http or https URL",
    "{\"events\":[]}                      | events: a non-empty array of event types",
    "{\"events\":[\"order.created\"]}     | events: unknown event type order.created",
    "{\"description\":7}                  | description: a string of at most 1024 characters",
  })
  void aPatchWithABadFieldIs422AndChangesNothing(String body, String message) {
    JsonObject created = create(subscription("/hook").put("description", "kept"));
    created.remove("secret");
    String uri = WEBHOOKS + "/" + created.getString("id");

    JsonObject error = assertStackOneError(alice(HttpMethod.PATCH, uri, body), 422);

    assertTrue(error.getString("message").startsWith(message), error.getString("message"));
    assertEquals(created, alice(HttpMethod.GET, uri, null).bodyAsJsonObject().getJsonObject("data"));
  }

  @Test
  void deleteRemovesTheSubscriptionAndLaterEventsGoOnlyToTheOthers() {
    String id = create(subscription("/hook")).getString("id");
    String kept = create(subscription("/kept")).getString("id");

    HttpResponse<Buffer> deleted = alice(HttpMethod.DELETE, WEBHOOKS + "/" + id, null);

    assertEquals(200, deleted.statusCode(), deleted.bodyAsString());
    assertEquals(new JsonObject().put("data", new JsonObject().put("id", id).put("deleted", true)), deleted.bodyAsJsonObject());
    HttpResponse<Buffer> unknown = alice(HttpMethod.GET, WEBHOOKS + "/whk_unknown", null);
    assertStackOneError(unknown, 404);
    assertSameError(unknown, alice(HttpMethod.GET, WEBHOOKS + "/" + id, null));
    assertSameError(unknown, alice(HttpMethod.DELETE, WEBHOOKS + "/" + id, null));
    assertSameError(unknown, alice(HttpMethod.GET, WEBHOOKS + "/" + id + "/deliveries", null));
    assertEquals(List.of(kept), ids(aliceList()));

    // an order now reaches the one left only
    service.orderId("after-delete");
    receiver.await("the delivery to the subscription left", got -> got.size() == 1, 10);
    assertEquals("/kept", receiver.received().get(0).uri());
  }

  @Test
  void rotateSecretAnswersANewSecretAndWhenTheOldOneStopsSigning() {
    JsonObject created = create(subscription("/hook"));
    String id = created.getString("id");

    HttpResponse<Buffer> rotated = alice(HttpMethod.POST, WEBHOOKS + "/" + id + "/rotate-secret", null);

    assertEquals(200, rotated.statusCode(), rotated.bodyAsString());
    JsonObject data = rotated.bodyAsJsonObject().getJsonObject("data");
    assertTrue(data.getString("secret").matches("whsec_[A-Za-z0-9+/]{43}="), data.getString("secret"));
    assertNotEquals(created.getString("secret"), data.getString("secret"));
    assertTrue(data.getString("previous_secret_expires_at").matches(TIMESTAMP), data.getString("previous_secret_expires_at"));
    assertTrue(data.getString("previous_secret_expires_at").compareTo(data.getString("updated_at")) > 0,
      "the old secret keeps signing for a while: " + data);
    assertEquals(id, data.getString("id"));
    String again = alice(HttpMethod.POST, WEBHOOKS + "/" + id + "/rotate-secret", null).bodyAsJsonObject()
      .getJsonObject("data").getString("secret");
    assertNotEquals(data.getString("secret"), again);
    assertNotEquals(created.getString("secret"), again);
    assertEquals(VIEW_FIELDS, alice(HttpMethod.GET, WEBHOOKS + "/" + id, null).bodyAsJsonObject().getJsonObject("data").fieldNames());
  }

  // ---- validation --------------------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"{\"url\":", "url=http://127.0.0.1/", "{\"url\":\"http://127.0.0.1/\"} trailing"})
  void aBodyThatIsNotJsonIs400(String body) {
    assertEquals("The request body is not valid JSON",
      assertStackOneError(alice(HttpMethod.POST, WEBHOOKS, body), 400).getString("message"));
    assertEquals(new JsonArray(), aliceList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{\"url\":\"http://127.0.0.1/\"}]", "\"http://127.0.0.1/\"", "42", "null", "true"})
  void aBodyThatIsNotAnObjectIs400(String body) {
    assertEquals("The request body must be a JSON object",
      assertStackOneError(alice(HttpMethod.POST, WEBHOOKS, body), 400).getString("message"));
    String id = create(subscription("/hook")).getString("id");
    assertEquals("The request body must be a JSON object",
      assertStackOneError(alice(HttpMethod.PATCH, WEBHOOKS + "/" + id, body), 400).getString("message"));
    assertEquals(1, aliceList().size());
  }

  @Test
  void anEmptyBodyIs400() {
    assertEquals("A JSON request body is required",
      assertStackOneError(alice(HttpMethod.POST, WEBHOOKS, ""), 400).getString("message"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{}                                                                          | url: required, an http or https URL",
    "{\"url\":\"\"}                                                              | url: required, an http or https URL",
    "{\"url\":7}                                                                 | url: required, an http or https URL",
    "{\"url\":\"ftp://127.0.0.1/hook\"}                                          | url: only http and https URLs are accepted",
    "{\"url\":\"file:///etc/passwd\"}                                            | url: only http and https URLs are accepted",
    "{\"url\":\"127.0.0.1/hook\"}                                                | url: only http and https URLs are accepted",
    "{\"url\":\"http://user:pass@127.0.0.1/hook\"}                               | url: credentials in the URL are not accepted",
    "{\"url\":\"http://127.0.0.1/hook#part\"}                                    | url: must not have a fragment",
    "{\"url\":\"http:///hook\"}                                                  | url: has no host",
    "{\"url\":\"http://127.0.0.1/ hook\"}                                        | url: not a URL",
    "{\"url\":\"http://127.0.0.1/\",\"events\":[\"ats_assessments.exploded\"]}    | events: unknown event type ats_assessments.exploded",
    "{\"url\":\"http://127.0.0.1/\",\"events\":[7]}                              | events: unknown event type 7",
    "{\"url\":\"http://127.0.0.1/\",\"events\":[]}                               | events: a non-empty array of event types",
    "{\"url\":\"http://127.0.0.1/\",\"events\":\"ats_assessments.created\"}      | events: a non-empty array of event types",
    "{\"url\":\"http://127.0.0.1/\",\"account_ids\":[]}                          | account_ids: a non-empty array of account ids",
    "{\"url\":\"http://127.0.0.1/\",\"account_ids\":\"acme\"}                    | account_ids: a non-empty array of account ids",
    "{\"url\":\"http://127.0.0.1/\",\"account_ids\":[7]}                         | account_ids: ids are strings",
    "{\"url\":\"http://127.0.0.1/\",\"description\":[\"x\"]}                     | description: a string of at most 1024 characters",
  })
  void aBodyThatIsNotASubscriptionIs422AndStoresNothing(String body, String message) {
    JsonObject error = assertStackOneError(alice(HttpMethod.POST, WEBHOOKS, body), 422);

    assertTrue(error.getString("message").startsWith(message), error.getString("message"));
    assertEquals(new JsonArray(), aliceList());
  }

  /** Text no store can hold as sent (PostgreSQL refuses NUL and lone surrogates): refused alike on every store. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"url\":\"http://127.0.0.1/\",\"description\":\"a\\u0000b\"} | description: must not contain the NUL character",
    "{\"url\":\"http://127.0.0.1/\",\"description\":\"a\\ud800b\"} | description: not valid Unicode (a lone surrogate)",
    "{\"url\":\"http://127.0.0.1/\\udc00\"}                       | url: not valid Unicode (a lone surrogate)",
    "{\"url\":\"http://127.0.0.1/?q=\\ud800\"}                    | url: not valid Unicode (a lone surrogate)",
  })
  void textAStoreCannotHoldIs422AndStoresNothing(String body, String message) {
    assertEquals(message, assertStackOneError(alice(HttpMethod.POST, WEBHOOKS, body), 422).getString("message"));
    assertEquals(new JsonArray(), aliceList());

    JsonObject created = create(subscription("/hook"));
    created.remove("secret");
    String uri = WEBHOOKS + "/" + created.getString("id");
    assertEquals(message, assertStackOneError(alice(HttpMethod.PATCH, uri, body), 422).getString("message"));
    assertEquals(created, alice(HttpMethod.GET, uri, null).bodyAsJsonObject().getJsonObject("data"));
  }

  @Test
  void anIdWithANulCharacterIsNotFoundLikeAnyUnknownOne() {
    String id = create(subscription("/hook")).getString("id");
    service.orderId("nul");
    String eventId = receiver.await("the delivery", got -> got.size() == 1, 10).get(0).json().getString("id");
    HttpResponse<Buffer> unknown = alice(HttpMethod.GET, WEBHOOKS + "/whk_unknown", null);
    String patch = new JsonObject().put("description", "x").encode();

    for (String[] call : new String[][] {
      {"GET", "/a%00b"}, {"PATCH", "/a%00b"}, {"DELETE", "/a%00b"}, {"POST", "/a%00b/rotate-secret"}, {"GET", "/a%00b/deliveries"},
      {"POST", "/a%00b/deliveries/" + eventId + "/redeliver"}, {"POST", "/" + id + "/deliveries/a%00b/redeliver"}}) {
      HttpMethod method = HttpMethod.valueOf(call[0]);
      HttpResponse<Buffer> response = alice(method, WEBHOOKS + call[1], method == HttpMethod.PATCH ? patch : null);
      assertStackOneError(response, 404);
      assertSameError(unknown, response);
    }
  }

  @Test
  void aDescriptionOfAtMost1024CharactersIsAccepted() {
    JsonObject error = assertStackOneError(alice(HttpMethod.POST, WEBHOOKS,
      subscription("/hook").put("description", "d".repeat(1025)).encode()), 422);
    assertEquals("description: a string of at most 1024 characters", error.getString("message"));
    assertEquals(new JsonArray(), aliceList());

    assertEquals("d".repeat(1024), create(subscription("/hook").put("description", "d".repeat(1024))).getString("description"));
  }

  @Test
  void accountIdsNotGrantedToTheCallerAre404LikeAnUnknownAccount() {
    // bob is granted globex only; an account he may not use and one that does not exist look the same
    HttpResponse<Buffer> unknownAccount = service.getAs(ORDERS, BOB, BOB_PASSWORD, "nobody");
    assertStackOneError(unknownAccount, 404);

    for (String accounts : new String[] {"[\"acme\"]", "[\"globex\",\"acme\"]", "[\"nobody\"]", "[\"dormant\"]"}) {
      String body = "{\"url\":\"" + receiver.url("/bob") + "\",\"account_ids\":" + accounts + "}";
      HttpResponse<Buffer> created = bob(HttpMethod.POST, WEBHOOKS, body);
      assertStackOneError(created, 404);
      assertSameError(unknownAccount, created);
    }
    assertEquals(new JsonArray(), bob(HttpMethod.GET, WEBHOOKS, null).bodyAsJsonObject().getJsonArray("data"));

    JsonObject bobs = bob(HttpMethod.POST, WEBHOOKS, subscription("/bob").put("account_ids", new JsonArray().add("globex"))
      .encode()).bodyAsJsonObject().getJsonObject("data");
    String uri = WEBHOOKS + "/" + bobs.getString("id");
    HttpResponse<Buffer> patched = bob(HttpMethod.PATCH, uri, new JsonObject().put("account_ids", new JsonArray().add("acme")).encode());
    assertSameError(unknownAccount, patched);
    assertEquals(new JsonArray().add("globex"), bob(HttpMethod.GET, uri, null).bodyAsJsonObject().getJsonObject("data")
      .getJsonArray("account_ids"));
    // alice is granted dormant (disabled) and may name it
    assertEquals(new JsonArray().add("dormant"), create(subscription("/alice").put("account_ids", new JsonArray().add("dormant")))
      .getJsonArray("account_ids"));
  }

  // ---- isolation ---------------------------------------------------------------------------------------------

  @Test
  void anotherUsersSubscriptionIsNotFoundExactlyLikeAnUnknownOne() {
    JsonObject alices = create(subscription("/alice"));
    alices.remove("secret");
    String id = alices.getString("id");
    service.orderId("for-alice");
    String eventId = receiver.await("alice's delivery", got -> got.size() == 1, 10).get(0).json().getString("id");
    String patch = new JsonObject().put("description", "bob was here").encode();

    for (String[] call : new String[][] {
      {"GET", ""}, {"PATCH", ""}, {"DELETE", ""}, {"POST", "/rotate-secret"}, {"GET", "/deliveries"},
      {"GET", "/deliveries?status=failed"}, {"POST", "/deliveries/" + eventId + "/redeliver"}}) {
      HttpMethod method = HttpMethod.valueOf(call[0]);
      String body = method == HttpMethod.PATCH ? patch : null;
      HttpResponse<Buffer> unknown = bob(method, WEBHOOKS + "/whk_00000000000000000000000000000000" + call[1], body);
      HttpResponse<Buffer> foreign = bob(method, WEBHOOKS + "/" + id + call[1], body);
      assertStackOneError(unknown, 404);
      assertSameError(unknown, foreign);
    }

    assertEquals(alices, alice(HttpMethod.GET, WEBHOOKS + "/" + id, null).bodyAsJsonObject().getJsonObject("data"),
      "nothing bob tried changed it");
    assertEquals(new JsonArray(), bob(HttpMethod.GET, WEBHOOKS, null).bodyAsJsonObject().getJsonArray("data"));
    assertEquals(1, receiver.received().size(), "bob's redeliver sent nothing");
  }

  @Test
  void aSubscriptionGetsOnlyTheEventsItAsksForOfAccountsGrantedToItsOwner() {
    String bobs = bob(HttpMethod.POST, WEBHOOKS, subscription("/bob").encode()).bodyAsJsonObject().getJsonObject("data")
      .getString("id");
    String globexOnly = create(subscription("/alice-globex").put("account_ids", new JsonArray().add("globex"))).getString("id");
    String packagesOnly = create(subscription("/alice-packages")
      .put("events", new JsonArray().add("ats_assessments_packages.updated"))).getString("id");
    String everything = create(subscription("/alice-all")).getString("id");

    service.orderId("acme-order");
    assertEquals(200, service.postAs(ORDERS, new JsonObject().put("id", "globex-order").encode(), ALICE, ALICE_PASSWORD, "globex")
      .statusCode());
    assertEquals(200, service.send(HttpMethod.PUT, TestService.PACKAGES + "/p1", "{}").statusCode());

    List<WebhookReceiver.Delivery> got = receiver.await("the six deliveries", all -> all.size() == 6, 10);
    got.stream().filter(sent -> sent.uri().equals("/bob"))
      .forEach(sent -> assertEquals("globex", sent.json().getString("account_id"), "bob never gets acme's events"));
    // each delivery is listed once its attempt's outcome is written (in the order they were written)
    assertEquals(Set.of("ats_assessments.created@globex"), awaitDeliveries(BOB, BOB_PASSWORD, bobs, 1),
      "bob is granted globex only");
    assertEquals(Set.of("ats_assessments.created@globex"), awaitDeliveries(ALICE, ALICE_PASSWORD, globexOnly, 1));
    assertEquals(Set.of("ats_assessments_packages.updated@acme"), awaitDeliveries(ALICE, ALICE_PASSWORD, packagesOnly, 1));
    assertEquals(Set.of("ats_assessments.created@acme", "ats_assessments.created@globex", "ats_assessments_packages.updated@acme"),
      awaitDeliveries(ALICE, ALICE_PASSWORD, everything, 3));
  }

  /** The subscription's deliveries as type@account once there are {@code count} of them. */
  private Set<String> awaitDeliveries(String user, String password, String subscription, int count) {
    List<String> listed = Eventually.await(count + " deliveries listed", () -> deliveries(call(user, password, HttpMethod.GET,
      WEBHOOKS + "/" + subscription + "/deliveries", null)), list -> list.size() >= count, 10);
    assertEquals(count, listed.size(), listed.toString());
    return Set.copyOf(listed);
  }

  /** A subscription's deliveries as type@account, in the order they were recorded. */
  private static List<String> deliveries(HttpResponse<Buffer> list) {
    assertEquals(200, list.statusCode(), list.bodyAsString());
    return list.bodyAsJsonObject().getJsonArray("data").stream()
      .map(item -> ((JsonObject) item).getString("type") + "@" + ((JsonObject) item).getString("account_id")).toList();
  }

  @Test
  void withoutValidCredentialsEveryWebhookCallIs401() {
    String id = create(subscription("/hook")).getString("id");

    for (String[] credentials : new String[][] {{null, null}, {ALICE, "wrong"}, {"nobody", "x"}}) {
      assertStackOneError(call(credentials[0], credentials[1], HttpMethod.GET, WEBHOOKS, null), 401);
      assertStackOneError(call(credentials[0], credentials[1], HttpMethod.POST, WEBHOOKS, subscription("/x").encode()), 401);
      assertStackOneError(call(credentials[0], credentials[1], HttpMethod.GET, WEBHOOKS + "/" + id, null), 401);
      assertStackOneError(call(credentials[0], credentials[1], HttpMethod.DELETE, WEBHOOKS + "/" + id, null), 401);
    }
    assertEquals(1, aliceList().size());
  }

  // ---- deliveries --------------------------------------------------------------------------------------------

  @Test
  void deliveriesListEachEventSentWithItsAttempts() {
    String id = create(subscription("/hook")).getString("id");
    String orderId = service.orderId("delivered");
    receiver.await("the order's delivery", got -> got.size() == 1, 10);

    JsonObject delivery = Eventually.await("the delivery recorded as succeeded",
      () -> alice(HttpMethod.GET, WEBHOOKS + "/" + id + "/deliveries", null).bodyAsJsonObject(),
      page -> page.getJsonArray("data").size() == 1
        && "succeeded".equals(page.getJsonArray("data").getJsonObject(0).getString("state")), 10)
      .getJsonArray("data").getJsonObject(0);

    JsonObject sent = receiver.received().get(0).json();
    assertEquals(orderId, sent.getString("record_id"));
    assertEquals(sent.getString("id"), delivery.getString("event_id"));
    assertEquals(sent.getString("id"), receiver.received().get(0).header("webhook-id"));
    assertEquals("ats_assessments.created", delivery.getString("type"));
    assertEquals("acme", delivery.getString("account_id"));
    assertNull(delivery.getValue("next_attempt_at"), "nothing more is due");
    JsonArray attempts = delivery.getJsonArray("attempts");
    assertEquals(1, attempts.size(), attempts.encode());
    assertEquals(200, attempts.getJsonObject(0).getInteger("status_code"));
    assertNull(attempts.getJsonObject(0).getValue("error"));
    assertTrue(attempts.getJsonObject(0).getString("at").matches(TIMESTAMP));

    String deliveries = WEBHOOKS + "/" + id + "/deliveries";
    assertEquals(1, alice(HttpMethod.GET, deliveries + "?status=succeeded", null).bodyAsJsonObject().getJsonArray("data").size());
    assertEquals(0, alice(HttpMethod.GET, deliveries + "?status=failed", null).bodyAsJsonObject().getJsonArray("data").size());
    assertEquals(0, alice(HttpMethod.GET, deliveries + "?status=pending", null).bodyAsJsonObject().getJsonArray("data").size());
  }

  @Test
  void deliveriesPageLikeEveryList() {
    String id = create(subscription("/hook")).getString("id");
    for (int i = 0; i < 3; i++) service.orderId("paged-" + i);
    String uri = WEBHOOKS + "/" + id + "/deliveries";
    Eventually.await("the three deliveries recorded", () -> alice(HttpMethod.GET, uri, null).bodyAsJsonObject()
      .getJsonArray("data").size(), n -> n == 3, 10);

    JsonObject first = alice(HttpMethod.GET, uri + "?page_size=2", null).bodyAsJsonObject();
    JsonObject second = alice(HttpMethod.GET, uri + "?page_size=2&next=" + encode(first.getString("next")), null).bodyAsJsonObject();

    assertEquals(2, first.getJsonArray("data").size());
    assertEquals(1, second.getJsonArray("data").size());
    assertNull(second.getValue("next"));
    String otherId = create(subscription("/other")).getString("id");
    assertStackOneError(alice(HttpMethod.GET, WEBHOOKS + "/" + otherId + "/deliveries?next=" + encode(first.getString("next")), null),
      400);
  }

  @Test
  void anUnknownDeliveryStatusIs400() {
    String id = create(subscription("/hook")).getString("id");

    JsonObject error = assertStackOneError(alice(HttpMethod.GET, WEBHOOKS + "/" + id + "/deliveries?status=bogus", null), 400);

    assertEquals("status: must be pending, succeeded or failed", error.getString("message"));
  }

  @Test
  void redeliverSendsTheSameEventAgain() {
    String id = create(subscription("/hook")).getString("id");
    service.orderId("again");
    String eventId = receiver.await("the first delivery", got -> got.size() == 1, 10).get(0).json().getString("id");
    Eventually.await("the first attempt recorded", () -> alice(HttpMethod.GET, WEBHOOKS + "/" + id + "/deliveries?status=succeeded",
      null).bodyAsJsonObject().getJsonArray("data").size(), size -> size == 1, 10);

    HttpResponse<Buffer> redelivered = alice(HttpMethod.POST, WEBHOOKS + "/" + id + "/deliveries/" + eventId + "/redeliver", null);

    assertEquals(200, redelivered.statusCode(), redelivered.bodyAsString());
    JsonObject data = redelivered.bodyAsJsonObject().getJsonObject("data");
    assertEquals(eventId, data.getString("event_id"));
    assertEquals("pending", data.getString("state"));
    List<WebhookReceiver.Delivery> got = receiver.await("the redelivery", all -> all.size() == 2, 10);
    assertEquals(eventId, got.get(1).header("webhook-id"), "the same webhook-id: receivers drop what they saw");
    assertEquals(got.get(0).json().getString("record_id"), got.get(1).json().getString("record_id"));
    JsonObject delivery = Eventually.await("the second attempt recorded",
      () -> alice(HttpMethod.GET, WEBHOOKS + "/" + id + "/deliveries", null).bodyAsJsonObject().getJsonArray("data").getJsonObject(0),
      row -> row.getJsonArray("attempts").size() == 2 && "succeeded".equals(row.getString("state")), 10);
    assertEquals(eventId, delivery.getString("event_id"));
  }

  @Test
  void redeliverOfAnEventTheSubscriptionNeverHadIs404() {
    String id = create(subscription("/hook")).getString("id");
    HttpResponse<Buffer> unknownSubscription = alice(HttpMethod.POST,
      WEBHOOKS + "/whk_unknown/deliveries/00000000-0000-0000-0000-000000000000/redeliver", null);

    HttpResponse<Buffer> unknownEvent = alice(HttpMethod.POST,
      WEBHOOKS + "/" + id + "/deliveries/00000000-0000-0000-0000-000000000000/redeliver", null);

    assertStackOneError(unknownEvent, 404);
    assertSameError(unknownSubscription, unknownEvent);
    assertEquals(List.of(), receiver.received());
  }
}
