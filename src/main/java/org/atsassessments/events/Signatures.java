package org.atsassessments.events;

import com.standardwebhooks.Webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Webhook secrets and signatures. A secret is Standard Webhooks' {@code whsec_} + base64 of 32 random bytes.
 * {@code webhook-signature} is Standard Webhooks' {@code v1,<base64>} (HMAC-SHA256 over {@code id.timestamp.body},
 * made by the Standard Webhooks library), one per signing secret, space-separated; {@code x-stackone-signature} is
 * StackOne's: HMAC-SHA256 of the raw body with the same key bytes, base64url without padding.
 */
public final class Signatures {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "whsec_";

  private Signatures() {
  }

  public static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** One secret's signer (the library decodes the key once). */
  public static final class Signer {
    private final Webhook standard;
    private final byte[] key;

    public Signer(String secret) {
      this.key = Base64.getDecoder().decode(secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret);
      this.standard = new Webhook(key);
    }

    /** {@code v1,<base64>} over {@code id.timestamp.body}. */
    public String standard(String id, long timestampSeconds, String body) {
      try {
        return standard.sign(id, timestampSeconds, body);
      } catch (Exception e) {
        throw new IllegalStateException("signing failed", e);
      }
    }

    /** StackOne's: base64url (no padding) of HMAC-SHA256 of the body. */
    public String stackOne(String body) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is missing", e);
      }
    }
  }
}
