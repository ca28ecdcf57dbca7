package org.atsassessments.rest;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.atsassessments.http.AccountGuard;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.repository.RepositoryClient;

/**
 * Orders and their results: StackOne's "Get Assessments Requests", "Order Assessments Request",
 * "Update Assessments Result" and "Get Assessments Results", plus listing orders (ours). Each handler
 * turns the request into one repository message and writes the reply as it comes.
 */
public final class OrderRoutes {

  public static final String ORDERS = "/unified/ats/assessments/orders";

  private final RepositoryClient repository;
  private final String resultsUpdateUrlTemplate;

  /** @param resultsUpdateUrlTemplate where an order's results go when its creator names no place ({id} is the order) */
  public OrderRoutes(RepositoryClient repository, String resultsUpdateUrlTemplate) {
    this.repository = repository;
    this.resultsUpdateUrlTemplate = resultsUpdateUrlTemplate;
  }

  public void mount(Router router) {
    router.get(ORDERS).handler(this::list);
    router.post(ORDERS).handler(this::create);
    router.get(ORDERS + "/:id").handler(this::get);
    router.patch(ORDERS + "/:id/result").handler(this::updateResult);
    router.get(ORDERS + "/:id/results").handler(this::getResult);
  }

  void list(RoutingContext rc) {
    MultiMap query = rc.queryParams();
    Responses.send(rc, repository.listOrders(account(rc), QueryParameters.page(query), QueryParameters.readList(query)));
  }

  void get(RoutingContext rc) {
    Responses.send(rc, repository.getOrder(account(rc), rc.pathParam("id"), QueryParameters.read(rc.queryParams())));
  }

  void create(RoutingContext rc) {
    Object order = Responses.jsonBody(rc);
    LinkedAccount account = AccountGuard.account(rc);
    Responses.send(rc, repository.createOrder(account.id(), order, Responses.exchange(rc), account.testUrlTemplate(),
      resultsUpdateUrlTemplate));
  }

  void updateResult(RoutingContext rc) {
    Object result = Responses.jsonBody(rc);
    String ifMatch = rc.request().getHeader(HttpHeaders.IF_MATCH);
    Responses.send(rc, repository.updateResult(account(rc), rc.pathParam("id"), result, ifMatch, Responses.exchange(rc)));
  }

  void getResult(RoutingContext rc) {
    Responses.send(rc, repository.getResult(account(rc), rc.pathParam("id"), QueryParameters.read(rc.queryParams())));
  }

  static String account(RoutingContext rc) {
    return AccountGuard.account(rc).id();
  }
}
