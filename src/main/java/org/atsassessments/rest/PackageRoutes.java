package org.atsassessments.rest;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.atsassessments.repository.RepositoryClient;

import static org.atsassessments.rest.OrderRoutes.account;

/** StackOne's "List/Get Assessments Package(s)", plus PUT to publish a package (StackOne has no such call). */
public final class PackageRoutes {

  public static final String PACKAGES = "/unified/ats/assessments/packages";

  private final RepositoryClient repository;

  public PackageRoutes(RepositoryClient repository) {
    this.repository = repository;
  }

  public void mount(Router router) {
    router.get(PACKAGES).handler(this::list);
    router.get(PACKAGES + "/:id").handler(this::get);
    router.put(PACKAGES + "/:id").handler(this::put);
  }

  void list(RoutingContext rc) {
    repository.listPackages(account(rc), QueryParameters.page(rc.queryParams()), QueryParameters.readList(rc.queryParams()))
      .onSuccess(reply -> Responses.ok(rc, reply)).onFailure(rc::fail);
  }

  void get(RoutingContext rc) {
    repository.getPackage(account(rc), rc.pathParam("id"), QueryParameters.read(rc.queryParams()))
      .onSuccess(reply -> Responses.ok(rc, reply)).onFailure(rc::fail);
  }

  void put(RoutingContext rc) {
    Object body = Responses.jsonBody(rc);
    repository.putPackage(account(rc), rc.pathParam("id"), body, Responses.exchange(rc))
      .onSuccess(reply -> Responses.ok(rc, reply)).onFailure(rc::fail);
  }
}
