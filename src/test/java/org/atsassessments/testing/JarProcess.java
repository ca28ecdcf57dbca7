package org.atsassessments.testing;

import io.vertx.core.json.JsonObject;
import org.atsassessments.demo.DemoData;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shaded jar run as an operator runs it: a separate JVM configured by ATS_* variables, from a directory
 * without conf/, logging to a file. Requests go through java.net.http as the demo user on the demo account.
 */
public final class JarProcess {

  public static final Path JAR = Path.of(System.getProperty("ats.jar", "target/ats-assessments.jar")).toAbsolutePath();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** Every process started in this JVM, oldest first ({@link NodeLogs} keeps the logs of a failed test's). */
  static final List<JarProcess> STARTED = new CopyOnWriteArrayList<>();

  public final String name;
  public final int port;
  public final Path log;
  private final Process process;

  private JarProcess(String name, int port, Path log, Process process) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /** Empty users and accounts files: the demo user and account (from the jar) are the only ones. */
  public static Map<String, String> demoEnvironment(Path dir) throws IOException {
    Path users = dir.resolve("users.htpasswd");
    Path accounts = dir.resolve("accounts.json");
    if (!Files.exists(users)) Files.writeString(users, "# no users besides the demo one\n");
    if (!Files.exists(accounts)) Files.writeString(accounts, "{\"accounts\": []}");
    Map<String, String> env = new HashMap<>();
    env.put("ATS_HTPASSWD", users.toString());
    env.put("ATS_ACCOUNTS", accounts.toString());
    env.put("ATS_DEMO", "true");
    env.put("ATS_HTTP_HOST", "127.0.0.1");
    return env;
  }

  public static JarProcess start(Path dir, String name, Map<String, String> env) throws IOException {
    int port = env.containsKey("ATS_HTTP_PORT") ? Integer.parseInt(env.get("ATS_HTTP_PORT")) : TestService.freePort();
    Path log = dir.resolve(name + ".log");
    List<String> command = new java.util.ArrayList<>(List.of("java", "-Xmx256m"));
    // the test JVMs' own flags (the pom's test.jvm.flags: C1 only, the serial collector), for the same reason
    for (String flag : System.getProperty("ats.test.jvm.flags", "").trim().split("\\s+")) if (!flag.isEmpty()) command.add(flag);
    command.addAll(List.of("-jar", JAR.toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
      .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("ATS_"));
    builder.environment().put("ATS_RATE_LIMIT_PER_MINUTE", "1000000");  // the tests send thousands a minute
    builder.environment().putAll(env);
    builder.environment().put("ATS_HTTP_PORT", String.valueOf(port));
    JarProcess started = new JarProcess(name, port, log, builder.start());
    STARTED.add(started);
    return started;
  }

  /** Waits for GET /ready to answer 200. */
  public JarProcess awaitReady(int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) fail(name + " exited with " + process.exitValue() + ":\n" + Files.readString(log));
      try {
        if (send("GET", "/ready", null).statusCode() == 200) return this;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    return fail(name + " not ready after " + seconds + " s:\n" + Files.readString(log));
  }

  public HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
    return send(method, path, body, Map.of());
  }

  /** As the demo user on the demo account, with these headers besides. */
  public HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
    throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
      .timeout(Duration.ofSeconds(10))
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
      .header("Authorization", TestService.basic(DemoData.USER, DemoData.PASSWORD))
      .header("x-account-id", DemoData.ACCOUNT_ID).header("Content-Type", "application/json");
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> createOrder(String remoteId) throws IOException, InterruptedException {
    return send("POST", TestService.ORDERS, new JsonObject().put("id", remoteId)
      .put("candidate", new JsonObject().put("first_name", remoteId)).encode());
  }

  /** SIGKILL: no shutdown hook, no goodbye to the cluster. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Waits for the process to end by itself; answers its exit status (fails the test if it is still running). */
  public int awaitExit(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) fail(name + " still running after " + seconds + " s");
    return process.exitValue();
  }

  /** A request with these headers only (no demo credentials): as an ATS calls a connector route. */
  public HttpResponse<String> call(String method, String path, String body, Map<String, String> headers)
    throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
      .timeout(Duration.ofSeconds(10))
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::setHeader);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
