package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.events.Targets;
import org.atsassessments.testing.Eventually;
import org.atsassessments.testing.TestService;
import org.atsassessments.testing.WebhookReceiver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;

import static org.atsassessments.testing.ContractAssertions.assertStackOneError;
import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.ALICE_PASSWORD;
import static org.atsassessments.testing.TestService.BOB;
import static org.atsassessments.testing.TestService.BOB_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server-side request forgery: with webhook_allow_private_targets false, a subscription may not point at this
 * host, the private network or the cloud's metadata service, neither when it is written nor (should the
 * setting change under a stored one) when a delivery connects.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookTargetsTest {

  private static final String WEBHOOKS = "/webhooks";
  /** A public address (example.com's), written as a literal so that nothing has to resolve. */
  private static final String PUBLIC_TARGET = "https://93.184.216.34/hooks/ats";
  private static final String REFUSED = "such targets are refused";

  /** A node that refuses private targets, for the class: refused creations store nothing, and only bob's are tried. */
  private TestService service;

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) {
    service = TestService.start(vertx, dir, config -> config.with("webhook_allow_private_targets", false));
  }

  private static HttpResponse<Buffer> send(TestService service, HttpMethod method, String uri, JsonObject body) {
    return send(service, ALICE, ALICE_PASSWORD, method, uri, body);
  }

  private static HttpResponse<Buffer> send(TestService service, String user, String password, HttpMethod method, String uri,
                                           JsonObject body) {
    var request = service.client.request(method, uri).putHeader("Authorization", TestService.basic(user, password));
    return body == null ? request.send().await()
      : request.putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()).await();
  }

  private static JsonArray list(TestService service, String user, String password) {
    HttpResponse<Buffer> list = send(service, user, password, HttpMethod.GET, WEBHOOKS, null);
    assertEquals(200, list.statusCode(), list.bodyAsString());
    return list.bodyAsJsonObject().getJsonArray("data");
  }

  /** The service's own port stands in for any local service an attacker would aim at. */
  private static String target(String template, TestService service) {
    return template.replace("{port}", String.valueOf(service.config.httpPort()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:{port}/", "http://10.1.2.3/", "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:80/", "http://localhost:{port}/", "http://[::ffff:127.0.0.1]:{port}/", "https://192.168.0.10/hook",
    "http://172.16.5.4/", "http://100.64.0.1/", "http://0.0.0.0:{port}/", "http://[fd00::1]/", "http://[fe80::1]/",
    "http://127.1.2.3:{port}/", "http://2130706433:{port}/"})
  void aPrivateTargetIsRefusedAtCreationAndNothingIsStored(String template) {
    String url = target(template, service);

    JsonObject error = assertStackOneError(send(service, BOB, BOB_PASSWORD, HttpMethod.POST, WEBHOOKS,
      new JsonObject().put("url", url)), 422);

    String message = error.getString("message");
    assertTrue(message.startsWith("url: host "), message);
    assertTrue(message.contains("resolves to a loopback, private or link-local address"), message);
    assertTrue(message.endsWith(REFUSED), message);
    assertEquals(new JsonArray(), list(service, BOB, BOB_PASSWORD), "nothing was stored");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:{port}/", "http://10.1.2.3/", "http://169.254.169.254/", "http://[::1]:80/",
    "http://localhost:{port}/"})
  void aPrivateTargetIsRefusedOnPatchAndTheStoredUrlStays(String template) {
    HttpResponse<Buffer> created = send(service, HttpMethod.POST, WEBHOOKS, new JsonObject().put("url", PUBLIC_TARGET)
      .put("events", new JsonArray().add("ats_assessments_packages.updated")));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    JsonObject stored = created.bodyAsJsonObject().getJsonObject("data");
    stored.remove("secret");
    String uri = WEBHOOKS + "/" + stored.getString("id");

    JsonObject error = assertStackOneError(send(service, HttpMethod.PATCH, uri,
      new JsonObject().put("url", target(template, service)).put("description", "moved")), 422);

    assertTrue(error.getString("message").endsWith(REFUSED), error.getString("message"));
    assertEquals(stored, send(service, HttpMethod.GET, uri, null).bodyAsJsonObject().getJsonObject("data"), "nothing changed");
    assertTrue(list(service, ALICE, ALICE_PASSWORD).contains(stored), "listed as it was");
  }

  @Test
  void aPublicTargetIsAccepted() {
    HttpResponse<Buffer> created = send(service, HttpMethod.POST, WEBHOOKS, new JsonObject().put("url", PUBLIC_TARGET)
      .put("events", new JsonArray().add("ats_assessments_packages.updated")));

    assertEquals(200, created.statusCode(), created.bodyAsString());
    String id = created.bodyAsJsonObject().getJsonObject("data").getString("id");
    assertTrue(list(service, ALICE, ALICE_PASSWORD).stream().anyMatch(item -> id.equals(((JsonObject) item).getString("id"))));
  }

  @Test
  void aHostThatDoesNotResolveIsRefused() {
    JsonObject error = assertStackOneError(send(service, BOB, BOB_PASSWORD, HttpMethod.POST, WEBHOOKS,
      new JsonObject().put("url", "https://no-such-host.invalid/hook")), 422);

    assertEquals("url: host no-such-host.invalid does not resolve", error.getString("message"));
    assertEquals(new JsonArray(), list(service, BOB, BOB_PASSWORD));
  }

  /**
   * A subscription stored while private targets were allowed, on a node that now refuses them: its deliveries
   * are checked against the address they would connect to, and refused there, with the reason in the attempt.
   */
  @Test
  void aStoredPrivateTargetIsRefusedWhenADeliveryConnects(Vertx vertx, @TempDir Path dir) {
    WebhookReceiver receiver = WebhookReceiver.start(vertx);
    ServiceConfig allowing = TestService.config(dir);  // test nodes allow loopback receivers
    assertTrue(allowing.webhookAllowPrivateTargets());
    Vertx first = Vertx.vertx();
    String id;
    try {
      TestService before = TestService.start(first, allowing);
      HttpResponse<Buffer> created = send(before, HttpMethod.POST, WEBHOOKS, new JsonObject().put("url", receiver.url("/hook")));
      assertEquals(200, created.statusCode(), created.bodyAsString());
      id = created.bodyAsJsonObject().getJsonObject("data").getString("id");
    } finally {
      first.close().await();
    }

    Vertx second = Vertx.vertx();
    try {
      TestService after = TestService.start(second, allowing.with("webhook_allow_private_targets", false)
        .with("http_port", TestService.freePort()));
      String orderId = after.orderId("refused-target");

      JsonObject delivery = Eventually.await("the delivery's first attempt",
        () -> send(after, HttpMethod.GET, WEBHOOKS + "/" + id + "/deliveries", null).bodyAsJsonObject().getJsonArray("data"),
        rows -> rows.size() == 1 && !rows.getJsonObject(0).getJsonArray("attempts").isEmpty(), 10).getJsonObject(0);

      JsonObject attempt = delivery.getJsonArray("attempts").getJsonObject(0);
      String error = attempt.getString("error");
      assertTrue(error.startsWith("not sent: url: host 127.0.0.1 resolves to a loopback"), error);
      assertTrue(error.endsWith(REFUSED), error);
      assertNull(attempt.getValue("status_code"), "no request was made, so there is no status");
      assertEquals("pending", delivery.getString("state"), "refused attempts are retried like any failed one");
      assertEquals(List.of(), receiver.received(), "the receiver got nothing");
      assertEquals(orderId, after.get(TestService.ORDERS + "/refused-target").bodyAsJsonObject().getJsonObject("data")
        .getString("id"), "the order itself was stored");
    } finally {
      second.close().await();
      receiver.close();
    }
  }

  // ---- which addresses are forbidden -------------------------------------------------------------------------

  /** {@code ::ffff:a.b.c.d} kept as an IPv6 address (InetAddress.getByName would answer the IPv4 address). */
  private static InetAddress mapped(String ipv4) throws UnknownHostException {
    byte[] v6 = new byte[16];
    v6[10] = (byte) 0xff;
    v6[11] = (byte) 0xff;
    System.arraycopy(InetAddress.getByName(ipv4).getAddress(), 0, v6, 12, 4);
    return Inet6Address.getByAddress(null, v6, -1);
  }

  @Test
  void anIpv4MappedIpv6AddressIsJudgedByItsIpv4Address() throws UnknownHostException {
    InetAddress loopback = mapped("127.0.0.1");
    assertTrue(loopback instanceof Inet6Address, "kept as IPv6: " + loopback);
    assertTrue(Targets.forbidden(loopback));
    assertTrue(Targets.forbidden(mapped("10.0.0.1")));
    assertTrue(Targets.forbidden(mapped("169.254.169.254")));
    assertTrue(Targets.forbidden(mapped("100.64.0.1")));
    assertTrue(Targets.forbidden(InetAddress.getByName("::ffff:127.0.0.1")), "as the JDK parses it, too");
    assertFalse(Targets.forbidden(mapped("93.184.216.34")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fc00::1", "fd12:3456:789a::1", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::1", "::", "fe80::1",
    "ff02::1", "100.64.0.1", "100.127.255.254", "127.0.0.1", "127.255.255.254", "10.1.2.3", "172.31.255.1", "192.168.1.1",
    "169.254.169.254", "0.0.0.0", "0.1.2.3", "224.0.0.1", "240.0.0.1", "255.255.255.255", "192.0.0.8"})
  void privateLoopbackLinkLocalUniqueLocalAndSharedAddressesAreForbidden(String address) throws UnknownHostException {
    assertTrue(Targets.forbidden(InetAddress.getByName(address)), address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.32.0.1", "11.0.0.1",
    "2606:2800:220:1:248:1893:25c8:1946", "2001:4860:4860::8888", "fbff::1"})
  void publicAddressesAreAllowed(String address) throws UnknownHostException {
    assertFalse(Targets.forbidden(InetAddress.getByName(address)), address);
  }
}
