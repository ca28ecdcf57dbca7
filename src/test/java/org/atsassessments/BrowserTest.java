package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.demo.DemoData;
import org.atsassessments.testing.Prerequisites;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The service's pages in a real browser: Debian's headless Chromium ({@code /usr/bin/chromium}) driven by
 * npm's {@code playwright-core} ({@code src/test/browser/pages.cjs}, pinned by its package-lock.json; it downloads
 * no browser). GraphiQL runs a query for the demo order with the demo credentials typed into its Headers tab, and a
 * subscription that shows an order posted meanwhile; /docs lists the API's operations. Neither page may fetch
 * from another origin or break its CSP. A dashboard page served from another origin (listed in
 * {@code cors_allowed_origins}) calls GraphQL and REST with credentials and shows what it got, response headers
 * included; the same page from an origin not listed is refused by the browser.
 *
 * <p>Needs Debian's Chromium, Node.js 18+ and the locked npm packages, which {@code scripts/test-prerequisites.sh}
 * installs ({@code make test} runs it first); the test installs nothing and fails, naming the script, when
 * one is missing.
 */
@ExtendWith(VertxExtension.class)
class BrowserTest {

  private static final Path BROWSER = Path.of("src/test/browser");

  @BeforeAll
  static void theBrowserAndPlaywrightAreInstalled() throws IOException {
    Prerequisites.requireChromium();
    Prerequisites.requireNodePackages(BROWSER);
  }

  @Test
  void graphiqlShowsTheDemoOrderAndDocsListsTheOrderEndpoints(Vertx vertx, @TempDir Path dir) throws Exception {
    int dashboardPort = TestService.freePort();
    TestService service = TestService.start(vertx, dir, config -> config.with("demo", true)
      .with("cors_allowed_origins", "http://localhost:" + dashboardPort));

    Result pages = run(List.of("node", "pages.cjs", "http://127.0.0.1:" + service.config.httpPort(),
      DemoData.USER, DemoData.PASSWORD, DemoData.ACCOUNT_ID, DemoData.ORDER_ID, String.valueOf(dashboardPort)), BROWSER, 120);

    assertEquals(0, pages.exit, pages.output);
    String[] lines = pages.output.trim().split("\n");
    JsonObject summary = new JsonObject(lines[lines.length - 1]);
    JsonObject order = summary.getJsonObject("order");
    assertEquals(DemoData.ORDER_ID, order.getString("id"));
    assertEquals(new JsonObject().put("firstName", "Romain").put("lastName", "Sestier")
      .put("emails", new JsonArray().add(new JsonObject().put("value", "sestier.romain123@gmail.com"))), order.getJsonObject("candidate"));
    assertEquals("Test 1", order.getJsonObject("package").getString("name"));
    assertEquals("Software Engineer", order.getJsonObject("job").getString("title"));
    assertTrue(summary.getJsonObject("subscription").getString("remoteId").startsWith("graphiql-live-"));
    JsonObject dashboard = summary.getJsonObject("dashboard");
    assertEquals(200, dashboard.getJsonObject("graphql").getInteger("status"), dashboard.encode());
    assertEquals("Sestier", dashboard.getJsonObject("graphql").getJsonObject("body").getJsonObject("data")
      .getJsonObject("assessmentOrder").getJsonObject("candidate").getString("lastName"));
    JsonObject rest = dashboard.getJsonObject("rest");
    assertEquals(200, rest.getInteger("status"), rest.encode());
    assertEquals(DemoData.ORDER_ID, rest.getJsonObject("body").getJsonObject("data").getString("id"), rest.encode());
    assertEquals("dashboard-1", rest.getString("requestId"), "X-Request-Id exposed to the page");
    assertTrue(rest.getString("remaining") != null, "RateLimit-Remaining exposed to the page: " + rest.encode());
    assertTrue(summary.getJsonObject("otherOrigin").getString("refused").contains("Failed to fetch"),
      "an origin not listed gets no CORS headers, so the browser refuses: " + summary.getJsonObject("otherOrigin"));
    JsonObject docs = summary.getJsonObject("docs");
    assertTrue(docs.getString("title").startsWith("ats-assessments"), docs.getString("title"));
    List<Object> operations = docs.getJsonArray("operations").getList();
    for (String operation : List.of("GET /unified/ats/assessments/orders", "POST /unified/ats/assessments/orders",
      "GET /unified/ats/assessments/orders/{id}", "PATCH /unified/ats/assessments/orders/{id}/result",
      "GET /unified/ats/assessments/orders/{id}/results")) {
      assertTrue(operations.contains(operation), operation + " not listed on /docs: " + operations);
    }
  }

  private record Result(int exit, String output) {
  }

  private static Result run(List<String> command, Path directory, int timeoutSeconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile("browser-test", ".log");
    Process process;
    try {
      process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IOException(command.get(0) + " is needed for the browser test: run " + Prerequisites.SCRIPT, e);
    }
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n" + Files.readString(log));
    }
    String output = Files.readString(log);
    Files.delete(log);
    return new Result(process.exitValue(), output);
  }
}
