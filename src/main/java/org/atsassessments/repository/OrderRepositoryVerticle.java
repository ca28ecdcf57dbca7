package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.atsassessments.accounts.LinkedAccounts;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.events.AccountGrants;
import org.atsassessments.events.Deliverer;
import org.atsassessments.events.ConnectorSubscriptions;
import org.atsassessments.events.EventOutbox;
import org.atsassessments.events.Retention;
import org.atsassessments.ops.FileWatch;
import org.atsassessments.demo.DemoData;
import org.atsassessments.repository.api.Exchange;
import org.atsassessments.repository.api.NewOrder;
import org.atsassessments.repository.api.PackageWrite;
import org.atsassessments.repository.api.Read;
import org.atsassessments.repository.api.RepositoryException;
import org.atsassessments.repository.bus.RepositoryDispatcher;
import org.atsassessments.repository.bus.RepositoryNodes;
import org.atsassessments.store.Store;
import org.atsassessments.store.Stores;

import java.util.UUID;

/**
 * Owns the data: opens the store, seeds the demo order when asked, and answers the repository protocol on
 * the event bus through the dispatcher. It also runs this node's share of the events: the outbox of every write,
 * the webhook deliverer and the removal of expired events (it reads the accounts file for the grants webhooks are
 * judged by). It never sees HTTP.
 */
public class OrderRepositoryVerticle extends VerticleBase {

  private final ServiceConfig settings;
  private Store store;
  private OrderCache cache;
  private PackageCache packageCache;
  private AssessmentOrders orders;
  private AssessmentPackages packages;
  private RepositoryDispatcher dispatcher;
  private Deliverer deliverer;
  private Retention retention;
  private AccountGrants grants;
  private io.vertx.core.eventbus.MessageConsumer<String> departures;
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(OrderRepositoryVerticle.class.getName());

  public OrderRepositoryVerticle(ServiceConfig settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    return LinkedAccounts.load(vertx, settings.accounts(), settings.demo()).compose(accounts -> {
      grants = new AccountGrants(accounts);
      return FileWatch.start(vertx, settings.accounts(), settings.configReloadMs(),
          () -> LinkedAccounts.load(vertx, settings.accounts(), settings.demo()).onSuccess(reloaded -> {
            grants.replace(reloaded);
            // a connector account added: its push-backs' subscription
            if (store != null) {
              ConnectorSubscriptions.ensure(store, reloaded)
                .onFailure(e -> LOG.warning("making connector subscriptions failed (tried again at the next start): " + e));
            }
          }))
        .compose(watching -> Stores.open(vertx, settings))
        .compose(opened -> {
          store = opened;
          cache = new OrderCache(vertx, settings.repositoryCacheSize());
          orders = new AssessmentOrders(opened, cache);
          packageCache = new PackageCache(vertx, settings.repositoryCacheSize());
          packages = new AssessmentPackages(opened, packageCache);
          // a clustered node leases deliveries under its cluster node id, so the others can end its leases when it leaves
          String clusterNode = RepositoryNodes.clusterNodeId(vertx);
          deliverer = new Deliverer(vertx, opened, grants, settings, clusterNode != null ? clusterNode : UUID.randomUUID().toString());
          Deliverer local = deliverer;
          departures = RepositoryNodes.whenRepositoryNodeLeaves(vertx, node -> opened.webhooks().releaseOwned(node)
            .onSuccess(released -> {
              if (released > 0) LOG.info(released + " webhook deliveries leased to departed node " + node + " released");
              // and those it held without rows get theirs
              local.departed(node);
            }));
          opened.outbox(new EventOutbox(vertx, grants, deliverer));
          // the embedded store's file is this process's alone: a lease found in it is a dead process's
          Future<?> leases = opened.embedded() ? opened.webhooks().releaseAll() : Future.succeededFuture();
          return leases.compose(released -> ConnectorSubscriptions.ensure(opened, grants.accounts()))
            .compose(made -> opened.refreshSubscriptions()).compose(read -> cache.ready()).compose(ready -> packageCache.ready());
        });
    })
      .compose(cached -> settings.demo() ? seedDemo(settings.publicUrl()) : Future.succeededFuture())
      .onSuccess(seeded -> {
        deliverer.start(settings.webhookPollMs());
        retention = new Retention(vertx, store.events(), store.webhooks(), settings.eventRetentionDays(),
          settings.eventRetentionBatch());
        retention.start(settings.eventRetentionSweepMs());
      })
      // resolves once the registration is known to the cluster, so a started node is a reachable one
      .compose(seeded -> RepositoryDispatcher.start(vertx,
        new StoredAssessmentRepository(orders, new AssessmentResults(store, cache), packages),
        new StoredWebhookRepository(store, deliverer, retention, settings.webhookSecretOverlap(), grants)))
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
    if (retention != null) retention.stop();
    if (departures != null) departures.unregister();
    Future<Void> unregistered = dispatcher == null ? Future.succeededFuture() : dispatcher.stop();
    if (deliverer != null) unregistered = unregistered.eventually(deliverer::stop);
    return unregistered.eventually(() -> store == null ? Future.succeededFuture() : store.close());
  }
}
