package org.atsassessments.repository;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.repository.api.Exchange;
import org.atsassessments.repository.api.RepositoryException;
import org.atsassessments.repository.api.ResultUpdate;
import org.atsassessments.repository.api.ResultUpdated;
import org.atsassessments.repository.api.Scope;
import org.atsassessments.repository.bus.RepositoryBusClient;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.atsassessments.testing.TestService.ACME;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A result update with If-Match is safe to repeat: the bus client sends it again to another repository node when
 * the node it went to died before answering, and the update may have been committed there. The repository
 * recognizes the repeat by the update's key and answers it as it answered the first time, instead of a 412 for
 * the ETag the first one moved; nothing is applied twice.
 */
@ExtendWith(VertxExtension.class)
class RepeatedUpdatesTest {

  private static final Exchange PATCH = new Exchange("PATCH", TestService.PUBLIC_URL + ORDERS + "/x/result");

  @Test
  void aRepeatOfAnUpdateAlreadyAppliedIsAnsweredAsTheFirstTime(Vertx vertx, @TempDir Path dir) {
    TestService service = TestService.start(vertx, dir);
    String id = service.orderId("repeated");
    RepositoryBusClient repository = new RepositoryBusClient(vertx, 10_000);
    Scope scope = new Scope(ACME, null);
    ResultUpdate update = new ResultUpdate(new JsonObject().put("summary", "first"), "\"0\"", PATCH, "key-of-the-update");

    ResultUpdated first = repository.updateResult(scope, id, update).await();
    ResultUpdated repeat = repository.updateResult(scope, id, update).await();

    assertEquals("\"1\"", first.etag());
    assertEquals(first, repeat, "the same answer, timestamp included");
    assertEquals("\"1\"", service.get(ORDERS + "/" + id).getHeader("ETag"), "applied once");
    // another update with the same stale If-Match is refused as before
    RepositoryException stale = assertThrows(RepositoryException.class, () -> repository.updateResult(scope, id,
      new ResultUpdate(new JsonObject().put("summary", "second"), "\"0\"", PATCH, "another-key")).await());
    assertEquals(412, stale.status());
    // and the key is the account's order's own: the same key on another order is a new update
    String other = service.orderId("other");
    assertEquals("\"1\"", repository.updateResult(scope, other, update).await().etag());
  }
}
