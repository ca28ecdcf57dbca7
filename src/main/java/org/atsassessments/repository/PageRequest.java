package org.atsassessments.repository;

import io.vertx.core.json.JsonObject;
import org.atsassessments.model.Timestamps;

import java.time.Instant;

/**
 * What a list message asks for: {@code page_size} (default 25, at most 100), {@code next} (a cursor from
 * the previous page) and {@code updated_after} (ISO 8601 date-time; only records updated strictly after).
 */
record PageRequest(int pageSize, String next, long updatedAfterMs) {

  static final int DEFAULT_SIZE = 25;
  static final int MAX_SIZE = 100;

  static PageRequest from(JsonObject message) {
    Object size = message.getValue("page_size");
    int pageSize = DEFAULT_SIZE;
    if (size != null) {
      if (!(size instanceof Number n) || n.longValue() < 1 || n.doubleValue() != n.longValue()) {
        throw new RepositoryFailure(400, "page_size must be a whole number of at least 1");
      }
      pageSize = (int) Math.min(n.longValue(), MAX_SIZE);
    }
    Object next = message.getValue("next");
    if (next != null && !(next instanceof String)) throw new RepositoryFailure(400, "next is not a cursor of this list");
    String updatedAfter = message.getString("updated_after");
    long updatedAfterMs = Long.MIN_VALUE;
    if (updatedAfter != null) {
      Instant instant = Timestamps.parse(updatedAfter);
      if (instant == null) throw new RepositoryFailure(400, "updated_after must be an ISO 8601 date-time with a zone");
      updatedAfterMs = instant.toEpochMilli();
    }
    return new PageRequest(pageSize, (String) next, updatedAfterMs);
  }
}
