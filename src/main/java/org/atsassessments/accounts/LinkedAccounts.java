package org.atsassessments.accounts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.demo.DemoData;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.model.ProviderSettings;

import java.util.HashMap;
import java.util.Map;

/** The linked accounts of {@code conf/accounts.json} (plus the demo account in demo mode), by id. */
public final class LinkedAccounts {

  private final Map<String, LinkedAccount> byId;

  private LinkedAccounts(Map<String, LinkedAccount> byId) {
    this.byId = byId;
  }

  /** Reads the file and the credentials it names (files among them) on a worker thread. */
  public static Future<LinkedAccounts> load(Vertx vertx, String path, boolean demo) {
    return vertx.fileSystem().readFile(path)
      .recover(e -> Future.failedFuture(new IllegalStateException("cannot read accounts file " + path + ": " + e.getMessage())))
      .compose(buffer -> vertx.executeBlocking(() -> parse(new JsonObject(buffer), path, demo, ProviderSettings.SecretSource.SYSTEM)));
  }

  public static LinkedAccounts parse(JsonObject json, String path, boolean demo) {
    return parse(json, path, demo, ProviderSettings.SecretSource.SYSTEM);
  }

  public static LinkedAccounts parse(JsonObject json, String path, boolean demo, ProviderSettings.SecretSource secrets) {
    Map<String, LinkedAccount> byId = new HashMap<>();
    JsonArray accounts = json.getJsonArray("accounts", new JsonArray());
    for (int i = 0; i < accounts.size(); i++) {
      LinkedAccount account = LinkedAccount.fromJson(accounts.getJsonObject(i), secrets);
      if (byId.put(account.id(), account) != null) {
        throw new IllegalArgumentException(path + ": account " + account.id() + " is listed twice");
      }
    }
    if (demo) byId.putIfAbsent(DemoData.ACCOUNT_ID, DemoData.account());
    return new LinkedAccounts(Map.copyOf(byId));
  }

  public LinkedAccount find(String id) {
    return byId.get(id);
  }

  /** The accounts that name a provider (an ATS connector), in id order. */
  public java.util.List<LinkedAccount> connectorAccounts() {
    return byId.values().stream().filter(account -> account.provider() != null)
      .sorted(java.util.Comparator.comparing(LinkedAccount::id)).toList();
  }
}
