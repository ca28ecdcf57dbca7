package org.atsassessments;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.events.EventTypes;
import org.atsassessments.testing.Prerequisites;
import org.atsassessments.testing.TestService;
import org.atsassessments.testing.WebhookReceiver;
import org.atsassessments.testing.WebhookReceiver.Delivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Webhook signatures as receivers check them, with code nobody here wrote: every delivery a real receiver got
 * (raw body and headers as they arrived) is verified by Standard Webhooks' npm library ({@code standardwebhooks}
 * 1.1.1, {@code new Webhook(secret).verify(body, headers)}) and by Node's crypto for {@code x-stackone-signature}
 * ({@code src/test/webhooks/verify.cjs}), by Standard Webhooks' Java library and a plain javax.crypto check, and by
 * the README's Python check ({@code src/test/webhooks/verify.py}, when python3 is installed). A rotation
 * signs with both secrets for {@code webhook_secret_overlap} (x-stackone-signature with the previous one), then
 * with the new one alone. Each check is also shown to refuse: another secret, and a body changed by one byte.
 */
@ExtendWith(VertxExtension.class)
class WebhookSignaturesTest {

  private static final Path PROJECT = Path.of("src/test/webhooks");
  private static final String OVERLAP = "2s";

  private WebhookReceiver receiver;

  @BeforeAll
  static void theLibraryIsInstalled() throws IOException {
    Prerequisites.requireNodePackages(PROJECT);
  }

  @AfterEach
  void closeReceiver() {
    if (receiver != null) receiver.close();
  }

  @Test
  void everyDeliveryVerifiesWithStandardWebhooksLibrariesAndTheStackOneCheckInNodeJavaAndPython(Vertx vertx,
                                                                                                @TempDir Path dir)
    throws Exception {
    TestService service = TestService.start(vertx, dir);
    receiver = WebhookReceiver.start(vertx, 0);
    JsonObject subscription = subscribe(service);
    String secret = subscription.getString("secret");
    assertTrue(secret.matches("whsec_[A-Za-z0-9+/]{43}="), secret);
    assertEquals(32, Base64.getDecoder().decode(secret.substring("whsec_".length())).length);

    String first = service.orderId("signed-1");
    service.orderId("signed-2 with unicode \u00e9\u4e2d\ud83d\ude00");
    assertEquals(200, service.patchResult(first, new JsonObject().put("summary", "passed \u00fc"), null).statusCode());
    List<Delivery> deliveries = List.of(receiver.next(10), receiver.next(10), receiver.next(10));

    for (Delivery delivery : deliveries) {
      JsonObject body = delivery.json();
      assertEquals(body.getString("id"), delivery.webhookId(), "webhook-id is the event's id");
      assertEquals(Set.of("id", "event", "account_id", "provider", "record_type", "record_id", "record_remote_id",
        "event_date", "sent_at", "event_data"), body.fieldNames());
      assertEquals(TestService.ACME, body.getString("account_id"));
      assertEquals("application/json", delivery.header("content-type"));
      long timestamp = Long.parseLong(delivery.header("webhook-timestamp"));
      assertTrue(Math.abs(timestamp - System.currentTimeMillis() / 1000) <= 30, "webhook-timestamp in unix seconds: " + timestamp);
      assertEquals(Instant.parse(body.getString("sent_at")).getEpochSecond(), timestamp, "signed when sent");
      assertTrue(delivery.header("webhook-signature").matches("v1,[A-Za-z0-9+/]{43}="), delivery.header("webhook-signature"));
      assertTrue(delivery.header("x-stackone-signature").matches("[A-Za-z0-9_-]{43}"), delivery.header("x-stackone-signature"));
    }
    assertEquals(List.of(EventTypes.ORDER_CREATED, EventTypes.ORDER_CREATED, EventTypes.ORDER_UPDATED),
      deliveries.stream().map(d -> d.json().getString("event")).sorted().toList());

    String other = randomSecret();
    Delivery tampered = tamper(deliveries.get(0));
    List<Delivery> checked = new ArrayList<>(deliveries);
    checked.add(tampered);
    Checks checks = verify(checked, List.of(secret, other));
    for (int d = 0; d < deliveries.size(); d++) {
      checks.expect(d, 0, true, true, "delivery " + d + " with its subscription's secret");
      checks.expect(d, 1, false, false, "delivery " + d + " with another secret");
    }
    checks.expect(deliveries.size(), 0, false, false, "a body changed by one byte");
    System.out.println("webhook signatures: " + deliveries.size() + " deliveries verified by " + checks.versions);
  }

  @Test
  void aRotatedSecretSignsBesideTheNewOneForTheOverlapThenTheNewOneAlone(Vertx vertx, @TempDir Path dir) throws Exception {
    TestService service = TestService.start(vertx, dir, config -> config.with("webhook_secret_overlap", OVERLAP));
    receiver = WebhookReceiver.start(vertx, 0);
    JsonObject subscription = subscribe(service);
    String old = subscription.getString("secret");
    service.orderId("before-rotation");
    Delivery before = receiver.next(10);

    HttpResponse<Buffer> rotation = service.request(HttpMethod.POST, "/webhooks/" + subscription.getString("id")
      + "/rotate-secret").send().await();
    assertEquals(200, rotation.statusCode(), rotation.bodyAsString());
    JsonObject rotated = rotation.bodyAsJsonObject().getJsonObject("data");
    String current = rotated.getString("secret");
    assertNotNull(current);
    assertFalse(current.equals(old));
    Instant overlapEnds = Instant.parse(rotated.getString("previous_secret_expires_at"));

    service.orderId("during-overlap");
    Delivery during = receiver.next(10);
    assertTrue(Instant.parse(during.json().getString("sent_at")).isBefore(overlapEnds),
      "sent within the " + OVERLAP + " overlap (else this test's machine was too slow to show it): sent "
        + during.json().getString("sent_at") + ", overlap until " + overlapEnds);
    String[] signatures = during.header("webhook-signature").split(" ");
    assertEquals(2, signatures.length, "two signatures during the overlap: " + Arrays.toString(signatures));
    for (String signature : signatures) assertTrue(signature.matches("v1,[A-Za-z0-9+/]{43}="), signature);

    long wait = overlapEnds.toEpochMilli() - System.currentTimeMillis() + 100;
    if (wait > 0) Thread.sleep(wait);
    service.orderId("after-overlap");
    Delivery after = receiver.next(10);
    assertTrue(Instant.parse(after.json().getString("sent_at")).isAfter(overlapEnds));
    assertTrue(after.header("webhook-signature").matches("v1,[A-Za-z0-9+/]{43}="),
      "one signature after the overlap: " + after.header("webhook-signature"));

    Checks checks = verify(List.of(before, during, after, tamper(during)), List.of(old, current, randomSecret()));
    // before the rotation: the old secret only
    checks.expect(0, 0, true, true, "before the rotation, the secret then");
    checks.expect(0, 1, false, false, "before the rotation, the secret made later");
    // the overlap: Standard Webhooks verifies with either secret; x-stackone-signature is still the previous one's
    checks.expect(1, 0, true, true, "during the overlap, the previous secret");
    checks.expect(1, 1, true, false, "during the overlap, the new secret");
    checks.expect(1, 2, false, false, "during the overlap, another secret");
    // after it: the new secret only
    checks.expect(2, 0, false, false, "after the overlap, the previous secret");
    checks.expect(2, 1, true, true, "after the overlap, the new secret");
    checks.expect(3, 0, false, false, "a body changed by one byte, the previous secret");
    checks.expect(3, 1, false, false, "a body changed by one byte, the new secret");
  }

  // ---- the subscription ----------------------------------------------------------------------------------------

  private JsonObject subscribe(TestService service) {
    HttpResponse<Buffer> created = service.request(HttpMethod.POST, "/webhooks").putHeader("Content-Type", "application/json")
      .sendBuffer(new JsonObject().put("url", receiver.url()).put("account_ids", new JsonArray().add(TestService.ACME))
        .toBuffer()).await();
    assertEquals(200, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getJsonObject("data");
  }

  private static String randomSecret() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }

  /** The same delivery with one byte of its body changed (inside event_data, so it is still JSON). */
  private static Delivery tamper(Delivery delivery) {
    byte[] body = delivery.body().clone();
    int at = delivery.text().indexOf("\"event_data\"") + "\"event_data\"".length() + 4;
    body[at] = (byte) (body[at] == 'x' ? 'y' : 'x');
    assertFalse(Arrays.equals(body, delivery.body()));
    return new Delivery(delivery.uri(), body, delivery.headers(), delivery.receivedMs());
  }

  // ---- the checks ----------------------------------------------------------------------------------------------

  /** Each delivery checked with each secret, by every verifier; {@link #expect} asserts they all agree. */
  private static final class Checks {
    final boolean[][] nodeStandard;
    final boolean[][] nodeStackOne;
    final String[][] nodeErrors;
    final boolean[][] pythonStackOne;
    final boolean[][] pythonStandard;
    final List<Delivery> deliveries;
    final List<String> secrets;
    String versions;

    Checks(List<Delivery> deliveries, List<String> secrets) {
      this.deliveries = deliveries;
      this.secrets = secrets;
      nodeStandard = new boolean[deliveries.size()][secrets.size()];
      nodeStackOne = new boolean[deliveries.size()][secrets.size()];
      nodeErrors = new String[deliveries.size()][secrets.size()];
      pythonStackOne = new boolean[deliveries.size()][secrets.size()];
      pythonStandard = new boolean[deliveries.size()][secrets.size()];
    }

    /** webhook-signature verifies (or not) in both Standard Webhooks libraries; x-stackone-signature in Node, Java, Python. */
    void expect(int delivery, int secret, boolean standard, boolean stackOne, String what) {
      Delivery d = deliveries.get(delivery);
      String s = secrets.get(secret);
      assertEquals(standard, nodeStandard[delivery][secret], what + ": webhook-signature by the npm standardwebhooks library ("
        + nodeErrors[delivery][secret] + ")");
      assertEquals(standard, javaStandard(d, s), what + ": webhook-signature by the Java standardwebhooks library");
      assertEquals(stackOne, nodeStackOne[delivery][secret], what + ": x-stackone-signature by Node's crypto");
      assertEquals(stackOne, javaStackOne(d, s), what + ": x-stackone-signature by javax.crypto");
      if (python != null) assertEquals(stackOne, pythonStackOne[delivery][secret], what + ": x-stackone-signature by Python");
      if (python != null) assertEquals(standard, pythonStandard[delivery][secret], what + ": webhook-signature by Python");
    }
  }

  private static Checks verify(List<Delivery> deliveries, List<String> secrets) throws Exception {
    JsonArray input = new JsonArray();
    for (Delivery delivery : deliveries) {
      JsonObject headers = new JsonObject();
      for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature", "x-stackone-signature")) {
        headers.put(name, delivery.header(name));
      }
      input.add(new JsonObject().put("body_base64", Base64.getEncoder().encodeToString(delivery.body())).put("headers", headers));
    }
    Path file = Files.createTempFile("webhook-deliveries", ".json");
    Files.writeString(file, new JsonObject().put("deliveries", input).put("secrets", new JsonArray(new ArrayList<>(secrets)))
      .encode());
    Checks checks = new Checks(deliveries, secrets);
    try {
      JsonObject node = run(List.of("node", "verify.cjs", file.toString()));
      JsonArray results = node.getJsonArray("results");
      for (int d = 0; d < deliveries.size(); d++) {
        for (int s = 0; s < secrets.size(); s++) {
          JsonObject result = results.getJsonArray(d).getJsonObject(s);
          checks.nodeStandard[d][s] = result.getBoolean("standard");
          checks.nodeErrors[d][s] = result.getString("standard_error");
          checks.nodeStackOne[d][s] = result.getBoolean("stackone");
        }
      }
      checks.versions = "Node " + node.getString("node") + " with standardwebhooks " + node.getString("standardwebhooks")
        + ", Java's standardwebhooks, javax.crypto";
      if (python != null) {
        JsonObject py = run(List.of(python, "verify.py", file.toString()));
        for (int d = 0; d < deliveries.size(); d++) {
          for (int s = 0; s < secrets.size(); s++) {
            checks.pythonStackOne[d][s] = py.getJsonArray("results").getJsonArray(d).getBoolean(s);
            checks.pythonStandard[d][s] = py.getJsonArray("standard").getJsonArray(d).getBoolean(s);
          }
        }
        checks.versions += " and Python " + py.getString("python");
      } else {
        checks.versions += " (no python3 on this machine: the Python check was not run)";
      }
    } finally {
      Files.delete(file);
    }
    return checks;
  }

  /** python3 when it is installed (it is not a prerequisite of the tests). */
  private static final String python = findPython();

  private static String findPython() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "python3"))) return Path.of(dir, "python3").toString();
    }
    return null;
  }

  private static boolean javaStandard(Delivery delivery, String secret) {
    try {
      new Webhook(secret).verify(delivery.text(), delivery.headers());
      return true;
    } catch (WebhookVerificationException refused) {
      return false;
    }
  }

  /** What a Java receiver would write for x-stackone-signature: HMAC-SHA256 of the raw body, base64url without padding. */
  private static boolean javaStackOne(Delivery delivery, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
      String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(delivery.body()));
      return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        delivery.header("x-stackone-signature").getBytes(StandardCharsets.US_ASCII));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject run(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("webhook-verify", ".log");
    Process process;
    try {
      process = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IOException(command.get(0) + " is needed to verify webhook signatures: run " + Prerequisites.SCRIPT, e);
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " did not finish in 30 s:\n" + Files.readString(log));
    }
    String output = Files.readString(log);
    Files.delete(log);
    assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
    String[] lines = output.trim().split("\n");
    return new JsonObject(lines[lines.length - 1]);
  }
}
