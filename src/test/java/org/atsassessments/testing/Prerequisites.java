package org.atsassessments.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What some tests need from the machine, installed by {@code scripts/test-prerequisites.sh} ({@code make test}
 * runs it first). A test never installs anything: when a prerequisite is missing it fails, naming the script.
 */
public final class Prerequisites {

  public static final String SCRIPT = "scripts/test-prerequisites.sh";
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  /** The script writes the SHA-256 of the package-lock.json it installed from here, inside node_modules. */
  private static final String LOCKFILE_MARKER = ".ats-lockfile-sha256";

  private Prerequisites() {
  }

  /** Debian's Chromium, which playwright-core drives (it downloads no browser). */
  public static void requireChromium() {
    if (!Files.isExecutable(CHROMIUM)) fail(CHROMIUM + " is missing: run " + SCRIPT + " (as root, it installs Debian's chromium)");
  }

  /** The Node packages of {@code project}, installed by the script from the committed package-lock.json. */
  public static void requireNodePackages(Path project) throws IOException {
    Path marker = project.resolve("node_modules").resolve(LOCKFILE_MARKER);
    if (!Files.isRegularFile(marker)) fail(project.resolve("node_modules") + " is missing: run " + SCRIPT);
    String installed = Files.readString(marker).trim();
    if (!installed.equals(sha256(project.resolve("package-lock.json")))) {
      fail(project.resolve("node_modules") + " was installed from another package-lock.json: run " + SCRIPT);
    }
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
