package org.atsassessments.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The ATS a linked account is connected to ({@code provider} in {@code conf/accounts.json}): its type, its
 * credentials and the hosts calls to it may go to. Every credential is named, never written inline:
 * {@code <name>_env} (an environment variable) or {@code <name>_file} (a file, its content without the trailing
 * newline). A missing one fails start-up with the account and the key named. {@code status_map} overrides
 * entries of the provider's status tables ({@link StatusMap}). Teamtailor's {@code sent_status} says how it
 * learns that an order was accepted: {@value #SENT_IN_RESPONSE} (the default: {@code partner_result_attributes}
 * in the webhook's answer) or {@value #SENT_BY_PUT} (a {@code PUT update-url} through the outbox after it).
 */
public record ProviderSettings(String type, Map<String, Secret> secrets, List<String> allowedCallbackHosts, StatusMap statusMap,
                               String sentStatus) {

  public static final String GREENHOUSE = "greenhouse";
  public static final String TEAMTAILOR = "teamtailor";
  /** Teamtailor's {@code sent} status in the webhook's own answer (its "Webhook Response"). */
  public static final String SENT_IN_RESPONSE = "response";
  /** Teamtailor's {@code sent} status by a {@code PUT update-url} after the answer. */
  public static final String SENT_BY_PUT = "put";

  /** The credentials each type needs, then those it may have. */
  private static final Map<String, List<String>> REQUIRED = Map.of(
    GREENHOUSE, List.of("inbound_key", "partner_username", "partner_password"),
    TEAMTAILOR, List.of("provider_key", "api_key"));
  private static final Map<String, List<String>> OPTIONAL = Map.of(
    GREENHOUSE, List.of(),
    TEAMTAILOR, List.of("signing_secret"));
  private static final Set<String> OTHER_KEYS = Set.of("type", "allowed_callback_hosts", "status_map");
  /** Settings only some types have. */
  private static final Map<String, Set<String>> TYPE_KEYS = Map.of(GREENHOUSE, Set.of(), TEAMTAILOR, Set.of("sent_status"));

  /** Where a credential's value comes from: the environment (by variable name) or a file (by path). */
  public interface SecretSource {
    String environment(String variable);

    String file(String path) throws IOException;

    SecretSource SYSTEM = new SecretSource() {
      @Override
      public String environment(String variable) {
        return System.getenv(variable);
      }

      @Override
      public String file(String path) throws IOException {
        return Files.readString(Path.of(path)).stripTrailing();
      }
    };
  }

  /** Reads an account's {@code provider} object; refuses anything it does not know, naming the account. */
  public static ProviderSettings fromJson(String accountId, JsonObject json, SecretSource source) {
    Function<String, IllegalArgumentException> refused =
      why -> new IllegalArgumentException("account " + accountId + ": provider: " + why);
    String type = json.getString("type");
    if (type == null || !REQUIRED.containsKey(type)) {
      throw refused.apply("type must be one of " + REQUIRED.keySet().stream().sorted().toList() + ", not " + type);
    }
    List<String> required = REQUIRED.get(type);
    List<String> optional = OPTIONAL.get(type);
    for (String key : json.fieldNames()) {
      if (OTHER_KEYS.contains(key) || TYPE_KEYS.get(type).contains(key)) continue;
      String name = key.replaceAll("_(env|file)$", "");
      if (name.equals(key) && (required.contains(key) || optional.contains(key))) {
        throw refused.apply(key + " is a credential: name it with " + key + "_env or " + key + "_file, never inline");
      }
      if (name.equals(key) || !(required.contains(name) || optional.contains(name))) {
        throw refused.apply("unknown key " + key + " for type " + type);
      }
    }
    Map<String, Secret> secrets = new HashMap<>();
    for (String name : required) secrets.put(name, read(json, name, source, refused, true));
    for (String name : optional) {
      Secret secret = read(json, name, source, refused, false);
      if (secret != null) secrets.put(name, secret);
    }
    JsonArray hosts = json.getJsonArray("allowed_callback_hosts", new JsonArray());
    List<String> allowed = hosts.stream().map(host -> {
      if (!(host instanceof String name) || name.isBlank()) throw refused.apply("allowed_callback_hosts lists host names");
      return name.toLowerCase(Locale.ROOT);
    }).toList();
    Object overrides = json.getValue("status_map");
    if (overrides != null && !(overrides instanceof JsonObject)) throw refused.apply("status_map must be an object of tables");
    String sentStatus = null;
    if (TEAMTAILOR.equals(type)) {
      Object given = json.getValue("sent_status", SENT_IN_RESPONSE);
      if (!SENT_IN_RESPONSE.equals(given) && !SENT_BY_PUT.equals(given)) {
        throw refused.apply("sent_status must be \"" + SENT_IN_RESPONSE + "\" or \"" + SENT_BY_PUT + "\", not " + given);
      }
      sentStatus = (String) given;
    }
    return new ProviderSettings(type, Map.copyOf(secrets), allowed, StatusMap.load(accountId, type, (JsonObject) overrides),
      sentStatus);
  }

  /** Whether an order's acceptance goes to the ATS as a call of its own (Teamtailor's {@code PUT update-url} with {@code sent}). */
  public boolean sentByPut() {
    return SENT_BY_PUT.equals(sentStatus);
  }

  private static Secret read(JsonObject json, String name, SecretSource source,
                             Function<String, IllegalArgumentException> refused, boolean required) {
    String variable = json.getString(name + "_env");
    String file = json.getString(name + "_file");
    if (variable != null && file != null) throw refused.apply(name + ": name either " + name + "_env or " + name + "_file");
    if (variable != null) {
      String value = source.environment(variable);
      if (value == null) throw refused.apply(name + ": environment variable " + variable + " is not set");
      return new Secret(value);
    }
    if (file != null) {
      try {
        return new Secret(source.file(file));
      } catch (IOException e) {
        throw refused.apply(name + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    if (required) throw refused.apply(name + " is missing: name it with " + name + "_env or " + name + "_file");
    return null;
  }

  /** The credential {@code name}, or null when this type has none of that name configured. */
  public Secret secret(String name) {
    return secrets.get(name);
  }

  /** Whether calls to the ATS may go to {@code host} (exact names, case-insensitive). */
  public boolean allowsCallbackHost(String host) {
    return host != null && allowedCallbackHosts.contains(host.toLowerCase(Locale.ROOT));
  }
}
