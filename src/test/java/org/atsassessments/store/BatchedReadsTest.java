package org.atsassessments.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.ops.WorkCounters;
import org.atsassessments.testing.TestService;
import org.atsassessments.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Reads by id that wait while others are in the store go together; each still gets exactly its own record. */
@ExtendWith(VertxExtension.class)
class BatchedReadsTest {

  private static Store open(Vertx vertx, Context context, Path dir) {
    ServiceConfig config = TestService.config(dir);
    Promise<Store> opened = Promise.promise();
    context.runOnContext(v -> Stores.open(vertx, config).onComplete(opened));
    return opened.future().await();
  }

  private static StoredDocument order(String account, String id, long change) {
    return new StoredDocument(id, account, "r-" + id, new JsonObject().put("id", id).put("remote_id", "r-" + id),
      new JsonObject().put("method", "POST"), 1, 2, change, 0);
  }

  @Test
  void lookupsThatFindTheStoreBusyGoAsOneStatement(Vertx vertx, @TempDir Path dir) {
    Context context = vertx.getOrCreateContext();
    Store store = open(vertx, context, dir);
    List<String> ids = List.of("o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8");
    for (String id : ids) store.writeOne(change -> store.orders().insert(change.connection(), order("a", id, change.seq()))).await();
    store.writeOne(change -> store.orders().insert(change.connection(), order("b", "o9", change.seq()))).await();
    WorkCounters counters = WorkCounters.of(vertx);

    // asked for in one event-loop task: the first two go at once, the other ten wait and go in one statement
    List<String> asked = List.of("o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "o1", "o9", "missing", "r-o3");
    Promise<List<StoredDocument>> all = Promise.promise();
    long before = counters.storeQueries.get();
    context.runOnContext(v -> {
      List<Future<StoredDocument>> found = new ArrayList<>();
      for (String id : asked) found.add(store.orders().find("a", id, false));
      Future.all(found).map(done -> done.<StoredDocument>list()).onComplete(all);
    });
    List<StoredDocument> found = all.future().await();

    List<String> expected = new ArrayList<>(List.of("o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "o1"));
    expected.add(null);   // another account's order is not found by id (nor by remote id)
    expected.add(null);
    expected.add("o3");   // by the provider's id
    assertEquals(expected, found.stream().map(order -> order == null ? null : order.id()).toList());
    assertEquals(new JsonObject().put("id", "o5").put("remote_id", "r-o5"), found.get(4).document());
    assertEquals(List.of(1L, 2L, "a", 5L), List.of(found.get(4).createdMs(), found.get(4).updatedMs(),
      found.get(4).accountId(), found.get(4).changeSeq()));
    // 3 statements for the 12 lookups by id, then one lookup by remote_id for each of the 3 not found by id
    assertEquals(6, counters.storeQueries.get() - before);
    store.close().await();
  }

  @Test
  void theH2DecoderReadsWhatTheDefaultDecoderReads(Vertx vertx, @TempDir Path dir) {
    assumeFalse(TestStores.postgres(), "the decoder is the embedded store's");
    Context context = vertx.getOrCreateContext();
    Store ours = open(vertx, context, dir);
    String sql = "SELECT CAST('text é 𝄞' AS VARCHAR), CAST(NULL AS VARCHAR), CAST(9007199254740993 AS BIGINT),"
      + " CAST(NULL AS BIGINT), CAST(-7 AS INT), CAST(NULL AS INT), TRUE, DATE '2020-01-02', X'0102', 1.5, CAST(3 AS SMALLINT)";
    Row row = ours.pool().query(sql).execute().await().iterator().next();
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < row.size(); i++) values.add(row.getValue(i));
    ours.close().await();

    Pool plain = JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl("jdbc:h2:mem:decoder").setUser("sa").setPassword(""),
      new PoolOptions().setMaxSize(1));
    Row expected = plain.query(sql).execute().await().iterator().next();
    List<Object> defaults = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) defaults.add(expected.getValue(i));
    plain.close().await();
    assertEquals(defaults, values);
    assertEquals("text é 𝄞", values.get(0));
    assertEquals(9007199254740993L, values.get(2));
  }
}
