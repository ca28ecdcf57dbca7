package org.atsassessments.rest;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.handler.HttpException;
import org.atsassessments.model.Timestamps;
import org.atsassessments.repository.api.Page;
import org.atsassessments.repository.api.Read;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The query of a StackOne GET, parsed and checked here once into the repository's typed values.
 * {@code fields} (comma-separated names or dotted paths, repeatable) and {@code raw} ({@code true}/{@code false})
 * on every GET; {@code page_size}, {@code next} and {@code filter[updated_after]} (or the bare
 * {@code updated_after} StackOne's SDK sends, possibly twice) on lists. Everything else is the provider
 * passthrough ({@code proxy[foo]=bar} in StackOne's docs, {@code foo=bar} from its SDK): accepted, never an
 * error, and not sent anywhere until a provider reads it (orders stored here have none).
 */
final class QueryParameters {

  private QueryParameters() {
  }

  static Read read(MultiMap query) {
    List<String> fields = new ArrayList<>();
    for (String value : query.getAll("fields")) {
      for (String name : value.split(",")) {
        if (!name.isBlank()) fields.add(name.trim());
      }
    }
    return new Read(fields, raw(query.getAll("raw")));
  }

  /**
   * {@code page_size} is a numeric string (default 25; above 100 means 100); {@code filter[updated_after]}
   * wins over the bare form, and of repeated bare values the first (the SDK sends the filter's first).
   */
  static Page page(MultiMap query) {
    int pageSize = Page.DEFAULT_SIZE;
    String size = query.get("page_size");
    if (size != null && !size.isBlank()) {
      try {
        long parsed = Long.parseLong(size.trim());
        if (parsed < 1) throw new NumberFormatException();
        pageSize = Page.clamp(parsed);
      } catch (NumberFormatException e) {
        throw new HttpException(400, "page_size must be a whole number of at least 1");
      }
    }
    String updatedAfter = query.get("filter[updated_after]");
    if (updatedAfter == null || updatedAfter.isBlank()) updatedAfter = query.get("updated_after");
    Instant after = null;
    if (updatedAfter != null && !updatedAfter.isBlank()) {
      after = Timestamps.parse(updatedAfter);
      if (after == null) {
        throw new HttpException(400, "updated_after must be an ISO 8601 date-time with a zone, e.g. 2020-01-01T00:00:00.000Z");
      }
    }
    return new Page(pageSize, query.get("next"), after, false);
  }

  private static boolean raw(List<String> values) {
    if (values.isEmpty()) return false;
    String value = values.get(values.size() - 1).trim();
    if (value.equalsIgnoreCase("true") || value.equals("1")) return true;
    if (value.isEmpty() || value.equalsIgnoreCase("false") || value.equals("0")) return false;
    throw new HttpException(400, "raw must be true or false");
  }
}
