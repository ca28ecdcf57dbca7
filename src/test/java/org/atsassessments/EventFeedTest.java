package org.atsassessments;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.atsassessments.testing.ContractAssertions.TIMESTAMP;
import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ACME;
import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.ALICE_PASSWORD;
import static org.atsassessments.testing.TestService.BOB;
import static org.atsassessments.testing.TestService.BOB_PASSWORD;
import static org.atsassessments.testing.TestService.GLOBEX;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.atsassessments.testing.TestService.PACKAGES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /unified/ats/assessments/events: one event per committed change and none for a refused one, oldest first,
 * each a webhook's body; filter[type], filter[updated_after] and the cursor pagination of every list; per account.
 */
@ExtendWith(VertxExtension.class)
class EventFeedTest {

  private static final String EVENTS = "/unified/ats/assessments/events";
  private static final String CREATED = "ats_assessments.created";
  private static final String UPDATED = "ats_assessments.updated";
  private static final String PACKAGE_UPDATED = "ats_assessments_packages.updated";
  private static final Set<String> EVENT_FIELDS = Set.of("id", "event", "account_id", "provider", "record_type", "record_id",
    "record_remote_id", "event_date", "sent_at", "event_data");
  private static final JsonObject PASSED = new JsonObject().put("result", new JsonObject().put("value", "passed"))
    .put("score", new JsonObject().put("value", "80")).put("summary", "Test is passed");

  private TestService service;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) {
    service = TestService.start(vertx, dir);
  }

  /** Every event of the account (alice on acme) after the query's filters, walked page by page to the end. */
  private List<JsonObject> events(String query) {
    return walk(query, ALICE, ALICE_PASSWORD, ACME);
  }

  private List<JsonObject> walk(String query, String user, String password, String account) {
    List<JsonObject> seen = new ArrayList<>();
    String next = null;
    do {
      String uri = EVENTS + "?page_size=100" + (query.isEmpty() ? "" : "&" + query) + (next == null ? "" : "&next=" + encode(next));
      HttpResponse<Buffer> page = service.getAs(uri, user, password, account);
      assertEquals(200, page.statusCode(), page.bodyAsString());
      page.bodyAsJsonObject().getJsonArray("data").forEach(item -> seen.add((JsonObject) item));
      next = page.bodyAsJsonObject().getString("next");
    } while (next != null);
    return seen;
  }

  private static List<String> types(List<JsonObject> events) {
    return events.stream().map(event -> event.getString("event")).toList();
  }

  private static List<String> remoteIds(List<JsonObject> events) {
    return events.stream().map(event -> event.getString("record_remote_id")).toList();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private void createOrders(String prefix, int count) {
    for (int i = 0; i < count; i++) service.orderId(prefix + i);
  }

  private HttpResponse<Buffer> putPackage(String id, JsonObject body) {
    return service.send(HttpMethod.PUT, PACKAGES + "/" + id, body.encode());
  }

  /** The webhook body: exactly its fields, of acme, posted here, about the record as it is after the change. */
  private static void assertEvent(JsonObject event, String type, String recordType, String recordId, String recordRemoteId,
                                  JsonObject record) {
    assertEquals(EVENT_FIELDS, event.fieldNames(), event.encode());
    assertTrue(event.getString("id").matches("[0-9a-f-]{36}"), event.getString("id"));
    assertEquals(type, event.getString("event"));
    assertEquals(ACME, event.getString("account_id"));
    assertEquals("native", event.getString("provider"));
    assertEquals(recordType, event.getString("record_type"));
    assertEquals(recordId, event.getString("record_id"));
    assertEquals(recordRemoteId, event.getString("record_remote_id"));
    assertTrue(event.getString("event_date").matches(TIMESTAMP), event.getString("event_date"));
    assertTrue(event.getString("sent_at").matches(TIMESTAMP), event.getString("sent_at"));
    assertEquals(record, event.getJsonObject("event_data"));
  }

  @Test
  void everyCommittedWriteMakesExactlyOneEventAboutTheRecordAsItIsAfterIt() {
    String id = service.orderId("ev-1");
    JsonObject order = service.get(ORDERS + "/" + id).bodyAsJsonObject().getJsonObject("data");
    List<JsonObject> afterCreate = events("");
    assertEquals(1, afterCreate.size(), afterCreate.toString());
    assertEvent(afterCreate.get(0), CREATED, "assessment_order", id, "ev-1", order);

    assertEquals(200, service.patchResult(id, PASSED, null).statusCode());
    JsonObject result = service.get(ORDERS + "/" + id + "/results").bodyAsJsonObject().getJsonObject("data");
    List<JsonObject> afterPatch = events("");
    assertEquals(2, afterPatch.size(), afterPatch.toString());
    assertEquals(afterCreate.get(0).getString("id"), afterPatch.get(0).getString("id"), "the first event stays as it was");
    assertEvent(afterPatch.get(1), UPDATED, "assessment_result", id, "ev-1", result);

    JsonObject pkg = new JsonObject().put("remote_id", "vendor-java").put("name", "Java");
    assertEquals(200, putPackage("java", pkg).statusCode());
    JsonObject stored = service.get(PACKAGES + "/java").bodyAsJsonObject().getJsonObject("data");
    List<JsonObject> afterPut = events("");
    assertEquals(3, afterPut.size(), afterPut.toString());
    assertEvent(afterPut.get(2), PACKAGE_UPDATED, "assessment_package", "java", "vendor-java", stored);

    assertEquals(3, new HashSet<>(afterPut.stream().map(event -> event.getString("id")).toList()).size(), "ids are unique");
  }

  @Test
  void aRefusedWriteMakesNoEvent() {
    String id = service.orderId("kept");
    JsonObject conflicting = new JsonObject().put("id", "kept").put("candidate", new JsonObject().put("first_name", "Someone else"));

    assertStackOneError(service.createOrder(new JsonObject().put("id", "bad").put("candidate",
      new JsonObject().put("first_name", 5))), 422);
    assertStackOneError(service.createOrder(conflicting), 409);
    assertStackOneError(service.patchResult(id, PASSED, "\"7\""), 412);
    assertStackOneError(service.patchResult("no-such-order", PASSED, null), 404);
    assertStackOneError(service.patchResult(id, new JsonObject().put("score", 80), null), 422);
    assertStackOneError(putPackage("java", new JsonObject().put("name", 7)), 422);

    assertEquals(List.of(CREATED), types(events("")));
    // and a write that does commit after them still makes its one event
    assertEquals(200, service.patchResult(id, PASSED, "\"0\"").statusCode());
    assertEquals(List.of(CREATED, UPDATED), types(events("")));
  }

  @Test
  void anIdenticalReplayOfACreateMakesNoNewEvent() {
    JsonObject order = new JsonObject().put("id", "replayed").put("candidate", new JsonObject().put("first_name", "Ada"));
    JsonObject first = service.createOrder(order).bodyAsJsonObject();

    HttpResponse<Buffer> replay = service.createOrder(order);

    assertEquals(200, replay.statusCode());
    assertEquals(first, replay.bodyAsJsonObject());
    List<JsonObject> events = events("");
    assertEquals(List.of(CREATED), types(events));
    assertEquals(first.getString("id"), events.get(0).getString("record_id"));
  }

  @Test
  void theFeedIsOldestFirst() {
    String a = service.orderId("a");
    assertEquals(200, putPackage("p1", new JsonObject().put("name", "One")).statusCode());
    String b = service.orderId("b");
    assertEquals(200, service.patchResult(a, PASSED, null).statusCode());
    assertEquals(200, service.patchResult(b, PASSED, null).statusCode());
    assertEquals(200, putPackage("p1", new JsonObject().put("name", "One, again")).statusCode());

    List<JsonObject> events = events("");

    assertEquals(List.of(CREATED, PACKAGE_UPDATED, CREATED, UPDATED, UPDATED, PACKAGE_UPDATED), types(events));
    assertEquals(List.of(a, "p1", b, a, b, "p1"), events.stream().map(event -> event.getString("record_id")).toList());
    assertEquals("One, again", events.get(5).getJsonObject("event_data").getString("name"));
    for (int i = 1; i < events.size(); i++) {
      assertTrue(events.get(i - 1).getString("event_date").compareTo(events.get(i).getString("event_date")) <= 0);
    }
  }

  @Test
  void filterTypeTakesOneTypeOrSeveral() {
    String id = service.orderId("t-1");
    service.orderId("t-2");
    assertEquals(200, service.patchResult(id, PASSED, null).statusCode());
    assertEquals(200, putPackage("p1", new JsonObject()).statusCode());

    assertEquals(List.of(CREATED, CREATED), types(events("filter[type]=" + CREATED)));
    assertEquals(List.of(UPDATED), types(events("filter[type]=" + UPDATED)));
    assertEquals(List.of(UPDATED, PACKAGE_UPDATED), types(events("filter[type]=" + PACKAGE_UPDATED + "," + UPDATED)));
    assertEquals(List.of(CREATED, CREATED, UPDATED), types(events("filter[type]=" + encode(CREATED + ", " + UPDATED + ","))));
    assertEquals(List.of(), events("filter[type]=ats_assessments.deleted"));
    assertEquals(4, events("filter[type]=").size(), "an empty filter is no filter");
    // a filtered walk pages like any other
    JsonObject first = service.get(EVENTS + "?page_size=1&filter[type]=" + CREATED).bodyAsJsonObject();
    assertEquals("t-1", first.getJsonArray("data").getJsonObject(0).getString("record_remote_id"));
    JsonObject second = service.get(EVENTS + "?page_size=1&filter[type]=" + CREATED + "&next=" + encode(first.getString("next")))
      .bodyAsJsonObject();
    assertEquals("t-2", second.getJsonArray("data").getJsonObject(0).getString("record_remote_id"));
    assertNull(second.getValue("next"));
  }

  @Test
  void anUnknownEventTypeIs400() {
    for (String filter : new String[] {"nope", CREATED + ",ats_assessments.nope"}) {
      JsonObject error = assertStackOneError(service.get(EVENTS + "?filter[type]=" + encode(filter)), 400);
      assertTrue(error.getString("message").startsWith("filter[type]: unknown event type '"), error.getString("message"));
      assertTrue(error.getString("message").contains(CREATED), "the message names the known types: " + error.getString("message"));
    }
  }

  @Test
  void filterUpdatedAfterKeepsTheEventsMadeAfterIt() throws InterruptedException {
    createOrders("old-", 2);
    Thread.sleep(5);
    String between = Instant.now().toString();
    Thread.sleep(5);
    createOrders("new-", 2);

    assertEquals(List.of("new-0", "new-1"), remoteIds(events("filter[updated_after]=" + encode(between))));
    assertEquals(List.of("new-0", "new-1"), remoteIds(events("updated_after=" + encode(between))));
    assertEquals(4, events("filter[updated_after]=2000-01-01T00:00:00.000Z").size());
    assertEquals(List.of(), events("filter[updated_after]=2999-01-01T00:00:00.000Z"));
    assertStackOneError(service.get(EVENTS + "?filter[updated_after]=yesterday"), 400);
  }

  @Test
  void pagesFollowTheCursorUntilNextIsNull() {
    createOrders("p-", 7);

    JsonObject first = service.get(EVENTS + "?page_size=3").bodyAsJsonObject();

    assertEquals(Set.of("next", "data", "cursor"), first.fieldNames());
    assertEquals(first.getString("next"), first.getString("cursor"), "a page with more after it: its cursor is next");
    assertEquals(List.of("p-0", "p-1", "p-2"), remoteIds(first.getJsonArray("data").stream().map(JsonObject.class::cast).toList()));
    assertNotNull(first.getString("next"));
    JsonObject second = service.get(EVENTS + "?page_size=3&next=" + encode(first.getString("next"))).bodyAsJsonObject();
    assertEquals(List.of("p-3", "p-4", "p-5"), remoteIds(second.getJsonArray("data").stream().map(JsonObject.class::cast).toList()));
    JsonObject third = service.get(EVENTS + "?page_size=3&next=" + encode(second.getString("next"))).bodyAsJsonObject();
    assertEquals(List.of("p-6"), remoteIds(third.getJsonArray("data").stream().map(JsonObject.class::cast).toList()));
    assertTrue(third.containsKey("next"));
    assertNull(third.getValue("next"));

    JsonObject exactlyFull = service.get(EVENTS + "?page_size=7").bodyAsJsonObject();
    assertEquals(7, exactlyFull.getJsonArray("data").size());
    assertNull(exactlyFull.getValue("next"), "an exactly full last page has next: null");
    assertEquals(7, service.get(EVENTS).bodyAsJsonObject().getJsonArray("data").size(), "25 by default");
    // the last page still says where it ended: resumed from there later, only what came since
    String resume = third.getString("cursor");
    assertNotNull(resume);
    JsonObject nothingYet = service.get(EVENTS + "?next=" + encode(resume)).bodyAsJsonObject();
    assertEquals(0, nothingYet.getJsonArray("data").size());
    assertEquals(resume, nothingYet.getString("cursor"), "an empty page ends where it began");
    createOrders("later-", 2);
    JsonObject since = service.get(EVENTS + "?next=" + encode(resume)).bodyAsJsonObject();
    assertEquals(List.of("later-0", "later-1"), remoteIds(since.getJsonArray("data").stream().map(JsonObject.class::cast).toList()));
    assertStackOneError(service.get(EVENTS + "?page_size=0"), 400);
  }

  @Test
  void aForeignOrTamperedCursorIs400() {
    createOrders("c-", 3);
    String eventCursor = service.get(EVENTS + "?page_size=1").bodyAsJsonObject().getString("next");
    String orderCursor = service.get(ORDERS + "?page_size=1").bodyAsJsonObject().getString("next");
    String globexCursor = Base64.getUrlEncoder().withoutPadding().encodeToString(
      new JsonObject().put("l", "events").put("a", GLOBEX).put("c", 0).encode().getBytes(StandardCharsets.UTF_8));
    assertNotNull(eventCursor);
    assertNotNull(orderCursor);

    for (String bad : new String[] {"garbage", orderCursor, globexCursor, eventCursor + "x", "e30"}) {
      JsonObject error = assertStackOneError(service.get(EVENTS + "?next=" + encode(bad)), 400);
      assertEquals("next is not a cursor of this list", error.getString("message"), bad);
    }
    // acme's own cursor is no cursor of globex's feed either
    assertStackOneError(service.getAs(EVENTS + "?next=" + encode(eventCursor), ALICE, ALICE_PASSWORD, GLOBEX), 400);
    assertEquals(200, service.get(EVENTS + "?next=" + encode(eventCursor)).statusCode());
  }

  @Test
  void eachAccountSeesItsOwnEventsOnly() {
    createOrders("acme-", 2);
    HttpResponse<Buffer> globexOrder = service.postAs(ORDERS, new JsonObject().put("id", "globex-0").encode(), BOB, BOB_PASSWORD,
      GLOBEX);
    assertEquals(200, globexOrder.statusCode());

    List<JsonObject> acme = events("");
    List<JsonObject> globexForBob = walk("", BOB, BOB_PASSWORD, GLOBEX);
    List<JsonObject> globexForAlice = walk("", ALICE, ALICE_PASSWORD, GLOBEX);

    assertEquals(List.of("acme-0", "acme-1"), remoteIds(acme));
    acme.forEach(event -> assertEquals(ACME, event.getString("account_id")));
    assertEquals(List.of("globex-0"), remoteIds(globexForBob));
    assertEquals(GLOBEX, globexForBob.get(0).getString("account_id"));
    assertEquals(globexOrder.bodyAsJsonObject().getString("id"), globexForBob.get(0).getString("record_id"));
    assertEquals(remoteIds(globexForBob), remoteIds(globexForAlice));
    // bob is not granted acme: its feed is a 404 like any record of it
    assertStackOneError(service.getAs(EVENTS, BOB, BOB_PASSWORD, ACME), 404);
    assertStackOneError(service.getAs(EVENTS, null, null, ACME), 401);
    assertStackOneError(service.getAs(EVENTS, ALICE, ALICE_PASSWORD, null), 400);
  }

  @Test
  void aWalkDuringWritesNeitherSkipsNorRepeats() {
    createOrders("before-", 30);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger written = new AtomicInteger();
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      writers.add(write(writing, written, "during-" + w + "-"));
    }

    List<String> walked = new ArrayList<>();
    String next = null;
    do {
      JsonObject page = service.get(EVENTS + "?page_size=7" + (next == null ? "" : "&next=" + encode(next))).bodyAsJsonObject();
      page.getJsonArray("data").forEach(item -> walked.add(((JsonObject) item).getString("id")));
      next = page.getString("next");
    } while (next != null);
    writing.set(false);
    Future.all(writers).await();

    List<String> everything = events("").stream().map(event -> event.getString("id")).toList();
    assertTrue(written.get() > 0, "orders were written during the walk");
    assertEquals(30 + written.get(), everything.size(), "one event per committed write");
    assertEquals(new HashSet<>(walked).size(), walked.size(), "nothing repeated");
    assertEquals(everything.subList(0, walked.size()), walked, "the walk is a prefix of the final feed: nothing skipped");
    assertTrue(walked.size() >= 30, "the walk saw at least what was there when it began");
  }

  private Future<Void> write(AtomicBoolean writing, AtomicInteger written, String prefix) {
    if (!writing.get()) return Future.succeededFuture();
    return service.request(HttpMethod.POST, ORDERS)
      .sendBuffer(new JsonObject().put("id", prefix + written.incrementAndGet()).toBuffer())
      .compose(response -> response.statusCode() == 200 ? write(writing, written, prefix)
        : Future.failedFuture("a concurrent write failed: " + response.bodyAsString()));
  }
}
