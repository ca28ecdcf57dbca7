package org.atsassessments.connectors;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.atsassessments.edge.Edge;
import org.atsassessments.edge.Requests;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.model.ProviderSettings;
import org.atsassessments.model.Secret;
import org.atsassessments.ops.Metrics;
import org.atsassessments.repository.api.AssessmentRepository;
import org.atsassessments.repository.api.Exchange;
import org.atsassessments.repository.api.NewOrder;
import org.atsassessments.repository.api.Page;
import org.atsassessments.repository.api.Read;
import org.atsassessments.repository.api.RepositoryException;
import org.atsassessments.repository.api.Scope;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Teamtailor's Partner API endpoints for each linked account whose provider is {@code teamtailor}:
 * {@code GET config} (the test picker) and {@code POST webhook} (an order) under
 * {@code /connectors/teamtailor/{account_id}/}. Teamtailor authenticates with {@code Authorization: Bearer
 * <provider key>}; when the account has a {@code signing_secret}, the webhook's {@code Teamtailor-Signature}
 * ({@code t=<unix>,v1=<hex>}: HMAC-SHA256 of {@code t + "." + partner-event id}) must verify and be at most
 * {@value #SIGNATURE_WINDOW_S} s old. Refusals are plain text with a status of 400 or more, as Teamtailor shows
 * them to the recruiter. Teamtailor never retries a webhook: it is answered 200 only once the order is
 * committed.
 */
public final class TeamtailorRoutes {

  private static final Logger LOG = Logger.getLogger(TeamtailorRoutes.class.getName());
  static final String BASE = "/connectors/teamtailor/:account";
  static final long SIGNATURE_WINDOW_S = 300;
  private static final String ACCOUNT = "ats.connector.account";

  private final AssessmentRepository repository;
  private final Edge edge;
  private final String resultsUpdateUrlTemplate;

  public TeamtailorRoutes(AssessmentRepository repository, Edge edge, String resultsUpdateUrlTemplate) {
    this.repository = repository;
    this.edge = edge;
    this.resultsUpdateUrlTemplate = resultsUpdateUrlTemplate;
  }

  /** The failure handler of Teamtailor's routes, ahead of the edge's (added before {@code Edge.prepare}). */
  public static void prepare(Router router) {
    router.route("/connectors/teamtailor/*").failureHandler(TeamtailorRoutes::failed);
  }

  public void mount(Router router) {
    var routes = router.route(BASE + "/*");
    edge.connectorGuards().forEach(routes::handler);
    routes.handler(this::authenticate);
    router.get(BASE + "/config").handler(this::config);
    router.post(BASE + "/webhook").handler(this::webhook);
    router.route("/connectors/teamtailor/*").handler(rc -> answer(rc, 404, "No such Teamtailor partner endpoint"));
  }

  private void authenticate(RoutingContext rc) {
    LinkedAccount account = edge.account(rc.pathParam("account"));
    ProviderSettings provider = account == null ? null : account.provider();
    Secret key = provider != null && provider.type().equals(ProviderSettings.TEAMTAILOR) ? provider.secret("provider_key") : null;
    String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
    String bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    // the same answer whether the account is unknown, not Teamtailor's, or the key is wrong
    if (key == null || !key.matches(bearer)) {
      answer(rc, 401, "Unauthorized");
      return;
    }
    if (!account.active()) {
      answer(rc, 403, "This account is disabled");
      return;
    }
    rc.put(ACCOUNT, account);
    rc.next();
  }

  private static Scope scope(RoutingContext rc) {
    LinkedAccount account = rc.get(ACCOUNT);
    return new Scope(account.id(), Requests.requestId(rc));
  }

  /** The test picker: one select of the account's packages. */
  private void config(RoutingContext rc) {
    allPackages(scope(rc), null, new JsonArray())
      .onSuccess(packages -> json(rc, 200, TeamtailorMapping.config(packages)))
      .onFailure(e -> failed(rc, e));
  }

  private Future<JsonArray> allPackages(Scope scope, String after, JsonArray packages) {
    return repository.listPackages(scope, new Page(Page.MAX_SIZE, after, null, false), Read.WHOLE).compose(page -> {
      packages.addAll(page.data());
      return page.next() == null ? Future.succeededFuture(packages) : allPackages(scope, page.next(), packages);
    });
  }

  private void webhook(RoutingContext rc) {
    Object body = jsonBody(rc);
    JsonObject event = TeamtailorMapping.event(body);
    LinkedAccount account = rc.get(ACCOUNT);
    Secret signing = account.provider().secret("signing_secret");
    // the id as Teamtailor wrote it (a string in its examples; a number signs as its digits)
    String eventId = String.valueOf(event.getValue("id"));
    if (signing != null && !signed(rc.request().getHeader("Teamtailor-Signature"), eventId, signing,
      System.currentTimeMillis() / 1000)) {
      LOG.warning("teamtailor webhook for account " + account.id() + " refused: Teamtailor-Signature missing, wrong or older than "
        + SIGNATURE_WINDOW_S + " s (request " + Requests.requestId(rc) + ")");
      throw new ConnectorReply(401, "Invalid Teamtailor-Signature");
    }
    String packageId = TeamtailorMapping.packageId(event);
    String updateUrl = TeamtailorMapping.updateUrl(event);
    TeamtailorMapping.order(event, null, account.provider().statusMap());  // every field checked (a 400 names it) before anything is read or stored
    if (!account.provider().allowsCallbackHost(GreenhouseRoutes.host(updateUrl))) {
      LOG.warning("teamtailor webhook for account " + account.id() + " refused: its update-url's host is not in"
        + " allowed_callback_hosts (request " + Requests.requestId(rc) + ")");
      Metrics.counter("ats.connector.refused.callbacks", "provider", ProviderSettings.TEAMTAILOR).increment();
      throw new ConnectorReply(422, "partner-result.update-url: this host is not one results may be reported to for this account");
    }
    Scope scope = scope(rc);
    repository.getPackage(scope, packageId, Read.WHOLE)
      .recover(e -> e instanceof RepositoryException refused && refused.status() == 404
        ? Future.failedFuture(new ConnectorReply(404, "Unknown test " + packageId)) : Future.failedFuture(e))
      .compose(found -> {
        JsonObject order = TeamtailorMapping.order(event, found.body().getJsonObject("data").getString("name"),
          account.provider().statusMap());
        Exchange exchange = new Exchange(rc.request().method().name(), rc.request().absoluteURI(), ProviderSettings.TEAMTAILOR, body);
        return repository.createOrder(scope, new NewOrder(order, exchange, account.testUrlTemplate(), resultsUpdateUrlTemplate));
      })
      .onSuccess(created -> json(rc, 200, new JsonObject()))
      .onFailure(e -> failed(rc, e));
  }

  /**
   * Whether {@code header} ({@code t=<unix>,v1=<hex>[,v1=<hex>…]}) holds a signature of {@code eventId} with
   * {@code secret} made at most {@value #SIGNATURE_WINDOW_S} s from {@code nowSeconds}.
   */
  static boolean signed(String header, String eventId, Secret secret, long nowSeconds) {
    if (header == null || eventId == null) return false;
    Long timestamp = null;
    java.util.List<String> signatures = new java.util.ArrayList<>();
    for (String part : header.split(",")) {
      String item = part.trim();
      if (item.startsWith("t=")) {
        try {
          timestamp = Long.parseLong(item.substring(2));
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (item.startsWith("v1=")) {
        signatures.add(item.substring(3));
      }
    }
    if (timestamp == null || signatures.isEmpty() || Math.abs(nowSeconds - timestamp) > SIGNATURE_WINDOW_S) return false;
    byte[] expected = hmac(secret.value(), timestamp + "." + eventId);
    for (String signature : signatures) {
      byte[] given;
      try {
        given = HexFormat.of().parseHex(signature.toLowerCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException notHex) {
        continue;
      }
      if (MessageDigest.isEqual(expected, given)) return true;
    }
    return false;
  }

  static byte[] hmac(String secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- Teamtailor-style answers: plain text -------------------------------------------------------------------

  private static Object jsonBody(RoutingContext rc) {
    Buffer body = rc.body().buffer();
    if (body == null || body.length() == 0) throw new ConnectorReply(400, "A JSON request body is required");
    try {
      return Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new ConnectorReply(400, "The request body is not valid JSON");
    }
  }

  private static void failed(RoutingContext rc) {
    failed(rc, rc.failure() != null ? rc.failure() : new ConnectorReply(rc.statusCode() > 0 ? rc.statusCode() : 500, null));
  }

  private static void failed(RoutingContext rc, Throwable failure) {
    if (rc.response().ended()) return;
    if (failure instanceof ConnectorReply reply) {
      answer(rc, reply.status, reply.getMessage());
    } else if (failure instanceof RepositoryException repository) {
      int status = repository.status();
      answer(rc, status, status >= 500 && status != 503 ? "Internal error" : repository.getMessage());
    } else if (failure instanceof HttpException http) {
      answer(rc, http.getStatusCode(), http.getPayload());
    } else {
      int status = rc.statusCode() >= 400 ? rc.statusCode() : 500;
      if (status >= 500) LOG.log(Level.SEVERE, "teamtailor connector failed on " + rc.request().path(), failure);
      answer(rc, status, status >= 500 ? "Internal error" : null);
    }
  }

  private static void answer(RoutingContext rc, int status, String message) {
    if (rc.response().ended()) return;
    if (status == 408 || status == 503) rc.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
    String text = message != null ? message : switch (status) {
      case 401 -> "Unauthorized";
      case 404 -> "Not found";
      case 408 -> "Request timed out";
      case 413 -> "Request body too large";
      default -> status >= 500 ? "Internal error" : "Bad request";
    };
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(text);
  }

  private static void json(RoutingContext rc, int status, Object body) {
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Json.encodeToBuffer(body));
  }
}
