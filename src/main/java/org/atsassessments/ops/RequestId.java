package org.atsassessments.ops;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The id of an HTTP request: the client's {@code X-Request-Id} when it is 1 to 128 characters of
 * {@code [A-Za-z0-9._:-]}, else a generated one. It is returned on the answer, logged, and carried to the
 * repository with each of the request's calls.
 */
public final class RequestId {

  public static final String HEADER = "X-Request-Id";
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestId() {
  }

  /** The client's id if acceptable, else a new one (16 hex digits). */
  public static String accept(String given) {
    if (given != null && VALID.matcher(given).matches()) return given;
    String hex = Long.toHexString(ThreadLocalRandom.current().nextLong());
    return hex.length() == 16 ? hex : "0".repeat(16 - hex.length()) + hex;
  }
}
