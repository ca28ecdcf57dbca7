package org.atsassessments;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.atsassessments.testing.TestService.PACKAGES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET .../orders and GET .../packages: StackOne's cursor pagination and updated_after filter. */
@ExtendWith(VertxExtension.class)
class ListingTest {

  private TestService service;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) {
    service = TestService.start(vertx, dir);
  }

  /** One after the other, so their change order is their number order. */
  private void createOrders(String prefix, int count) {
    for (int i = 0; i < count; i++) {
      assertEquals(200, service.createOrder(new JsonObject().put("id", prefix + i)).statusCode());
    }
  }

  /** Every remote_id of a walk from the start, following next until it is null. */
  private List<String> walk(String base, String query) {
    List<String> seen = new ArrayList<>();
    String next = null;
    do {
      String uri = base + "?fields=remote_id&" + query + (next == null ? "" : "&next=" + encode(next));
      JsonObject page = service.get(uri).bodyAsJsonObject();
      page.getJsonArray("data").forEach(item -> seen.add(((JsonObject) item).getString("remote_id")));
      next = page.getString("next");
    } while (next != null);
    return seen;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void pagesFollowTheCursorUntilNextIsNull() {
    createOrders("o-", 7);

    JsonObject first = service.get(ORDERS + "?page_size=3&fields=remote_id").bodyAsJsonObject();

    assertEquals(3, first.getJsonArray("data").size());
    assertNotNull(first.getString("next"));
    List<String> all = walk(ORDERS, "page_size=3");
    assertEquals(7, all.size());
    assertEquals(7, new HashSet<>(all).size());
    JsonObject last = service.get(ORDERS + "?page_size=7").bodyAsJsonObject();
    assertNull(last.getValue("next"), "an exactly full last page has next: null");
    assertTrue(last.containsKey("next"));
  }

  @Test
  void pageSizeDefaultsTo25AndIsCappedAt100() {
    createOrders("many-", 105);

    assertEquals(25, service.get(ORDERS).bodyAsJsonObject().getJsonArray("data").size());
    assertEquals(100, service.get(ORDERS + "?page_size=1000").bodyAsJsonObject().getJsonArray("data").size());
    assertEquals(105, walk(ORDERS, "page_size=100").size());
  }

  @Test
  void aPageSizeThatIsNotAPositiveNumberIs400() {
    for (String size : new String[] {"abc", "0", "-1", "2.5", "1e3"}) {
      JsonObject error = assertStackOneError(service.get(ORDERS + "?page_size=" + size), 400);
      assertEquals("page_size must be a whole number of at least 1", error.getString("message"), size);
    }
  }

  @Test
  void theNewestUpdateComesLast() {
    createOrders("u-", 3);
    service.patchResult("u-0", new JsonObject().put("summary", "done"), null);

    assertEquals(List.of("u-1", "u-2", "u-0"), walk(ORDERS, ""));
  }

  @Test
  void updatedAfterFiltersInEveryFormTheSdkOrCurlSends() throws InterruptedException {
    createOrders("old-", 2);
    Thread.sleep(5);
    String between = java.time.Instant.now().toString();
    Thread.sleep(5);
    createOrders("new-", 2);

    assertEquals(2, walk(ORDERS, "filter[updated_after]=" + encode(between)).size());
    assertEquals(2, walk(ORDERS, "updated_after=" + encode(between)).size());
    // the SDK sends filter.updated_after and the deprecated updated_after as two bare values; the first is the filter
    assertEquals(2, walk(ORDERS, "updated_after=" + encode(between) + "&updated_after=2000-01-01T00:00:00.000Z").size());
    assertEquals(4, walk(ORDERS, "filter[updated_after]=2000-01-01T00:00:00.000Z&updated_after=" + encode(between)).size());
    assertEquals(0, walk(ORDERS, "updated_after=2999-01-01T00:00:00%2B02:00").size());
  }

  @Test
  void anUpdatedAfterThatIsNotADateTimeIs400() {
    for (String value : new String[] {"yesterday", "2020-01-01", "2020-01-01T00:00:00"}) {
      assertStackOneError(service.get(ORDERS + "?updated_after=" + value), 400);
      assertStackOneError(service.get(PACKAGES + "?filter[updated_after]=" + value), 400);
    }
  }

  @Test
  void aForeignOrTamperedCursorIs400() {
    createOrders("c-", 3);
    service.send(HttpMethod.PUT, PACKAGES + "/p1", "{}");
    service.send(HttpMethod.PUT, PACKAGES + "/p2", "{}");
    String orderCursor = service.get(ORDERS + "?page_size=1").bodyAsJsonObject().getString("next");
    String packageCursor = service.get(PACKAGES + "?page_size=1").bodyAsJsonObject().getString("next");
    String globexCursor = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
      new JsonObject().put("l", "orders").put("a", TestService.GLOBEX).put("c", 0).encode().getBytes());

    for (String bad : new String[] {"garbage", packageCursor, globexCursor, orderCursor + "x", "e30"}) {
      JsonObject error = assertStackOneError(service.get(ORDERS + "?next=" + encode(bad)), 400);
      assertEquals("next is not a cursor of this list", error.getString("message"));
    }
    assertEquals(200, service.get(ORDERS + "?next=" + encode(orderCursor)).statusCode());
  }

  @Test
  void fieldsAndRawApplyToEveryItemAndUnknownParametersAreIgnored() {
    createOrders("f-", 2);

    JsonObject page = service.get(ORDERS + "?fields=remote_id&raw=true&foo=bar&proxy[a]=b&page=3").bodyAsJsonObject();

    assertEquals(new JsonArray().add(new JsonObject().put("remote_id", "f-0")).add(new JsonObject().put("remote_id", "f-1")),
      page.getJsonArray("data"));
    assertEquals(2, page.getJsonArray("raw").size());
    assertEquals("POST", page.getJsonArray("raw").getJsonObject(0).getString("method"));
  }

  @Test
  void theSdksOwnQueryIsAccepted() {
    service.send(HttpMethod.PUT, PACKAGES + "/p1", "{\"name\":\"One\"}");

    HttpResponse<Buffer> response = service.get(PACKAGES + "?fields=id%2Cname&updated_after=2020-01-01T00%3A00%3A00.000Z"
      + "&page_size=50&foo=bar&raw=true&updated_after=2021-01-01T00%3A00%3A00.000Z");

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(new JsonObject().put("id", "p1").put("name", "One"),
      response.bodyAsJsonObject().getJsonArray("data").getJsonObject(0));
  }

  @Test
  void listsAreLimitedToTheAccount() {
    createOrders("mine-", 2);

    HttpResponse<Buffer> globex = service.getAs(ORDERS, TestService.BOB, TestService.BOB_PASSWORD, TestService.GLOBEX);

    assertEquals(new JsonArray(), globex.bodyAsJsonObject().getJsonArray("data"));
  }

  @Test
  void aWalkDuringInsertsNeitherSkipsNorRepeats() {
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
      JsonObject page = service.get(ORDERS + "?page_size=7&fields=remote_id" + (next == null ? "" : "&next=" + encode(next)))
        .bodyAsJsonObject();
      page.getJsonArray("data").forEach(item -> walked.add(((JsonObject) item).getString("remote_id")));
      next = page.getString("next");
    } while (next != null);
    writing.set(false);
    Future.all(writers).await();

    List<String> everything = walk(ORDERS, "page_size=100");
    assertTrue(written.get() > 0, "orders were written during the walk");
    assertEquals(new HashSet<>(walked).size(), walked.size(), "nothing repeated");
    assertEquals(everything.subList(0, walked.size()), walked, "the walk is a prefix of the final order: nothing skipped");
    for (int i = 0; i < 30; i++) assertTrue(walked.contains("before-" + i));
  }

  private Future<Void> write(AtomicBoolean writing, AtomicInteger written, String prefix) {
    if (!writing.get()) return Future.succeededFuture();
    return service.request(HttpMethod.POST, ORDERS)
      .sendBuffer(new JsonObject().put("id", prefix + written.incrementAndGet()).toBuffer())
      .compose(response -> response.statusCode() == 200 ? write(writing, written, prefix)
        : Future.failedFuture("a concurrent write failed: " + response.bodyAsString()));
  }
}
