package org.atsassessments.rest;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.atsassessments.edge.Requests;
import org.atsassessments.repository.api.AssessmentRepository;
import org.atsassessments.repository.api.PackageWrite;
import org.atsassessments.repository.api.PageReply;
import org.atsassessments.repository.api.RecordReply;

/** StackOne's "List/Get Assessments Package(s)", plus PUT to publish a package (StackOne has no such call). */
public final class PackageRoutes {

  public static final String PACKAGES = "/unified/ats/assessments/packages";

  private final AssessmentRepository repository;

  public PackageRoutes(AssessmentRepository repository) {
    this.repository = repository;
  }

  public void mount(Router router) {
    router.get(PACKAGES).handler(this::list);
    router.get(PACKAGES + "/:id").handler(this::get);
    router.put(PACKAGES + "/:id").handler(this::put);
  }

  void list(RoutingContext rc) {
    Responses.send(rc, repository.listPackages(Requests.scope(rc), QueryParameters.page(rc.queryParams()),
      QueryParameters.read(rc.queryParams())), PageReply::bytes, null);
  }

  void get(RoutingContext rc) {
    Responses.send(rc, repository.getPackage(Requests.scope(rc), rc.pathParam("id"), QueryParameters.read(rc.queryParams())),
      RecordReply::bytes, RecordReply::etag);
  }

  void put(RoutingContext rc) {
    Object body = Responses.jsonBody(rc);
    Responses.send(rc, repository.putPackage(Requests.scope(rc), rc.pathParam("id"), new PackageWrite(body, Requests.exchange(rc))),
      RecordReply::bytes, RecordReply::etag);
  }
}
