package org.atsassessments.connectors;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.atsassessments.edge.Edge;
import org.atsassessments.edge.Requests;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.model.ProviderSettings;
import org.atsassessments.ops.Metrics;
import org.atsassessments.repository.api.AssessmentRepository;
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
  /** Greenhouse's style: {@code {"message", "errors"?}} as JSON, {@code WWW-Authenticate} with a 401. */
  private static final ConnectorDoor.Style STYLE = GreenhouseRoutes::answer;

  private final AssessmentRepository repository;
  private final ConnectorDoor door;

  public GreenhouseRoutes(AssessmentRepository repository, Edge edge, String resultsUpdateUrlTemplate) {
    this.repository = repository;
    this.door = new ConnectorDoor(repository, edge, ProviderSettings.GREENHOUSE, resultsUpdateUrlTemplate, STYLE);
  }

  /** The failure handler of Greenhouse's routes, ahead of the edge's (added before {@code Edge.prepare}). */
  public static void prepare(Router router) {
    router.route("/connectors/greenhouse/*").failureHandler(ConnectorDoor.failureHandler(ProviderSettings.GREENHOUSE, STYLE));
  }

  public void mount(Router router) {
    var routes = router.route(BASE + "/*");
    door.guards().forEach(routes::handler);
    routes.handler(rc -> door.admit(rc, "inbound_key", basicUserWithEmptyPassword(rc.request().getHeader(HttpHeaders.AUTHORIZATION))));
    router.get(BASE + "/list_tests").handler(this::listTests);
    router.post(BASE + "/send_test").handler(this::sendTest);
    router.get(BASE + "/test_status").handler(this::testStatus);
    router.post(BASE + "/response_error").handler(this::responseError);
    // after the endpoints: a path or method Greenhouse does not call, answered in its style
    router.route("/connectors/greenhouse/*").handler(rc -> answer(rc, 404, "No such Greenhouse partner endpoint", null));
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

  // ---- the endpoints ---------------------------------------------------------------------------------------

  /** Every package of the account, as Greenhouse's tests. */
  private void listTests(RoutingContext rc) {
    door.packages(rc).onSuccess(packages -> {
      JsonArray tests = new JsonArray();
      packages.forEach(item -> tests.add(GreenhouseMapping.test((JsonObject) item)));
      ConnectorDoor.json(rc, 200, tests);
    }).onFailure(e -> door.failed(rc, e));
  }

  private void sendTest(RoutingContext rc) {
    Object body = ConnectorDoor.jsonBody(rc);
    String testId = body instanceof JsonObject object ? GreenhouseMapping.testId(object) : null;
    if (testId == null) throw new ConnectorReply(400, "The request body must be a JSON object");
    // every field first (a 400 names the missing one), then the package, then the order
    GreenhouseMapping.order(body, null);
    door.requireCallbackHost(rc, ((JsonObject) body).getString("url"), "url", "url");
    door.createOrder(rc, testId, () -> new ConnectorReply(404, "Unknown partner_test_id " + testId, "partner_test_id"),
        name -> GreenhouseMapping.order(body, name), body, null)
      .onSuccess(created -> ConnectorDoor.json(rc, 200, new JsonObject().put("partner_interview_id", created.id())))
      .onFailure(e -> door.failed(rc, e));
  }

  private void testStatus(RoutingContext rc) {
    String id = rc.queryParams().get("partner_interview_id");
    if (id == null || id.isBlank()) throw new ConnectorReply(400, "partner_interview_id is required", "partner_interview_id");
    Scope scope = ConnectorDoor.scope(rc);
    repository.getOrder(scope, id, new Read(List.of("id"), false))
      .compose(order -> repository.getResult(scope, order.body().getJsonObject("data").getString("id"), Read.WHOLE)
        .map(result -> result.body().getJsonObject("data"))
        .recover(e -> e instanceof RepositoryException none && none.status() == 404 ? Future.succeededFuture(null) : Future.failedFuture(e)))
      .onSuccess(result -> ConnectorDoor.json(rc, 200, GreenhouseMapping.status(result, ConnectorDoor.account(rc).provider().statusMap())))
      .onFailure(e -> door.failed(rc, e instanceof RepositoryException missing && missing.status() == 404
        ? new ConnectorReply(404, "Unknown partner_interview_id " + id, "partner_interview_id") : e));
  }

  /** What Greenhouse says was wrong with one of our answers: logged with the request id and counted. */
  private void responseError(RoutingContext rc) {
    Object body = ConnectorDoor.jsonBody(rc);
    if (!(body instanceof JsonObject report) || !(report.getValue("api_call") instanceof String call)) {
      throw new ConnectorReply(400, "api_call is required", "api_call");
    }
    LinkedAccount account = ConnectorDoor.account(rc);
    String apiCall = List.of("list_tests", "send_test", "test_status").contains(call) ? call : "other";
    Metrics.counter("ats.connector.response.errors", "provider", ProviderSettings.GREENHOUSE, "api_call", apiCall).increment();
    LOG.warning("greenhouse reported errors in our " + apiCall + " answer for account " + account.id() + " (request "
      + Requests.requestId(rc) + "): " + truncated(String.valueOf(report.getValue("errors")))
      + (report.getValue("partner_interview_id") != null ? " partner_interview_id " + report.getValue("partner_interview_id") : ""));
    Object interview = report.getValue("partner_interview_id");
    if (interview == null || interview instanceof JsonObject || interview instanceof JsonArray) {
      ConnectorDoor.json(rc, 200, new JsonObject());
      return;
    }
    // kept in that order's raw (an interview id that is not one of the account's orders is logged only)
    JsonObject exchange = new JsonObject().put("provider", ProviderSettings.GREENHOUSE).put("method", rc.request().method().name())
      .put("url", rc.request().absoluteURI()).put("received", report).put("response", new JsonObject())
      .put("at", org.atsassessments.model.Timestamps.now());
    repository.recordReport(ConnectorDoor.scope(rc), String.valueOf(interview), exchange)
      .onComplete(recorded -> ConnectorDoor.json(rc, 200, new JsonObject()));
  }

  // ---- Greenhouse-style answers ------------------------------------------------------------------------------

  private static void answer(RoutingContext rc, int status, String message, String field) {
    if (rc.response().ended()) return;
    JsonObject body = new JsonObject().put("message", message != null ? message
      : status == 401 ? "Invalid API key" : ConnectorDoor.defaultMessage(status));
    if (field != null) body.put("errors", new JsonArray().add(new JsonObject().put("message", body.getString("message")).put("field", field)));
    if (status == 401) rc.response().putHeader("WWW-Authenticate", "Basic realm=\"ats-assessments greenhouse\"");
    ConnectorDoor.retryAfter(rc, status);
    ConnectorDoor.json(rc, status, body);
  }

  private static String truncated(String text) {
    return text.length() > 500 ? text.substring(0, 500) + "…" : text;
  }
}
