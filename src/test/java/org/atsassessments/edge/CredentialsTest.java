package org.atsassessments.edge;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
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

  @Test
  void verifiedCredentialsMatchUserAndPasswordExactly() {
    VerifiedCredentials verified = new VerifiedCredentials(60_000, 10);
    verified.add("alice", "wonderland");

    assertTrue(verified.contains("alice", "wonderland"));
    assertFalse(verified.contains("alice", "wonderland2"));
    assertFalse(verified.contains("alicew", "onderland"));
  }

  @Test
  void verifiedCredentialsExpire() throws InterruptedException {
    VerifiedCredentials verified = new VerifiedCredentials(1, 10);
    verified.add("alice", "wonderland");
    Thread.sleep(5);

    assertFalse(verified.contains("alice", "wonderland"));
    assertFalse(new VerifiedCredentials(0, 10).contains("alice", "wonderland"), "ttl 0 disables the cache");
  }

  @Test
  void verifiedCredentialsAreBoundedLeastRecentlyUsedFirst() {
    VerifiedCredentials verified = new VerifiedCredentials(60_000, 2);
    verified.add("a", "1");
    verified.add("b", "2");
    verified.contains("a", "1");
    verified.add("c", "3");

    assertTrue(verified.contains("a", "1"));
    assertFalse(verified.contains("b", "2"));
    assertTrue(verified.contains("c", "3"));
  }

  @Test
  void reportsUsersWhoseHashCannotBeVerified() {
    String file = String.join("\n", "# comment", "apr:$apr1$abc$def", "sha:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=",
      "crypt:rqXexS6ZhobKA", "bcrypt:$2y$05$abc", "s256:$5$salt$hash", "s512:$6$salt$hash", "plain:secret", "", "nocolon");

    assertEquals(List.of("bcrypt", "s256", "s512", "plain"), Htpasswd.unsupportedUsers(file));
  }
}
