package org.atsassessments.connectors;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.accounts.LinkedAccounts;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.model.ProviderSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A linked account's provider in conf/accounts.json: credentials by name only, a missing one named at start-up. */
class ProviderSettingsTest {

  private static final Map<String, String> ENV = Map.of("GH_KEY", "inbound-secret", "GH_USER", "partner", "GH_PASS", "pw");
  private static final Map<String, String> FILES = Map.of("/run/secrets/tt-key", "tt-provider-key", "/run/secrets/tt-api", "tt-api");

  private static final ProviderSettings.SecretSource SOURCE = new ProviderSettings.SecretSource() {
    @Override
    public String environment(String variable) {
      return ENV.get(variable);
    }

    @Override
    public String file(String path) throws IOException {
      String value = FILES.get(path);
      if (value == null) throw new NoSuchFileException(path);
      return value;
    }
  };

  private static JsonObject greenhouse() {
    return new JsonObject().put("type", "greenhouse").put("inbound_key_env", "GH_KEY").put("partner_username_env", "GH_USER")
      .put("partner_password_env", "GH_PASS").put("allowed_callback_hosts", new JsonArray().add("App.Greenhouse.io"));
  }

  private static LinkedAccount account(JsonObject provider) {
    return LinkedAccount.fromJson(new JsonObject().put("id", "acme-gh").put("users", new JsonArray().add("vendor"))
      .put("provider", provider), SOURCE);
  }

  private static String refusal(JsonObject provider) {
    return assertThrows(IllegalArgumentException.class, () -> account(provider)).getMessage();
  }

  @Test
  void credentialsComeFromTheEnvironmentOrFilesAndNeverPrint() {
    LinkedAccount gh = account(greenhouse());
    assertEquals("greenhouse", gh.providerType());
    assertTrue(gh.provider().secret("inbound_key").matches("inbound-secret"));
    assertFalse(gh.provider().secret("inbound_key").matches("inbound-secre"));
    assertEquals("partner", gh.provider().secret("partner_username").value());
    assertTrue(gh.provider().allowsCallbackHost("app.greenhouse.io"), "host names compare case-insensitively");
    assertFalse(gh.provider().allowsCallbackHost("evil.example"));
    assertFalse(gh.toString().contains("inbound-secret") || gh.toString().contains("pw,"), gh.toString());

    LinkedAccount tt = account(new JsonObject().put("type", "teamtailor").put("provider_key_file", "/run/secrets/tt-key")
      .put("api_key_file", "/run/secrets/tt-api"));
    assertEquals("tt-provider-key", tt.provider().secret("provider_key").value());
    assertNull(tt.provider().secret("signing_secret"), "optional");
    assertFalse(tt.toString().contains("tt-provider-key"));

    assertEquals("native", LinkedAccount.fromJson(new JsonObject().put("id", "plain")).providerType());
  }

  @Test
  void aMissingOrInlineCredentialFailsStartUpNamingTheAccountAndKey() {
    String unset = refusal(greenhouse().put("inbound_key_env", "NOT_SET"));
    assertTrue(unset.contains("acme-gh") && unset.contains("inbound_key") && unset.contains("NOT_SET"), unset);
    String missing = refusal(greenhouse().copy().put("partner_password_env", (String) null));
    assertTrue(missing.contains("acme-gh") && missing.contains("partner_password"), missing);
    JsonObject noPassword = greenhouse();
    noPassword.remove("partner_password_env");
    assertTrue(refusal(noPassword).contains("partner_password is missing"));
    String inline = refusal(greenhouse().put("inbound_key", "written-here"));
    assertTrue(inline.contains("never inline") && !inline.contains("written-here"), inline);
    String unreadable = refusal(new JsonObject().put("type", "teamtailor").put("provider_key_file", "/nope").put("api_key_env", "GH_KEY"));
    assertTrue(unreadable.contains("provider_key") && unreadable.contains("/nope"), unreadable);
    assertTrue(refusal(greenhouse().put("inbound_key_file", "/run/secrets/tt-key")).contains("either"));
    assertTrue(refusal(greenhouse().put("type", "lever")).contains("type must be one of"));
    assertTrue(refusal(greenhouse().put("api_key_env", "GH_KEY")).contains("unknown key api_key_env"));
    assertTrue(refusal(greenhouse().put("allowed_callback_hosts", new JsonArray().add(3))).contains("allowed_callback_hosts"));
  }

  @Test
  void theAccountsFileFailsAsAWholeOnABadProvider() {
    JsonObject file = new JsonObject().put("accounts", new JsonArray()
      .add(new JsonObject().put("id", "fine"))
      .add(new JsonObject().put("id", "broken").put("provider", greenhouse().put("inbound_key_env", "NOT_SET"))));
    String message = assertThrows(IllegalArgumentException.class, () -> LinkedAccounts.parse(file, "accounts.json", false, SOURCE))
      .getMessage();
    assertTrue(message.contains("broken") && message.contains("NOT_SET"), message);
  }

  @Test
  void statusTablesComeWithTheProviderAndAccountsOverrideEntries() {
    LinkedAccount tt = account(new JsonObject().put("type", "teamtailor").put("provider_key_file", "/run/secrets/tt-key")
      .put("api_key_file", "/run/secrets/tt-api")
      .put("status_map", new JsonObject().put("application_status", new JsonObject().put("Tech call", "interview").put("Hired", "onboarding"))));
    var statuses = tt.provider().statusMap();
    assertEquals(new JsonObject().put("value", "interview").put("source_value", "Tech call"), statuses.applicationStatus("Tech call"));
    assertEquals("onboarding", statuses.applicationStatus("hired").getString("value"), "the account's entry wins, case aside");
    assertEquals("screen", statuses.applicationStatus("Screening").getString("value"), "the shipped table's entries stay");
    assertEquals(new JsonObject().put("value", "unmapped_value").put("source_value", "Coffee with the CEO"),
      statuses.applicationStatus("Coffee with the CEO"), "an unknown status is never an error");
    assertEquals("pending", statuses.outbound("result_status", "in_progress", null));
    assertEquals("top_fit", statuses.outbound("grade", "passed", null));
    assertEquals("fallback", statuses.outbound("grade", "something new", "fallback"));

    LinkedAccount gh = account(greenhouse());
    assertEquals("complete", gh.provider().statusMap().outbound("partner_status", "passed", null));
    assertEquals("in_progress", gh.provider().statusMap().outbound("partner_status", "in_progress", "in_progress"));

    assertTrue(refusal(greenhouse().put("status_map", "complete")).contains("status_map"));
    assertTrue(refusal(greenhouse().put("status_map", new JsonObject().put("colours", new JsonObject()))).contains("unknown table colours"));
    String notStackOnes = refusal(greenhouse().put("status_map", new JsonObject().put("application_status",
      new JsonObject().put("Hired", "celebrating"))));
    assertTrue(notStackOnes.contains("celebrating") && notStackOnes.contains("acme-gh"), notStackOnes);
    assertTrue(refusal(greenhouse().put("status_map", new JsonObject().put("partner_status", new JsonObject().put("passed", 1))))
      .contains("must be a string"));
  }

  @Test
  void teamtailorIsToldSentInTheWebhooksAnswerUnlessTheAccountAsksForAPut() {
    JsonObject teamtailor = new JsonObject().put("type", "teamtailor").put("provider_key_file", "/run/secrets/tt-key")
      .put("api_key_file", "/run/secrets/tt-api");
    assertEquals(ProviderSettings.SENT_IN_RESPONSE, account(teamtailor).provider().sentStatus(), "the default");
    assertFalse(account(teamtailor).provider().sentByPut());
    assertFalse(account(teamtailor.copy().put("sent_status", "response")).provider().sentByPut());
    assertTrue(account(teamtailor.copy().put("sent_status", "put")).provider().sentByPut());
    String refused = refusal(teamtailor.copy().put("sent_status", "email"));
    assertTrue(refused.contains("acme-gh") && refused.contains("sent_status") && refused.contains("email"), refused);
    assertTrue(refusal(teamtailor.copy().put("sent_status", true)).contains("sent_status"));
    assertTrue(refusal(greenhouse().put("sent_status", "put")).contains("unknown key sent_status for type greenhouse"),
      "Greenhouse has no such setting");
    assertFalse(account(greenhouse()).provider().sentByPut());
  }
}
