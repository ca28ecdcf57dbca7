package org.atsassessments.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/** The one date-time form on the wire: UTC, milliseconds, {@code Z}. Input may be any ISO 8601 date-time with a zone. */
public final class Timestamps {

  private static final DateTimeFormatter WIRE =
    DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter INPUT = new DateTimeFormatterBuilder()
    .parseCaseInsensitive().append(DateTimeFormatter.ISO_OFFSET_DATE_TIME).toFormatter()
    .withResolverStyle(ResolverStyle.STRICT);  // 2021-02-30 is refused, not read as 2021-02-28

  private Timestamps() {
  }

  public static String format(Instant instant) {
    return WIRE.format(instant);
  }

  public static String now() {
    return format(Instant.now());
  }

  /** An ISO 8601 date-time with a zone ({@code Z} or {@code +02:00}); null when it is not one. */
  public static Instant parse(String text) {
    try {
      return text == null ? null : INPUT.parse(text.trim(), Instant::from);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
