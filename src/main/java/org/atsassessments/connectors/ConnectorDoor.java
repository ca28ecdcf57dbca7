package org.atsassessments.connectors;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.atsassessments.edge.Edge;
import org.atsassessments.edge.Requests;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.model.ProviderSettings;
import org.atsassessments.model.Secret;
import org.atsassessments.repository.api.AssessmentRepository;
import org.atsassessments.repository.api.CreatedOrder;
import org.atsassessments.repository.api.Exchange;
import org.atsassessments.repository.api.NewOrder;
import org.atsassessments.repository.api.Page;
import org.atsassessments.repository.api.Read;
import org.atsassessments.repository.api.RepositoryException;
import org.atsassessments.repository.api.Scope;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every ATS's door here shares, whatever its style: the account a presented key admits, the account's
 * packages, the ATS's JSON body, an order made through the same repository call as a POST, and every failure
 * answered in the ATS's style ({@link Style}), never StackOne's body.
 */
final class ConnectorDoor {

  private static final Logger LOG = Logger.getLogger(ConnectorDoor.class.getName());
  private static final String ACCOUNT = "ats.connector.account";

  /** How an ATS is answered a refusal: its body and headers for a status, a message and the field at fault (or null). */
  interface Style {
    void answer(RoutingContext rc, int status, String message, String field);
  }

  private final AssessmentRepository repository;
  private final Edge edge;
  private final String provider;
  private final String resultsUpdateUrlTemplate;
  private final Style style;

  ConnectorDoor(AssessmentRepository repository, Edge edge, String provider, String resultsUpdateUrlTemplate, Style style) {
    this.repository = repository;
    this.edge = edge;
    this.provider = provider;
    this.resultsUpdateUrlTemplate = resultsUpdateUrlTemplate;
    this.style = style;
  }

  /**
   * Lets the request on when {@code presented} is the credential {@code keyName} of the path's account and that
   * account is this provider's and active: the same 401 whether the account is unknown, another provider's, or
   * the key is wrong; 403 for the right key on a disabled account.
   */
  void admit(RoutingContext rc, String keyName, String presented) {
    LinkedAccount account = edge.account(rc.pathParam("account"));
    ProviderSettings settings = account == null ? null : account.provider();
    Secret key = settings != null && settings.type().equals(provider) ? settings.secret(keyName) : null;
    if (key == null || !key.matches(presented)) {
      style.answer(rc, 401, null, null);
      return;
    }
    if (!account.active()) {
      style.answer(rc, 403, "This account is disabled", null);
      return;
    }
    rc.put(ACCOUNT, account);
    rc.next();
  }

  /** The edge's guards every connector route passes before {@link #admit}: the deadline, the body and nesting limits. */
  List<Handler<RoutingContext>> guards() {
    return edge.connectorGuards();
  }

  /** The account {@link #admit} let in. */
  static LinkedAccount account(RoutingContext rc) {
    return rc.get(ACCOUNT);
  }

  static Scope scope(RoutingContext rc) {
    return new Scope(account(rc).id(), Requests.requestId(rc));
  }

  /** Every package of the request's account, page after page. */
  Future<JsonArray> packages(RoutingContext rc) {
    return packages(scope(rc), null, new JsonArray());
  }

  private Future<JsonArray> packages(Scope scope, String after, JsonArray packages) {
    return repository.listPackages(scope, new Page(Page.MAX_SIZE, after, null, false), Read.WHOLE).compose(page -> {
      packages.addAll(page.data());
      return page.next() == null ? Future.succeededFuture(packages) : packages(scope, page.next(), packages);
    });
  }

  /**
   * The order the ATS's {@code received} body makes, through the same repository call as a POST: the package
   * {@code packageId} read first ({@code unknown} when the account has none of that id), then {@code order}
   * given the package's name; {@code answered}: what the ATS will be answered beyond the order's id, kept in the
   * order's exchange (null: nothing).
   */
  Future<CreatedOrder> createOrder(RoutingContext rc, String packageId, Supplier<ConnectorReply> unknown,
                                   Function<String, JsonObject> order, Object received, JsonObject answered) {
    Scope scope = scope(rc);
    LinkedAccount account = account(rc);
    return repository.getPackage(scope, packageId, Read.WHOLE)
      .recover(e -> Future.failedFuture(e instanceof RepositoryException refused && refused.status() == 404 ? unknown.get() : e))
      .compose(found -> {
        Exchange exchange = new Exchange(rc.request().method().name(), rc.request().absoluteURI(), provider, received, answered);
        return repository.createOrder(scope, new NewOrder(order.apply(found.body().getJsonObject("data").getString("name")),
          exchange, account.testUrlTemplate(), resultsUpdateUrlTemplate));
      });
  }

  /**
   * Refuses (422, nothing stored, logged and counted) a URL results would be reported to whose host is not in
   * the account's {@code allowed_callback_hosts}: {@code name} is the body's field as the ATS names it.
   */
  void requireCallbackHost(RoutingContext rc, String url, String name, String field) {
    LinkedAccount account = account(rc);
    if (account.provider().allowsCallbackHost(org.atsassessments.model.PushBacks.host(url))) return;
    LOG.warning(provider + " " + rc.request().method() + " " + rc.request().path() + " for account " + account.id()
      + " refused: its " + name + "'s host is not in allowed_callback_hosts (request " + Requests.requestId(rc) + ")");
    org.atsassessments.ops.Metrics.counter("ats.connector.refused.callbacks", "provider", provider).increment();
    throw new ConnectorReply(422, name + ": this host is not one results may be reported to for this account", field);
  }

  /** The request's body as JSON (any value): 400 when there is none or it is not JSON. */
  static Object jsonBody(RoutingContext rc) {
    Buffer body = rc.body().buffer();
    if (body == null || body.length() == 0) throw new ConnectorReply(400, "A JSON request body is required");
    try {
      return Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new ConnectorReply(400, "The request body is not valid JSON");
    }
  }

  /**
   * The failure handler of a provider's routes: what the route, a guard or a library handler failed with, in
   * the provider's style. Added before the edge's (StackOne's body): a router tries them in the order added.
   */
  static Handler<RoutingContext> failureHandler(String provider, Style style) {
    return rc -> failed(rc, rc.failure() != null ? rc.failure()
      : new ConnectorReply(rc.statusCode() > 0 ? rc.statusCode() : 500, null), provider, style);
  }

  void failed(RoutingContext rc, Throwable failure) {
    failed(rc, failure, provider, style);
  }

  /** A failure in the ATS's style: a refusal's own words, a repository status, and nothing of an internal error. */
  private static void failed(RoutingContext rc, Throwable failure, String provider, Style style) {
    if (rc.response().ended()) return;
    if (failure instanceof ConnectorReply reply) {
      style.answer(rc, reply.status, reply.getMessage(), reply.field);
    } else if (failure instanceof RepositoryException refused) {
      int status = refused.status();
      // the order as mapped refused by StackOne's schema, or in conflict with one made before: the ATS's 4xx
      style.answer(rc, status, status >= 500 && status != 503 ? "Internal error" : refused.getMessage(), null);
    } else if (failure instanceof HttpException http) {
      style.answer(rc, http.getStatusCode(), http.getPayload(), null);
    } else {
      int status = rc.statusCode() >= 400 ? rc.statusCode() : 500;
      if (status >= 500) LOG.log(Level.SEVERE, provider + " connector failed on " + rc.request().path(), failure);
      style.answer(rc, status, status >= 500 ? "Internal error" : null, null);
    }
  }

  /** What a refusal says when its own words are none. */
  static String defaultMessage(int status) {
    return switch (status) {
      case 401 -> "Unauthorized";
      case 404 -> "Not found";
      case 408 -> "Request timed out";
      case 413 -> "Request body too large";
      default -> status >= 500 ? "Internal error" : "Bad request";
    };
  }

  /** Headers every style sets: when to try again after a timeout or with no repository reachable. */
  static void retryAfter(RoutingContext rc, int status) {
    if (status == 408 || status == 503) rc.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
  }

  static void json(RoutingContext rc, int status, Object body) {
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Json.encodeToBuffer(body));
  }

}
