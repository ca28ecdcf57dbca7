package org.atsassessments.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, for tests that stop or restart it: the machine's binaries
 * (the highest version under {@code /usr/lib/postgresql/}), a cluster made by initdb in a fresh temp directory
 * (trust auth, user postgres, UTF8), listening on a free port of 127.0.0.1 with its unix socket in that
 * directory. The machine's own server is never touched. PostgreSQL refuses to run as root: under root the
 * server's commands run as the unprivileged {@code postgres} system user, which owns the directory.
 */
public final class PostgresServer implements AutoCloseable {

  private static final Path VERSIONS = Path.of("/usr/lib/postgresql");
  private static final String OS_USER = "postgres";

  public final int port;
  private final Path bin;
  private final Path dir;
  private final Path data;
  private final boolean asPostgresUser;

  private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** initdb, then start; answers once the server accepts connections. */
  public static PostgresServer start() throws IOException, InterruptedException {
    boolean root = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
    Path dir = Files.createTempDirectory("ats-pg-");
    if (root) {
      UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
      Files.setOwner(dir, postgres);
    }
    PostgresServer server = new PostgresServer(binaries(), dir, TestService.freePort(), root);
    try {
      server.run(server.bin.resolve("initdb").toString(), "-D", server.data.toString(), "-U", "postgres", "-A", "trust",
        "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions");
      // in postgresql.conf rather than on pg_ctl's command line, so a restart keeps them
      Files.writeString(server.data.resolve("postgresql.conf"), "\nlisten_addresses = '127.0.0.1'\nport = " + server.port
        + "\nunix_socket_directories = '" + dir + "'\n", java.nio.file.StandardOpenOption.APPEND);
      server.pgCtl("start");
      return server;
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.delete();
      throw e;
    }
  }

  /** {@code pg_ctl restart -m fast}: every connection is cut; answers once the server accepts connections again. */
  public void restart() throws IOException, InterruptedException {
    pgCtl("restart", "-m", "fast");
  }

  /** A new empty database on this server. */
  public String createDatabase() {
    String name = "ats_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    TestStores.execute(jdbcUrl("postgres"), "CREATE DATABASE " + name);
    return name;
  }

  /** The service's form, for pg_url / ATS_PG_URL. */
  public String url(String database) {
    return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w",
        "-m", "fast", "stop");
    } finally {
      delete();
    }
  }

  private void pgCtl(String... action) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(),
      "-l", dir.resolve("server.log").toString(), "-w", "-t", "60"));
    command.addAll(List.of(action));
    run(command.toArray(String[]::new));
    awaitConnections();
  }

  /** pg_ctl -w already waits for the server to say it is ready; this holds it to a real connection. */
  private void awaitConnections() throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "")) {
        return;
      } catch (SQLException notYet) {
        if (System.nanoTime() > deadline) throw new IOException("PostgreSQL on port " + port + " accepts no connection:\n"
          + log(), notYet);
        Thread.sleep(50);
      }
    }
  }

  private void run(String... command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>();
    if (asPostgresUser) line.addAll(List.of("runuser", "-u", OS_USER, "--"));
    line.addAll(List.of(command));
    Path output = Files.createTempFile("ats-pg-command", ".log");
    try {
      // the directory is the server's: as the postgres user the caller's may not be readable
      Process process = new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", line) + " did not finish in 120 s:\n" + Files.readString(output));
      }
      if (process.exitValue() != 0) {
        throw new IOException(String.join(" ", line) + " exited with " + process.exitValue() + ":\n"
          + Files.readString(output) + log());
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private String log() throws IOException {
    Path log = dir.resolve("server.log");
    return Files.exists(log) ? "server log:\n" + Files.readString(log) : "";
  }

  /** The bin directory of the highest PostgreSQL version installed. */
  private static Path binaries() throws IOException {
    if (!Files.isDirectory(VERSIONS)) throw new IOException("no PostgreSQL binaries under " + VERSIONS);
    try (Stream<Path> versions = Files.list(VERSIONS)) {
      return versions.filter(version -> version.getFileName().toString().matches("\\d+(\\.\\d+)?"))
        .map(version -> version.resolve("bin"))
        .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"))
          && Files.isExecutable(bin.resolve("postgres")))
        .max(Comparator.comparingDouble(bin -> Double.parseDouble(bin.getParent().getFileName().toString())))
        .orElseThrow(() -> new IOException("no initdb, pg_ctl and postgres under " + VERSIONS + "/*/bin"));
    }
  }

  private void delete() {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }
}
