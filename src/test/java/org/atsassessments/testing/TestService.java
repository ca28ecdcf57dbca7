package org.atsassessments.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.apache.commons.codec.digest.Md5Crypt;
import org.atsassessments.boot.ServiceNode;
import org.atsassessments.config.ServiceConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A real node for tests: its own htpasswd and accounts files in a temp directory, its own store (H2 files
 * there, or a PostgreSQL database of its own: {@link TestStores}), a free port,
 * the real verticles deployed by {@link ServiceNode}, and a WebClient talking HTTP to it.
 *
 * <p>Users: alice/wonderland (acme, globex, dormant), bob/builder (globex), api-key with an empty password
 * (acme), carol with a bcrypt hash (unsupported, always refused). Accounts: acme and globex active,
 * dormant disabled.
 */
public final class TestService {

  public static final String ALICE = "alice";
  public static final String ALICE_PASSWORD = "wonderland";
  public static final String BOB = "bob";
  public static final String BOB_PASSWORD = "builder";
  public static final String API_KEY = "api-key";
  public static final String ACME = "acme";
  public static final String GLOBEX = "globex";
  public static final String DORMANT = "dormant";
  public static final String PUBLIC_URL = "https://ats.example.test";
  public static final String ORDERS = "/unified/ats/assessments/orders";
  public static final String PACKAGES = "/unified/ats/assessments/packages";

  /** The users of {@link #config} that can log in, name → password, in this order. */
  public static final Map<String, String> USERS = users();
  /** The accounts granted to each of them (disabled ones included). */
  public static final Map<String, Set<String>> GRANTS = Map.of(ALICE, Set.of(ACME, GLOBEX, DORMANT), BOB, Set.of(GLOBEX),
    API_KEY, Set.of(ACME));

  private static Map<String, String> users() {
    Map<String, String> users = new LinkedHashMap<>();
    users.put(ALICE, ALICE_PASSWORD);
    users.put(BOB, BOB_PASSWORD);
    users.put(API_KEY, "");
    return Collections.unmodifiableMap(users);
  }

  public final Vertx vertx;
  public final ServiceConfig config;
  public final WebClient client;

  private TestService(Vertx vertx, ServiceConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(config.httpPort()));
  }

  /** Writes the users and accounts files into {@code dir} and returns a config pointing at them. */
  public static ServiceConfig config(Path dir) {
    try {
      Path htpasswd = dir.resolve("htpasswd");
      Files.writeString(htpasswd, String.join("\n",
        "# test users",
        ALICE + ":" + Md5Crypt.apr1Crypt(ALICE_PASSWORD),
        BOB + ":" + Md5Crypt.apr1Crypt(BOB_PASSWORD),
        API_KEY + ":" + Md5Crypt.apr1Crypt(""),
        "carol:$2y$05$abcdefghijklmnopqrstuu5Zr0Nqf4uE3yv7Ch8Iq3oCoD3vYw2G2", ""));
      Path accounts = dir.resolve("accounts.json");
      Files.writeString(accounts, new JsonObject().put("accounts", new JsonArray()
        .add(account(ACME, "active", "https://tests.example.test/start/{id}", ALICE, API_KEY))
        .add(account(GLOBEX, "active", null, ALICE, BOB))
        .add(account(DORMANT, "disabled", null, ALICE))).encodePrettily());
      return TestStores.configure(ServiceConfig.defaults()
        .with("http_host", "127.0.0.1")
        .with("http_port", freePort())
        .with("http_instances", 2)
        .with("htpasswd", htpasswd.toString())
        .with("accounts", accounts.toString())
        .with("public_url", PUBLIC_URL)
        // webhook receivers of tests listen on 127.0.0.1; due deliveries are looked for often
        .with("webhook_allow_private_targets", true)
        .with("webhook_poll_ms", 100)
        // many tests fail logins on purpose from 127.0.0.1; LimitsTest switches the throttle on
        .with("login_slowdown_after", 0)
        .with("login_lockout_after", 0), dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject account(String id, String status, String testUrlTemplate, String... users) {
    return new JsonObject().put("id", id).put("name", id).put("status", status)
      .put("users", new JsonArray(java.util.List.of((Object[]) users))).put("test_url_template", testUrlTemplate);
  }

  public static TestService start(Vertx vertx, Path dir) {
    return start(vertx, config(dir));
  }

  public static TestService start(Vertx vertx, Path dir, UnaryOperator<ServiceConfig> tweak) {
    return start(vertx, tweak.apply(config(dir)));
  }

  public static TestService start(Vertx vertx, ServiceConfig config) {
    ServiceNode.deploy(vertx, config).await();
    return new TestService(vertx, config);
  }

  /** A client for a node started elsewhere (another Vert.x, another process). */
  public static TestService attach(Vertx vertx, ServiceConfig config) {
    return new TestService(vertx, config);
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
  }

  // ---- requests ----------------------------------------------------------------------------------------------

  /** A request as alice on acme; adjust headers on the returned request for other cases. */
  public HttpRequest<Buffer> request(HttpMethod method, String uri) {
    return client.request(method, uri)
      .putHeader("Authorization", basic(ALICE, ALICE_PASSWORD))
      .putHeader("x-account-id", ACME);
  }

  public HttpResponse<Buffer> get(String uri) {
    return request(HttpMethod.GET, uri).send().await();
  }

  public HttpResponse<Buffer> getAs(String uri, String user, String password, String account) {
    return as(request(HttpMethod.GET, uri), user, password, account).send().await();
  }

  public HttpResponse<Buffer> post(String uri, String body) {
    return request(HttpMethod.POST, uri).putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await();
  }

  public HttpResponse<Buffer> postAs(String uri, String body, String user, String password, String account) {
    return as(request(HttpMethod.POST, uri), user, password, account)
      .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await();
  }

  public HttpResponse<Buffer> createOrder(JsonObject order) {
    return post(ORDERS, order.encode());
  }

  /** Creates an order and answers our id for it. */
  public String orderId(String remoteId) {
    return orderIdAs(remoteId, ALICE, ALICE_PASSWORD, ACME);
  }

  /** The same as another user, on another account. */
  public String orderIdAs(String remoteId, String user, String password, String account) {
    HttpResponse<Buffer> created = postAs(ORDERS, new JsonObject().put("id", remoteId)
      .put("candidate", new JsonObject().put("id", "cand-" + remoteId).put("remote_id", "remote-cand-" + remoteId)
        .put("first_name", "Ada").put("profile_url", "https://ats.example.test/candidates/" + remoteId)).encode(),
      user, password, account);
    if (created.statusCode() != 200) throw new AssertionError("create failed: " + created.bodyAsString());
    return created.bodyAsJsonObject().getString("id");
  }

  /** Credentials and account as a JSON object (a WebSocket's connectionParams, a bridge frame's headers); nulls left out. */
  public static JsonObject credentials(String user, String password, String account) {
    JsonObject credentials = new JsonObject();
    if (user != null) credentials.put("authorization", basic(user, password));
    if (account != null) credentials.put("x-account-id", account);
    return credentials;
  }

  public HttpResponse<Buffer> send(HttpMethod method, String uri, String body) {
    return request(method, uri).putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await();
  }

  /** POST /graphql as alice on acme. */
  public HttpResponse<Buffer> graphql(String query, JsonObject variables) {
    JsonObject body = new JsonObject().put("query", query);
    if (variables != null) body.put("variables", variables);
    return request(HttpMethod.POST, "/graphql").putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer())
      .await();
  }

  public HttpResponse<Buffer> patchResult(String orderId, JsonObject result, String ifMatch) {
    HttpRequest<Buffer> request = request(HttpMethod.PATCH, ORDERS + "/" + orderId + "/result")
      .putHeader("Content-Type", "application/json");
    if (ifMatch != null) request.putHeader("If-Match", ifMatch);
    return request.sendBuffer(result.toBuffer()).await();
  }

  private static HttpRequest<Buffer> as(HttpRequest<Buffer> request, String user, String password, String account) {
    request.headers().remove("Authorization").remove("x-account-id");
    if (user != null) request.putHeader("Authorization", basic(user, password));
    if (account != null) request.putHeader("x-account-id", account);
    return request;
  }
}
