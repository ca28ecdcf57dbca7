package org.atsassessments.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.LinkedAccount;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What {@code ATS_DEMO=true} adds: a linked account, a user allowed to use it (kept in the jar's own
 * htpasswd, never in conf/), and StackOne's example order, stored under that account.
 */
public final class DemoData {

  public static final String ACCOUNT_ID = "demo-greenhouse";
  public static final String USER = "demo";
  public static final String PASSWORD = "demo-password";
  public static final String HTPASSWD_RESOURCE = "demo/htpasswd";
  public static final String ORDER_ID = "8187e5da-dc77-475e-9949-af0f1fa4e4e3";
  public static final String TEST_URL_TEMPLATE = "https://tests.example.com/start/{id}";

  private DemoData() {
  }

  public static LinkedAccount account() {
    return LinkedAccount.fromJson(new JsonObject()
      .put("id", ACCOUNT_ID).put("name", "Demo on Greenhouse").put("status", "active")
      .put("users", new JsonArray().add(USER)).put("test_url_template", TEST_URL_TEMPLATE));
  }

  /** The body StackOne's documentation gives for an order request (candidate Romain Sestier, package "Test 1"). */
  public static JsonObject order() {
    try (InputStream in = DemoData.class.getClassLoader().getResourceAsStream("demo/order.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String curl(String baseUrl) {
    return "curl -u " + USER + ":" + PASSWORD + " -H 'x-account-id: " + ACCOUNT_ID + "' '" + baseUrl
      + "/unified/ats/assessments/orders/" + ORDER_ID + "?fields=id,candidate,package.name&raw=false'";
  }
}
