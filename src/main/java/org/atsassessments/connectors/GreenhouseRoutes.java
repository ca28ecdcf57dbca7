package org.atsassessments.connectors;

import org.atsassessments.ops.Metrics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.atsassessments.edge.Edge;
import org.atsassessments.edge.Requests;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.model.ProviderSettings;
import org.atsassessments.model.Secret;
import org.atsassessments.repository.api.AssessmentRepository;
import org.atsassessments.repository.api.Exchange;
import org.atsassessments.repository.api.NewOrder;
import org.atsassessments.repository.api.Page;
import org.atsassessments.repository.api.Read;
import org.atsassessments.repository.api.RepositoryException;
import org.atsassessments.repository.api.Scope;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.logging.Logger;

/**
 * Greenhouse's Assessment Partner endpoints for each linked account whose provider is {@code greenhouse}:
 * {@code GET list_tests}, {@code POST send_test}, {@code GET test_status}, {@code POST response_error} under
 * {@code /connectors/greenhouse/{account_id}/}. Greenhouse authenticates with Basic, the account's
 * {@code inbound_key} as the user name and an empty password; anything else (an unknown account, one of another
 * provider, a wrong key) is the same 401. Errors are Greenhouse-style {@code {"message", "errors"?}} bodies,
 * never StackOne's. Orders go through the same repository call as a POST, with the same validation and
 * durability: {@code send_test} answers once the order is committed.
 */
public final class GreenhouseRoutes {

  private static final Logger LOG = Logger.getLogger(GreenhouseRoutes.class.getName());
  static final String BASE = "/connectors/greenhouse/:account";
  private static final String ACCOUNT = "ats.connector.account";

  private final AssessmentRepository repository;
  private final Edge edge;
  private final String resultsUpdateUrlTemplate;

  public GreenhouseRoutes(AssessmentRepository repository, Edge edge, String resultsUpdateUrlTemplate) {
    this.repository = repository;
    this.edge = edge;
    this.resultsUpdateUrlTemplate = resultsUpdateUrlTemplate;
  }

  /**
   * The failure handler of Greenhouse's routes, ahead of the edge's (StackOne's body): a router tries failure
   * handlers in the order they were added, so this is added before {@code Edge.prepare}.
   */
  public static void prepare(Router router) {
    router.route("/connectors/greenhouse/*").failureHandler(GreenhouseRoutes::failed);
  }

  public void mount(Router router) {
    var routes = router.route(BASE + "/*");
    edge.connectorGuards().forEach(routes::handler);
    routes.handler(this::authenticate);
    router.get(BASE + "/list_tests").handler(this::listTests);
    router.post(BASE + "/send_test").handler(this::sendTest);
    router.get(BASE + "/test_status").handler(this::testStatus);
    router.post(BASE + "/response_error").handler(this::responseError);
    // after the endpoints: a path or method Greenhouse does not call, answered in its style
    router.route("/connectors/greenhouse/*").handler(rc -> answer(rc, 404, "No such Greenhouse partner endpoint"));
  }

  // ---- authentication --------------------------------------------------------------------------------------

  private void authenticate(RoutingContext rc) {
    LinkedAccount account = edge.account(rc.pathParam("account"));
    ProviderSettings provider = account == null ? null : account.provider();
    Secret key = provider != null && provider.type().equals(ProviderSettings.GREENHOUSE) ? provider.secret("inbound_key") : null;
    String user = basicUserWithEmptyPassword(rc.request().getHeader(HttpHeaders.AUTHORIZATION));
    // the same answer whether the account is unknown, not Greenhouse's, or the key is wrong
    if (key == null || !key.matches(user)) {
      rc.response().putHeader("WWW-Authenticate", "Basic realm=\"ats-assessments greenhouse\"");
      answer(rc, 401, "Invalid API key");
      return;
    }
    if (!account.active()) {
      answer(rc, 403, "This account is disabled");
      return;
    }
    rc.put(ACCOUNT, account);
    rc.next();
  }

  /** The user name of {@code Basic base64(user:)}; null for anything else (another scheme, a password). */
  static String basicUserWithEmptyPassword(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0 || colon != decoded.length() - 1) return null;
    return decoded.substring(0, colon);
  }

  private static Scope scope(RoutingContext rc) {
    LinkedAccount account = rc.get(ACCOUNT);
    return new Scope(account.id(), Requests.requestId(rc));
  }

  // ---- the endpoints ---------------------------------------------------------------------------------------

  /** Every package of the account, as Greenhouse's tests. */
  private void listTests(RoutingContext rc) {
    allPackages(scope(rc), null, new JsonArray()).onComplete(done -> {
      if (done.failed()) {
        failed(rc, done.cause());
      } else {
        json(rc, 200, done.result());
      }
    });
  }

  private Future<JsonArray> allPackages(Scope scope, String after, JsonArray tests) {
    return repository.listPackages(scope, new Page(Page.MAX_SIZE, after, null, false), Read.WHOLE).compose(page -> {
      page.data().forEach(item -> tests.add(GreenhouseMapping.test((JsonObject) item)));
      return page.next() == null ? Future.succeededFuture(tests) : allPackages(scope, page.next(), tests);
    });
  }

  private void sendTest(RoutingContext rc) {
    Object body = jsonBody(rc);
    Scope scope = scope(rc);
    LinkedAccount account = rc.get(ACCOUNT);
    String testId = body instanceof JsonObject object ? GreenhouseMapping.testId(object) : null;
    if (testId == null) throw new ConnectorReply(400, "The request body must be a JSON object");
    // every field first (a 400 names the missing one), then the package, then the order
    GreenhouseMapping.order(body, null);
    String callback = ((JsonObject) body).getString("url");
    if (!account.provider().allowsCallbackHost(host(callback))) {
      LOG.warning("greenhouse send_test for account " + account.id() + " refused: its url's host is not in allowed_callback_hosts"
        + " (request " + Requests.requestId(rc) + ")");
      Metrics.counter("ats.connector.refused.callbacks", "provider", ProviderSettings.GREENHOUSE).increment();
      throw new ConnectorReply(422, "url: this host is not one results may be reported to for this account", "url");
    }
    repository.getPackage(scope, testId, Read.WHOLE)
      .recover(e -> e instanceof RepositoryException refused && refused.status() == 404
        ? Future.failedFuture(new ConnectorReply(404, "Unknown partner_test_id " + testId, "partner_test_id"))
        : Future.failedFuture(e))
      .compose(found -> {
        JsonObject order = GreenhouseMapping.order(body, found.body().getJsonObject("data").getString("name"));
        Exchange exchange = new Exchange(rc.request().method().name(), rc.request().absoluteURI(), ProviderSettings.GREENHOUSE, body);
        return repository.createOrder(scope, new NewOrder(order, exchange, account.testUrlTemplate(), resultsUpdateUrlTemplate));
      })
      .onSuccess(created -> json(rc, 200, new JsonObject().put("partner_interview_id", created.id())))
      .onFailure(e -> failed(rc, e));
  }

  private void testStatus(RoutingContext rc) {
    String id = rc.queryParams().get("partner_interview_id");
    if (id == null || id.isBlank()) throw new ConnectorReply(400, "partner_interview_id is required", "partner_interview_id");
    Scope scope = scope(rc);
    repository.getOrder(scope, id, new Read(List.of("id"), false))
      .compose(order -> repository.getResult(scope, order.body().getJsonObject("data").getString("id"), Read.WHOLE)
        .map(result -> result.body().getJsonObject("data"))
        .recover(e -> e instanceof RepositoryException none && none.status() == 404 ? Future.succeededFuture(null) : Future.failedFuture(e)))
      .onSuccess(result -> json(rc, 200, GreenhouseMapping.status(result, ((LinkedAccount) rc.get(ACCOUNT)).provider().statusMap())))
      .onFailure(e -> failed(rc, e instanceof RepositoryException missing && missing.status() == 404
        ? new ConnectorReply(404, "Unknown partner_interview_id " + id, "partner_interview_id") : e));
  }

  /** What Greenhouse says was wrong with one of our answers: logged with the request id and counted. */
  private void responseError(RoutingContext rc) {
    Object body = jsonBody(rc);
    if (!(body instanceof JsonObject report) || !(report.getValue("api_call") instanceof String call)) {
      throw new ConnectorReply(400, "api_call is required", "api_call");
    }
    LinkedAccount account = rc.get(ACCOUNT);
    String apiCall = List.of("list_tests", "send_test", "test_status").contains(call) ? call : "other";
    Metrics.counter("ats.connector.response.errors", "provider", ProviderSettings.GREENHOUSE, "api_call", apiCall).increment();
    LOG.warning("greenhouse reported errors in our " + apiCall + " answer for account " + account.id() + " (request "
      + Requests.requestId(rc) + "): " + truncated(String.valueOf(report.getValue("errors")))
      + (report.getValue("partner_interview_id") != null ? " partner_interview_id " + report.getValue("partner_interview_id") : ""));
    json(rc, 200, new JsonObject());
  }

  // ---- Greenhouse-style answers ------------------------------------------------------------------------------

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
      answer(rc, reply.status, reply.getMessage(), reply.field);
    } else if (failure instanceof RepositoryException repository) {
      int status = repository.status();
      // the order as mapped was refused by StackOne's schema, or conflicts with one made before: the ATS's 4xx
      answer(rc, status, status >= 500 && status != 503 ? "Internal error" : repository.getMessage());
      if (status == 503 || status == 408) rc.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
    } else if (failure instanceof io.vertx.ext.web.handler.HttpException http) {
      answer(rc, http.getStatusCode(), http.getPayload());
    } else {
      int status = rc.statusCode() >= 400 ? rc.statusCode() : 500;
      if (status >= 500) LOG.log(java.util.logging.Level.SEVERE, "greenhouse connector failed on " + rc.request().path(), failure);
      answer(rc, status, status >= 500 ? "Internal error" : null);
    }
  }

  private static void answer(RoutingContext rc, int status, String message) {
    answer(rc, status, message, null);
  }

  private static void answer(RoutingContext rc, int status, String message, String field) {
    if (rc.response().ended()) return;
    JsonObject body = new JsonObject().put("message", message != null ? message : defaultMessage(status));
    if (field != null) body.put("errors", new JsonArray().add(new JsonObject().put("message", body.getString("message")).put("field", field)));
    if (status == 408 || status == 503) rc.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
    json(rc, status, body);
  }

  private static String defaultMessage(int status) {
    return switch (status) {
      case 401 -> "Invalid API key";
      case 404 -> "Not found";
      case 408 -> "Request timed out";
      case 413 -> "Request body too large";
      default -> status >= 500 ? "Internal error" : "Bad request";
    };
  }

  private static void json(RoutingContext rc, int status, Object body) {
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .end(Json.encodeToBuffer(body));
  }

  static String host(String url) {
    try {
      java.net.URI uri = java.net.URI.create(url);
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) return null;
      return uri.getHost();
    } catch (IllegalArgumentException notAUri) {
      return null;
    }
  }

  private static String truncated(String text) {
    return text.length() > 500 ? text.substring(0, 500) + "…" : text;
  }
}
