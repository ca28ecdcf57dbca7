package org.atsassessments.edge;

import io.vertx.core.Vertx;
import io.vertx.ext.auth.ChainAuth;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.htpasswd.HtpasswdAuth;
import io.vertx.ext.auth.htpasswd.HtpasswdAuthOptions;
import org.atsassessments.demo.DemoData;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/** The users file: vertx-auth-htpasswd does the hashing; this adds the demo user and start-up checks. */
public final class Htpasswd {

  private static final Logger LOG = Logger.getLogger(Htpasswd.class.getName());

  private Htpasswd() {
  }

  /** The users of one version of the file: the provider that verifies them, and a digest naming that version. */
  record Users(AuthenticationProvider provider, String version) {
  }

  /**
   * The users file as it is now (blocking: run it on a worker). One provider per HTTP verticle instance (its
   * {SHA} digest is not thread-safe).
   */
  static Users load(Vertx vertx, String path, boolean demo) throws IOException {
    return users(vertx, path, demo, Files.readString(Path.of(path)));
  }

  /**
   * The users of a file that changed (blocking: run it on a worker). A file without a single user line
   * (emptied, or caught half written) is refused, so the previous one stays; users whose hash cannot be
   * verified are reported, as at start-up.
   */
  static Users reloaded(Vertx vertx, String path, boolean demo) throws IOException {
    String content = Files.readString(Path.of(path));
    if (content.lines().map(String::trim).noneMatch(line -> !line.isEmpty() && !line.startsWith("#") && line.indexOf(':') > 0)) {
      throw new IllegalArgumentException("it lists no user");
    }
    for (String user : unsupportedUsers(content)) {
      LOG.warning("htpasswd user '" + user + "' has a hash format that cannot be verified; recreate it with 'htpasswd -m'");
    }
    return users(vertx, path, demo, content);
  }

  private static Users users(Vertx vertx, String path, boolean demo, String content) {
    AuthenticationProvider users = HtpasswdAuth.create(vertx, new HtpasswdAuthOptions().setHtpasswdFile(path));
    AuthenticationProvider provider = !demo ? users : ChainAuth.any().add(users)
      .add(HtpasswdAuth.create(vertx, new HtpasswdAuthOptions().setHtpasswdFile(DemoData.HTPASSWD_RESOURCE)));
    MessageDigest sha256 = VerifiedCredentials.digest();
    String version = Base64.getEncoder().encodeToString(sha256.digest((demo + "\n" + content).getBytes(StandardCharsets.UTF_8)));
    return new Users(provider, version);
  }

  /**
   * Users whose hash vertx-auth-htpasswd cannot verify (bcrypt, SHA-256-crypt, SHA-512-crypt, anything
   * that is not apr1, {SHA} or 13-character crypt): they would be refused without a word, so they are
   * reported at start-up instead.
   */
  public static List<String> unsupportedUsers(String content) {
    List<String> users = new ArrayList<>();
    for (String line : content.split("\\r?\\n")) {
      line = line.trim();
      int colon = line.indexOf(':');
      if (line.isEmpty() || line.startsWith("#") || colon <= 0) continue;
      String hash = line.substring(colon + 1);
      boolean supported = hash.startsWith("$apr1$") || hash.startsWith("{SHA}")
        || (hash.length() == 13 && hash.matches("[./0-9A-Za-z]{13}"));
      if (!supported) users.add(line.substring(0, colon));
    }
    return users;
  }
}
