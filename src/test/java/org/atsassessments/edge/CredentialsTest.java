package org.atsassessments.edge;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CredentialsTest {

  private static String basic(String text) {
    return "Basic " + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parsesUserAndPasswordSplittingAtTheFirstColon() {
    assertEquals(new BasicAuthentication.Basic("key", "pa:ss"), BasicAuthentication.parse(basic("key:pa:ss")));
    assertEquals(new BasicAuthentication.Basic("key", ""), BasicAuthentication.parse(basic("key:")));
    assertEquals(new BasicAuthentication.Basic("key", ""), BasicAuthentication.parse(basic("key")));
    assertEquals(new BasicAuthentication.Basic("ü", "ß"), BasicAuthentication.parse(basic("ü:ß")));
  }

  @Test
  void refusesWhatIsNotBasicWithAUser() {
    assertNull(BasicAuthentication.parse(null));
    assertNull(BasicAuthentication.parse("Bearer x"));
    assertNull(BasicAuthentication.parse("Basic %%%"));
    assertNull(BasicAuthentication.parse(basic(":password")));
    assertNull(BasicAuthentication.parse(basic("")));
  }

  private static final MessageDigest SHA256 = VerifiedCredentials.digest();

  private static String key(String user, String password) {
    return VerifiedCredentials.key(SHA256, "users-v1", user, password);
  }

  /** A clock the test moves. */
  private static final class Clock implements Ticker {
    long nanos;

    @Override
    public long read() {
      return nanos;
    }
  }

  @Test
  void verifiedCredentialsMatchUserAndPasswordExactly() {
    VerifiedCredentials verified = new VerifiedCredentials(60_000, 10, Ticker.systemTicker());
    verified.add(key("alice", "wonderland"));

    assertTrue(verified.contains(key("alice", "wonderland")));
    assertFalse(verified.contains(key("alice", "wonderland2")));
    assertFalse(verified.contains(key("alicew", "onderland")));
    assertFalse(verified.contains(VerifiedCredentials.key(SHA256, "users-v2", "alice", "wonderland")),
      "another version of the users file verifies anew");
  }

  @Test
  void verifiedCredentialsExpire() {
    Clock clock = new Clock();
    VerifiedCredentials verified = new VerifiedCredentials(1, 10, clock);
    verified.add(key("alice", "wonderland"));
    clock.nanos += 5_000_000;

    assertFalse(verified.contains(key("alice", "wonderland")));
    VerifiedCredentials off = new VerifiedCredentials(0, 10, clock);
    off.add(key("alice", "wonderland"));
    assertFalse(off.contains(key("alice", "wonderland")), "ttl 0 disables the cache");
  }

  /** Bounded; which entry goes is Caffeine's choice (W-TinyLFU), no longer strictly the least recently used. */
  @Test
  void verifiedCredentialsAreBounded() {
    VerifiedCredentials verified = new VerifiedCredentials(60_000, 2, Ticker.systemTicker());
    verified.add(key("a", "1"));
    verified.add(key("b", "2"));
    verified.contains(key("a", "1"));
    verified.add(key("c", "3"));

    assertEquals(2, verified.size());
  }

  @Test
  void reportsUsersWhoseHashCannotBeVerified() {
    String file = String.join("\n", "# comment", "apr:$apr1$abc$def", "sha:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=",
      "crypt:rqXexS6ZhobKA", "bcrypt:$2y$05$abc", "s256:$5$salt$hash", "s512:$6$salt$hash", "plain:secret", "", "nocolon");

    assertEquals(List.of("bcrypt", "s256", "s512", "plain"), Htpasswd.unsupportedUsers(file));
  }
}
