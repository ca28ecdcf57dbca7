package org.atsassessments.rest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.atsassessments.edge.Edge;
import org.atsassessments.edge.Requests;
import org.atsassessments.repository.api.PageReply;
import org.atsassessments.repository.api.RecordReply;
import org.atsassessments.repository.api.WebhookRepository;

/**
 * Webhook subscriptions (ours; StackOne configures them in its dashboard): {@code /webhooks}, Basic auth without
 * {@code x-account-id}. Each caller sees and changes only its own subscriptions. {@code account_ids} must all be
 * granted to the caller: one that is not is a 404 with the body of an unknown account, checked here at the edge
 * where the grants are. Every answer is 200, as on StackOne's routes.
 */
public final class WebhookRoutes {

  public static final String WEBHOOKS = "/webhooks";

  private final WebhookRepository repository;
  private final Edge edge;

  public WebhookRoutes(WebhookRepository repository, Edge edge) {
    this.repository = repository;
    this.edge = edge;
  }

  public void mount(Router router) {
    for (String path : new String[] {WEBHOOKS, WEBHOOKS + "/*"}) {
      Route route = router.route(path);
      edge.ownerGuards().forEach(route::handler);
    }
    router.post(WEBHOOKS).handler(this::create);
    router.get(WEBHOOKS).handler(this::list);
    router.get(WEBHOOKS + "/:id").handler(this::get);
    router.patch(WEBHOOKS + "/:id").handler(this::update);
    router.delete(WEBHOOKS + "/:id").handler(this::delete);
    router.post(WEBHOOKS + "/:id/rotate-secret").handler(this::rotate);
    router.get(WEBHOOKS + "/:id/deliveries").handler(this::deliveries);
    router.post(WEBHOOKS + "/:id/deliveries/:eventId/redeliver").handler(this::redeliver);
  }

  void create(RoutingContext rc) {
    JsonObject body = grantedBody(rc);
    Responses.send(rc, repository.createWebhook(Requests.caller(rc), body), RecordReply::bytes, null);
  }

  void list(RoutingContext rc) {
    Responses.send(rc, repository.listWebhooks(Requests.caller(rc), QueryParameters.page(rc.queryParams())),
      PageReply::bytes, null);
  }

  void get(RoutingContext rc) {
    Responses.send(rc, repository.getWebhook(Requests.caller(rc), rc.pathParam("id")), RecordReply::bytes, null);
  }

  void update(RoutingContext rc) {
    JsonObject body = grantedBody(rc);
    Responses.send(rc, repository.updateWebhook(Requests.caller(rc), rc.pathParam("id"), body), RecordReply::bytes, null);
  }

  void delete(RoutingContext rc) {
    String id = rc.pathParam("id");
    repository.deleteWebhook(Requests.caller(rc), id).onSuccess(deleted -> rc.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("data", new JsonObject().put("id", id).put("deleted", true)).toBuffer()))
      .onFailure(rc::fail);
  }

  void rotate(RoutingContext rc) {
    Responses.send(rc, repository.rotateSecret(Requests.caller(rc), rc.pathParam("id")), RecordReply::bytes, null);
  }

  void deliveries(RoutingContext rc) {
    String status = rc.queryParams().get("status");
    Responses.send(rc, repository.listDeliveries(Requests.caller(rc), rc.pathParam("id"),
      status == null || status.isBlank() ? null : status.trim(), QueryParameters.page(rc.queryParams())), PageReply::bytes, null);
  }

  void redeliver(RoutingContext rc) {
    Responses.send(rc, repository.redeliver(Requests.caller(rc), rc.pathParam("id"), rc.pathParam("eventId")),
      RecordReply::bytes, null);
  }

  /** The body as a JSON object, its account_ids each granted to the caller (an unknown or foreign one: 404). */
  private JsonObject grantedBody(RoutingContext rc) {
    Object body = Responses.jsonBody(rc);
    if (!(body instanceof JsonObject object)) throw new HttpException(400, "The request body must be a JSON object");
    if (object.getValue("account_ids") instanceof JsonArray accounts) {
      for (Object account : accounts) {
        if (account instanceof String id && !edge.grants(rc, id)) throw new HttpException(404, "Not Found");
      }
    }
    return object;
  }
}
