package org.atsassessments.rest;

import io.vertx.core.MultiMap;
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
    MultiMap query = rc.queryParams();
    Responses.send(rc, repository.listPackages(account(rc), QueryParameters.page(query), QueryParameters.readList(query)));
  }

  void get(RoutingContext rc) {
    Responses.send(rc, repository.getPackage(account(rc), rc.pathParam("id"), QueryParameters.read(rc.queryParams())));
  }

  void put(RoutingContext rc) {
    Object body = Responses.jsonBody(rc);
    Responses.send(rc, repository.putPackage(account(rc), rc.pathParam("id"), body, Responses.exchange(rc)));
  }
}
