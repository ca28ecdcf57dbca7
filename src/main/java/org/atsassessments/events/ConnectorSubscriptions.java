package org.atsassessments.events;

import io.vertx.core.Future;
import org.atsassessments.accounts.LinkedAccounts;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.model.ProviderSettings;
import org.atsassessments.store.Store;
import org.atsassessments.store.SubscriptionRow;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The subscription through which a connector account's orders and results go back to its ATS: one per account
 * that names a provider, made by every repository node at start (and when the accounts file adds one), owned by
 * {@code connector:<account id>} (no user can have that name: a colon ends a user name), its URL
 * {@code connector:<type>}, for the events of that account that lead to calls to its ATS ({@link #events}). Its deliveries are the
 * push-backs, with the same retries, leases and crash safety as every webhook, readable and redeliverable by the
 * account's users; its id is {@code con_} and the version-3 UUID of {@code connector:<account id>}, without dashes.
 */
public final class ConnectorSubscriptions {

  private static final Logger LOG = Logger.getLogger(ConnectorSubscriptions.class.getName());
  public static final String OWNER_PREFIX = "connector:";

  private ConnectorSubscriptions() {
  }

  public static String id(String accountId) {
    return "con_" + UUID.nameUUIDFromBytes((OWNER_PREFIX + accountId).getBytes(StandardCharsets.UTF_8)).toString()
      .replace("-", "");
  }

  public static boolean isConnector(SubscriptionRow subscription) {
    return subscription.owner().startsWith(OWNER_PREFIX);
  }

  /** The account a connector's subscription is for. */
  public static String accountOf(SubscriptionRow subscription) {
    return subscription.owner().substring(OWNER_PREFIX.length());
  }

  /**
   * The events that lead to calls to the provider: results; an order too only for a Teamtailor account whose
   * {@code sent_status} is {@code put} (Greenhouse's order needs no answer but send_test's, and Teamtailor's
   * {@code sent} goes in the webhook's answer by default).
   */
  static List<String> events(ProviderSettings provider) {
    return provider.sentByPut() ? List.of(EventTypes.ORDER_CREATED, EventTypes.ORDER_UPDATED) : List.of(EventTypes.ORDER_UPDATED);
  }

  /** Makes the subscription of every connector account that has none yet (or gives it its provider's url and events). */
  public static Future<Void> ensure(Store store, LinkedAccounts accounts) {
    Future<Void> all = Future.succeededFuture();
    for (LinkedAccount account : accounts.connectorAccounts()) {
      all = all.compose(v -> ensure(store, account));
    }
    return all;
  }

  private static Future<Void> ensure(Store store, LinkedAccount account) {
    long now = System.currentTimeMillis();
    SubscriptionRow row = new SubscriptionRow(0, id(account.id()), OWNER_PREFIX + account.id(),
      OWNER_PREFIX + account.providerType(), events(account.provider()),
      List.of(account.id()), "results back to " + account.providerType() + " for account " + account.id(),
      SubscriptionRow.ACTIVE, null, Signatures.newSecret(), null, null, null, now, now);
    return store.webhooks().ensureSubscription(row)
      .onSuccess(made -> {
        if (made) LOG.info("connector subscription " + row.id() + " made (or updated) for account " + account.id());
      })
      // another node made it at the same moment
      .recover(e -> store.webhooks().findSubscription(row.id())
        .compose(found -> found != null ? Future.succeededFuture(false) : Future.failedFuture(e)))
      .mapEmpty();
  }
}
