package org.atsassessments.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.atsassessments.testing.TestService.ALICE;
import static org.atsassessments.testing.TestService.BOB;

/**
 * Connector accounts added to the accounts file {@link TestService#config} wrote: Greenhouse's
 * {@value #GREENHOUSE} (alice's) and {@value #OTHER_GREENHOUSE} (bob's, whose status map sends in_progress as
 * "started"), Teamtailor's {@value #TEAMTAILOR}
 * (alice's, with a signing secret, {@code sent} in the webhook's answer) and {@value #OTHER_TEAMTAILOR} (bob's, without a
 * secret, {@code sent_status: put}); their credentials in files
 * of the test directory, results allowed to go to the ATS's host and 127.0.0.1. Call it before starting the node.
 */
public final class ConnectorAccounts {

  public static final String GREENHOUSE = "gh-acme";
  public static final String OTHER_GREENHOUSE = "gh-globex";
  public static final String GREENHOUSE_KEY = "gh-inbound-key-0d03";
  public static final String OTHER_GREENHOUSE_KEY = "gh-inbound-key-other";
  public static final String TEAMTAILOR = "tt-acme";
  public static final String OTHER_TEAMTAILOR = "tt-globex";
  public static final String TEAMTAILOR_KEY = "tt-provider-key-5e1a";
  public static final String OTHER_TEAMTAILOR_KEY = "tt-provider-key-other";
  public static final String TEAMTAILOR_SIGNING_SECRET = "tt-signing-secret-77";
  /** Disabled accounts holding the same keys as alice's. */
  public static final String DISABLED_GREENHOUSE = "gh-dormant";
  public static final String DISABLED_TEAMTAILOR = "tt-dormant";
  public static final String PARTNER_USER = "partner-user";
  public static final String PARTNER_PASSWORD = "partner-password";

  private ConnectorAccounts() {
  }

  public static void write(Path dir) {
    try {
      Path accountsFile = dir.resolve("accounts.json");
      JsonObject accounts = new JsonObject(Files.readString(accountsFile));
      Map<String, String> secrets = Map.of("gh-key", GREENHOUSE_KEY, "gh-other-key", OTHER_GREENHOUSE_KEY,
        "gh-user", PARTNER_USER, "gh-password", PARTNER_PASSWORD, "tt-key", TEAMTAILOR_KEY, "tt-other-key", OTHER_TEAMTAILOR_KEY,
        "tt-api", "tt-api-key", "tt-signing", TEAMTAILOR_SIGNING_SECRET);
      for (Map.Entry<String, String> secret : secrets.entrySet()) {
        Files.writeString(dir.resolve(secret.getKey()), secret.getValue() + "\n");
      }
      accounts.getJsonArray("accounts")
        .add(greenhouse(GREENHOUSE, ALICE, dir, "gh-key"))
        .add(greenhouse(OTHER_GREENHOUSE, BOB, dir, "gh-other-key").put("provider", greenhouse(OTHER_GREENHOUSE, BOB, dir, "gh-other-key")
          .getJsonObject("provider").put("status_map", new JsonObject().put("partner_status", new JsonObject().put("in_progress", "started")))))
        .add(teamtailor(TEAMTAILOR, ALICE, dir, "tt-key", true))
        .add(teamtailor(OTHER_TEAMTAILOR, BOB, dir, "tt-other-key", false).put("provider",
          teamtailor(OTHER_TEAMTAILOR, BOB, dir, "tt-other-key", false).getJsonObject("provider").put("sent_status", "put")))
        .add(greenhouse(DISABLED_GREENHOUSE, ALICE, dir, "gh-key").put("status", "disabled"))
        .add(teamtailor(DISABLED_TEAMTAILOR, ALICE, dir, "tt-key", false).put("status", "disabled"));
      Files.writeString(accountsFile, accounts.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject greenhouse(String id, String user, Path dir, String keyFile) {
    return new JsonObject().put("id", id).put("name", id).put("status", "active").put("users", new JsonArray().add(user))
      .put("provider", new JsonObject().put("type", "greenhouse")
        .put("inbound_key_file", dir.resolve(keyFile).toString())
        .put("partner_username_file", dir.resolve("gh-user").toString())
        .put("partner_password_file", dir.resolve("gh-password").toString())
        .put("allowed_callback_hosts", new JsonArray().add("app.greenhouse.io").add("127.0.0.1")));
  }

  private static JsonObject teamtailor(String id, String user, Path dir, String keyFile, boolean signed) {
    JsonObject provider = new JsonObject().put("type", "teamtailor")
      .put("provider_key_file", dir.resolve(keyFile).toString())
      .put("api_key_file", dir.resolve("tt-api").toString())
      .put("allowed_callback_hosts", new JsonArray().add("api.teamtailor.com").add("127.0.0.1"));
    if (signed) provider.put("signing_secret_file", dir.resolve("tt-signing").toString());
    return new JsonObject().put("id", id).put("name", id).put("status", "active").put("users", new JsonArray().add(user))
      .put("provider", provider);
  }

  /** How Greenhouse authenticates: Basic, the key as the user name, an empty password. */
  public static String greenhouseAuth(String key) {
    return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes());
  }
}
