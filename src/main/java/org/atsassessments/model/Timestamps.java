package org.atsassessments.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The one date-time form on the wire: UTC, milliseconds, {@code Z}. */
public final class Timestamps {

  private static final DateTimeFormatter WIRE =
    DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {
  }

  public static String format(Instant instant) {
    return WIRE.format(instant);
  }

  public static String now() {
    return format(Instant.now());
  }
}
