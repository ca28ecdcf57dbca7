package org.atsassessments.http;

import io.vertx.core.Vertx;
import io.vertx.ext.auth.ChainAuth;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.htpasswd.HtpasswdAuth;
import io.vertx.ext.auth.htpasswd.HtpasswdAuthOptions;
import org.atsassessments.model.DemoData;

import java.util.ArrayList;
import java.util.List;

/** The users file: vertx-auth-htpasswd does the hashing; this adds the demo user and start-up checks. */
public final class Htpasswd {

  private Htpasswd() {
  }

  /**
   * One provider per HTTP verticle instance (its {SHA} digest is not thread-safe). Reads the file,
   * blocking: start-up only.
   */
  static AuthenticationProvider provider(Vertx vertx, String path, boolean demo) {
    AuthenticationProvider users = HtpasswdAuth.create(vertx, new HtpasswdAuthOptions().setHtpasswdFile(path));
    if (!demo) return users;
    return ChainAuth.any().add(users)
      .add(HtpasswdAuth.create(vertx, new HtpasswdAuthOptions().setHtpasswdFile(DemoData.HTPASSWD_RESOURCE)));
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
