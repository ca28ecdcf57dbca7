package org.atsassessments.rest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.atsassessments.edge.Requests;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.repository.api.AssessmentRepository;
import org.atsassessments.repository.api.CreatedOrder;
import org.atsassessments.repository.api.NewOrder;
import org.atsassessments.repository.api.PageReply;
import org.atsassessments.repository.api.RecordReply;
import org.atsassessments.repository.api.ResultUpdate;
import org.atsassessments.repository.api.ResultUpdated;

import java.util.UUID;

/**
 * Orders and their results: StackOne's "Get Assessments Requests", "Order Assessments Request",
 * "Update Assessments Result" and "Get Assessments Results", plus listing orders (ours). Each handler
 * turns the request into one repository call and writes the reply as it comes.
 */
public final class OrderRoutes {

  public static final String ORDERS = "/unified/ats/assessments/orders";

  private final AssessmentRepository repository;
  private final String resultsUpdateUrlTemplate;

  /** @param resultsUpdateUrlTemplate where an order's results go when its creator names no place ({id} is the order) */
  public OrderRoutes(AssessmentRepository repository, String resultsUpdateUrlTemplate) {
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
    Responses.send(rc, repository.listOrders(Requests.scope(rc), QueryParameters.page(rc.queryParams()),
      QueryParameters.read(rc.queryParams())), PageReply::bytes, null);
  }

  void get(RoutingContext rc) {
    Responses.send(rc, repository.getOrder(Requests.scope(rc), rc.pathParam("id"), QueryParameters.read(rc.queryParams())),
      RecordReply::bytes, RecordReply::etag);
  }

  void create(RoutingContext rc) {
    Object order = Responses.jsonBody(rc);
    LinkedAccount account = Requests.account(rc);
    Responses.send(rc, repository.createOrder(Requests.scope(rc),
        new NewOrder(order, Requests.exchange(rc), account.testUrlTemplate(), resultsUpdateUrlTemplate)),
      created -> created.toJson().toBuffer(), null);
  }

  void updateResult(RoutingContext rc) {
    Object result = Responses.jsonBody(rc);
    String ifMatch = rc.request().getHeader(HttpHeaders.IF_MATCH);
    Responses.send(rc, repository.updateResult(Requests.scope(rc), rc.pathParam("id"),
        new ResultUpdate(result, ifMatch, Requests.exchange(rc), UUID.randomUUID().toString())),
      updated -> updated.toJson().toBuffer(), ResultUpdated::etag);
  }

  void getResult(RoutingContext rc) {
    Responses.send(rc, repository.getResult(Requests.scope(rc), rc.pathParam("id"), QueryParameters.read(rc.queryParams())),
      RecordReply::bytes, RecordReply::etag);
  }
}
