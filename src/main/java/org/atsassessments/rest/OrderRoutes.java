package org.atsassessments.rest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.atsassessments.http.AccountGuard;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.repository.RepositoryClient;

/**
 * StackOne's order operations: "Get Assessments Requests" and "Order Assessments Request". Each handler
 * turns the HTTP request into one repository message and writes the reply as it comes (200, JSON).
 */
public final class OrderRoutes {

  public static final String ORDERS = "/unified/ats/assessments/orders";

  private final RepositoryClient repository;
  private final String resultsUpdateUrlTemplate;

  public OrderRoutes(RepositoryClient repository, String publicUrl) {
    this.repository = repository;
    this.resultsUpdateUrlTemplate = publicUrl + ORDERS + "/{id}/result";
  }

  public void mount(Router router) {
    router.get(ORDERS + "/:id").handler(this::get);
    router.post(ORDERS).handler(this::create);
  }

  void get(RoutingContext rc) {
    ReadOptions options = ReadOptions.parse(rc.queryParams());
    LinkedAccount account = AccountGuard.account(rc);
    repository.getOrder(account.id(), rc.pathParam("id"), options.fields(), options.raw(), options.proxy())
      .onSuccess(reply -> ok(rc, reply))
      .onFailure(rc::fail);
  }

  void create(RoutingContext rc) {
    Object order = jsonBody(rc);
    LinkedAccount account = AccountGuard.account(rc);
    JsonObject request = new JsonObject().put("method", "POST").put("url", rc.request().absoluteURI());
    repository.createOrder(account.id(), order, request, account.testUrlTemplate(), resultsUpdateUrlTemplate)
      .onSuccess(reply -> ok(rc, reply))
      .onFailure(rc::fail);
  }

  /** Any JSON value; whether it is the right one is the repository's call (422). Not JSON at all → 400. */
  static Object jsonBody(RoutingContext rc) {
    Buffer body = rc.body().buffer();
    if (body == null || body.length() == 0) throw new HttpException(400, "A JSON request body is required");
    try {
      return Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new HttpException(400, "The request body is not valid JSON");
    }
  }

  static void ok(RoutingContext rc, JsonObject reply) {
    rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(reply.toBuffer());
  }
}
