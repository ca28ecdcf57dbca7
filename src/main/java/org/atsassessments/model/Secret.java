package org.atsassessments.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A credential read from the environment or a file: its value is handed out on purpose only ({@link #value}),
 * never by {@code toString} (records that hold one print {@code ***}), and compared in constant time.
 */
public final class Secret {

  private final String value;

  public Secret(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** Whether {@code candidate} is this secret, in time that does not depend on where they differ. */
  public boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
      candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "***";
  }
}
