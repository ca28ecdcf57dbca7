package org.atsassessments.repository;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.atsassessments.repository.api.RepositoryException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code next} of a list: which listing and account it belongs to and the last change number
 * served. Pages are keyset pages on the change order, so a walk neither skips nor repeats rows while
 * others are inserted. A cursor that does not decode, or belongs to another listing or account, is a 400.
 */
final class Cursor {

  private Cursor() {
  }

  static String encode(String listing, String accountId, long afterChange) {
    String json = new JsonObject().put("l", listing).put("a", accountId).put("c", afterChange).encode();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static long decode(String next, String listing, String accountId) {
    JsonObject cursor;
    try {
      cursor = new JsonObject(new String(Base64.getUrlDecoder().decode(next.trim()), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw invalid();
    }
    if (!listing.equals(cursor.getValue("l")) || !accountId.equals(cursor.getValue("a"))
      || !(cursor.getValue("c") instanceof Number change) || change.longValue() < 0) {
      throw invalid();
    }
    return change.longValue();
  }

  private static RepositoryException invalid() {
    return new RepositoryException(400, "next is not a cursor of this list");
  }
}
