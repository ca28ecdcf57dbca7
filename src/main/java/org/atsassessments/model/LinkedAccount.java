package org.atsassessments.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * One end customer's connection to one ATS ({@code x-account-id}): who may use it and whether it is active.
 * {@code testUrlTemplate} turns an order id into the candidate's test link ({@code {id}} is replaced).
 * {@code provider} is the ATS connector the account's orders come through (null: {@code native}, orders are
 * posted to this service).
 */
public record LinkedAccount(String id, String name, boolean active, Set<String> users, String testUrlTemplate,
                            ProviderSettings provider) {

  public static LinkedAccount fromJson(JsonObject json) {
    return fromJson(json, ProviderSettings.SecretSource.SYSTEM);
  }

  public static LinkedAccount fromJson(JsonObject json, ProviderSettings.SecretSource secrets) {
    String id = json.getString("id");
    if (id == null || id.isBlank()) throw new IllegalArgumentException("an account has no id");
    String status = json.getString("status", "active");
    if (!status.equals("active") && !status.equals("disabled")) {
      throw new IllegalArgumentException("account " + id + ": status must be active or disabled, not '" + status + "'");
    }
    JsonArray users = json.getJsonArray("users", new JsonArray());
    return new LinkedAccount(id, json.getString("name", id), status.equals("active"),
      users.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet()), json.getString("test_url_template"),
      json.getJsonObject("provider") == null ? null : ProviderSettings.fromJson(id, json.getJsonObject("provider"), secrets));
  }

  /** The provider's type ({@code greenhouse}, {@code teamtailor}), or {@code native}. */
  public String providerType() {
    return provider == null ? "native" : provider.type();
  }

  public boolean grantedTo(String user) {
    return users.contains(user);
  }
}
