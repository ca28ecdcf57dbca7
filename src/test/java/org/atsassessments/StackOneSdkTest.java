package org.atsassessments;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
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
 * StackOne's own TypeScript SDK ({@code @stackone/stackone-client-ts} 4.28.0, from the npm registry, pinned by
 * {@code src/test/sdk/package-lock.json}) runs a vendor's whole flow against this service with nothing
 * changed but the base URL: {@code src/test/sdk/stackone-flow.cjs}. Needs Node.js 18+ and the locked npm
 * packages, which {@code scripts/test-prerequisites.sh} installs ({@code make test} runs it first); the test
 * installs nothing and fails, naming the script, when they are missing.
 */
@ExtendWith(VertxExtension.class)
class StackOneSdkTest {

  private static final Path SDK = Path.of("src/test/sdk");

  @BeforeAll
  static void theSdkIsInstalled() throws IOException {
    Prerequisites.requireNodePackages(SDK);
  }

  @Test
  void aVendorsWholeFlowWorksThroughStackOnesUnmodifiedSdk(Vertx vertx, @TempDir Path dir) throws Exception {
    TestService service = TestService.start(vertx, dir);

    Result flow = run(List.of("node", "stackone-flow.cjs", "http://127.0.0.1:" + service.config.httpPort(),
      TestService.ALICE, TestService.ALICE_PASSWORD, TestService.ACME, TestService.DORMANT), 120);

    assertEquals(0, flow.exit, flow.output);
    String[] lines = flow.output.trim().split("\n");
    JsonObject summary = new JsonObject(lines[lines.length - 1]);
    assertEquals(2, summary.getInteger("packagePages"));
    assertEquals(new JsonArray(List.of("NotFoundResponse", "ConflictResponse", "UnauthorizedResponse", "NotFoundResponse",
      "PreconditionFailedResponse")), summary.getJsonArray("errors"));
    assertTrue(summary.getString("order").matches("[0-9a-f-]{36}"));
  }

  private record Result(int exit, String output) {
  }

  private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile("stackone-sdk", ".log");
    Process process;
    try {
      process = new ProcessBuilder(command).directory(SDK.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IOException(command.get(0) + " is needed to run StackOne's SDK against the service: run "
        + Prerequisites.SCRIPT, e);
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
