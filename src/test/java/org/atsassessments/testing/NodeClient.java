package org.atsassessments.testing;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A Node program of {@code src/test/live} that drives a client library nobody here wrote (graphql-ws, Vert.x's
 * SockJS bridge client): commands go to its stdin as JSON lines, and every JSON line it prints is kept, in order,
 * for the test to wait for. Its stderr goes to the test's output.
 */
public final class NodeClient implements AutoCloseable {

  public static final Path PROJECT = Path.of("src/test/live");

  private final Process process;
  private final Writer commands;
  private final List<JsonObject> lines = new ArrayList<>();

  private NodeClient(Process process) {
    this.process = process;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (!line.startsWith("{")) {
            System.out.println("[node] " + line);
            continue;
          }
          synchronized (lines) {
            lines.add(new JsonObject(line));
            lines.notifyAll();
          }
        }
      } catch (IOException ended) {
        // the process ended
      }
    }, "node-client-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code script} of {@link #PROJECT} and waits for its {@code {"ready": true}} line. */
  public static NodeClient start(String script) throws IOException {
    Prerequisites.requireNodePackages(PROJECT);
    Process process;
    try {
      process = new ProcessBuilder("node", script).directory(PROJECT.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new IOException("node is needed for " + script + ": run " + Prerequisites.SCRIPT, e);
    }
    NodeClient client = new NodeClient(process);
    client.await("node " + script + " ready", line -> line.containsKey("ready"), 20);
    return client;
  }

  public void send(JsonObject command) {
    try {
      commands.write(command.encode() + "\n");
      commands.flush();
    } catch (IOException e) {
      throw new IllegalStateException("node client is gone", e);
    }
  }

  /** The first line (of all printed so far) that matches, waiting at most {@code seconds} for it. */
  public JsonObject await(String what, Predicate<JsonObject> match, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    synchronized (lines) {
      while (true) {
        for (JsonObject line : lines) if (match.test(line)) return line;
        long left = deadline - System.nanoTime();
        if (left <= 0 || !process.isAlive()) {
          return fail(what + " did not happen within " + seconds + " s" + (process.isAlive() ? "" : " (node exited)")
            + "; lines: " + lines);
        }
        try {
          lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return fail("interrupted waiting for " + what);
        }
      }
    }
  }

  /** Every line printed so far that matches. */
  public List<JsonObject> all(Predicate<JsonObject> match) {
    synchronized (lines) {
      return lines.stream().filter(match).toList();
    }
  }

  @Override
  public void close() {
    try {
      commands.close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
