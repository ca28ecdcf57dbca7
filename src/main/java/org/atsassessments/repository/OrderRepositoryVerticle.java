package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.demo.DemoData;
import org.atsassessments.repository.api.Exchange;
import org.atsassessments.repository.api.NewOrder;
import org.atsassessments.repository.api.PackageWrite;
import org.atsassessments.repository.api.Read;
import org.atsassessments.repository.api.RepositoryException;
import org.atsassessments.repository.bus.RepositoryDispatcher;
import org.atsassessments.store.Store;
import org.atsassessments.store.Stores;

/**
 * Owns the data: opens the store, seeds the demo order when asked, and answers the repository protocol on
 * the event bus through the dispatcher. It never sees HTTP.
 */
public class OrderRepositoryVerticle extends VerticleBase {

  private final ServiceConfig settings;
  private Store store;
  private OrderCache cache;
  private AssessmentOrders orders;
  private AssessmentPackages packages;
  private RepositoryDispatcher dispatcher;

  public OrderRepositoryVerticle(ServiceConfig settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    return Stores.open(vertx, settings)
      .compose(opened -> {
        store = opened;
        cache = new OrderCache(vertx, settings.repositoryCacheSize());
        orders = new AssessmentOrders(opened, cache);
        packages = new AssessmentPackages(opened);
        return cache.ready();
      })
      .compose(cached -> settings.demo() ? seedDemo(settings.publicUrl()) : Future.succeededFuture())
      // resolves once the registration is known to the cluster, so a started node is a reachable one
      .compose(seeded -> RepositoryDispatcher.start(vertx,
        new StoredAssessmentRepository(orders, new AssessmentResults(store, cache), packages)))
      .onSuccess(started -> dispatcher = started);
  }

  /**
   * Stores StackOne's example order and package under the demo account, through the same paths as a POST
   * and a PUT. Idempotent: a restart finds them and changes nothing.
   */
  private Future<?> seedDemo(String publicUrl) {
    Exchange post = new Exchange("POST", publicUrl + "/unified/ats/assessments/orders");
    JsonObject demoPackage = DemoData.order().getJsonObject("package");
    String packageId = demoPackage.getString("id");
    Exchange put = new Exchange("PUT", publicUrl + "/unified/ats/assessments/packages/" + packageId);
    return orders.create(DemoData.ACCOUNT_ID, new NewOrder(DemoData.order(), post, DemoData.TEST_URL_TEMPLATE, null),
        DemoData.ORDER_ID)
      .compose(created -> packages.get(DemoData.ACCOUNT_ID, packageId, Read.WHOLE))
      .recover(missing -> missing instanceof RepositoryException refusal && refusal.status() == 404
        ? packages.put(DemoData.ACCOUNT_ID, packageId, new PackageWrite(demoPackage, put)) : Future.failedFuture(missing));
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = dispatcher == null ? Future.succeededFuture() : dispatcher.stop();
    return unregistered.eventually(() -> store == null ? Future.succeededFuture() : store.close());
  }
}
