package org.atsassessments.edge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.apache.commons.codec.digest.Md5Crypt;
import org.atsassessments.ops.FileWatch;
import org.atsassessments.testing.LogRecords;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.ALICE_PASSWORD;
import static org.atsassessments.testing.TestService.BOB;
import static org.atsassessments.testing.TestService.BOB_PASSWORD;
import static org.atsassessments.testing.TestService.GLOBEX;
import static org.atsassessments.testing.TestService.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The users and accounts files are reloaded when they change, without a restart or a dropped request. */
@ExtendWith(VertxExtension.class)
class ReloadTest {

  /** Polls until {@code status} answers {@code expected} (at most 10 s): the files are checked every 100 ms. */
  private static void eventually(int expected, IntSupplier status) throws InterruptedException {
    int last = -1;
    for (int i = 0; i < 100 && last != expected; i++) {
      last = status.getAsInt();
      if (last != expected) Thread.sleep(100);
    }
    assertEquals(expected, last);
  }

  @Test
  void usersAndGrantsChangeWithTheFilesAndABrokenFileKeepsThePreviousOne(Vertx vertx, @TempDir Path dir) throws Exception {
    TestService service = TestService.start(vertx, dir, config -> config.with("config_reload_ms", 100));
    Path htpasswd = Path.of(service.config.htpasswd());
    Path accounts = Path.of(service.config.accounts());
    assertEquals(404, service.getAs(ORDERS + "/nothing", BOB, BOB_PASSWORD, GLOBEX).statusCode());

    // requests keep flowing while the files change under them
    List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      inFlight.add(service.request(io.vertx.core.http.HttpMethod.GET, ORDERS + "/nothing").send());
      if (i == 50) {
        Files.writeString(htpasswd, ALICE + ":" + Md5Crypt.apr1Crypt(ALICE_PASSWORD) + "\n"
          + BOB + ":" + Md5Crypt.apr1Crypt("new-password") + "\n");
      }
      if (i % 20 == 0) Thread.sleep(20);
    }
    for (Future<HttpResponse<Buffer>> answer : inFlight) assertEquals(404, answer.await().statusCode());

    // bob's new password works and the old one is refused (no cached verification survives the reload)
    eventually(404, () -> service.getAs(ORDERS + "/nothing", BOB, "new-password", GLOBEX).statusCode());
    assertEquals(401, service.getAs(ORDERS + "/nothing", BOB, BOB_PASSWORD, GLOBEX).statusCode());

    // globex no longer granted to bob
    Files.writeString(accounts, new JsonObject().put("accounts", new JsonArray()
      .add(new JsonObject().put("id", GLOBEX).put("status", "active").put("users", new JsonArray().add(ALICE)))).encode());
    eventually(404, () -> service.getAs(ORDERS, BOB, "new-password", GLOBEX).statusCode());
    assertEquals(200, service.getAs(ORDERS, ALICE, ALICE_PASSWORD, GLOBEX).statusCode());

    // a broken accounts file, or a users file emptied or caught half written, changes nothing: once the watch
    // has seen both and said it kept the previous ones, the previous grants and passwords still apply
    try (LogRecords watch = LogRecords.of(FileWatch.class.getName())) {
      Files.writeString(accounts, "{ not json");
      Files.writeString(htpasswd, "# being rewritten\n");
      watch.await("that it kept the previous " + accounts, line -> line.startsWith("kept the previous " + accounts + ":"), 10);
      watch.await("that it kept the previous " + htpasswd, line -> line.startsWith("kept the previous " + htpasswd + ":"), 10);
    }
    assertEquals(200, service.getAs(ORDERS, ALICE, ALICE_PASSWORD, GLOBEX).statusCode());
    assertEquals(404, service.getAs(ORDERS, BOB, "new-password", GLOBEX).statusCode());
    assertEquals(404, service.getAs(ORDERS + "/nothing", BOB, "new-password", TestService.ACME).statusCode(),
      "bob's password still checked against the previous users file");

    // and the next good version applies
    Files.writeString(htpasswd, ALICE + ":" + Md5Crypt.apr1Crypt("third") + "\n");
    eventually(200, () -> service.getAs(ORDERS, ALICE, "third", GLOBEX).statusCode());
    assertEquals(401, service.getAs(ORDERS, BOB, "new-password", GLOBEX).statusCode());
  }
}
