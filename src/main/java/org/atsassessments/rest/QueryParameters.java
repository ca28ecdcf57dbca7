package org.atsassessments.rest;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;
import org.atsassessments.model.Timestamps;
import org.atsassessments.repository.RepositoryClient.Page;
import org.atsassessments.repository.RepositoryClient.Read;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query of a StackOne GET. {@code fields} (comma-separated names or dotted paths, repeatable) and
 * {@code raw} ({@code true}/{@code false}) on every GET; {@code page_size}, {@code next} and
 * {@code filter[updated_after]} (or the bare {@code updated_after} StackOne's SDK sends, possibly twice) on
 * lists. Everything else is the provider passthrough: StackOne's SDK flattens {@code proxy} for these
 * endpoints ({@code foo=bar}) while its docs use {@code proxy[foo]=bar}; both land in the passthrough keyed
 * by the provider's parameter name. Unknown parameters are never an error.
 */
final class QueryParameters {

  private static final Set<String> READ = Set.of("fields", "raw");
  private static final Set<String> LIST = Set.of("fields", "raw", "page_size", "next", "filter[updated_after]",
    "updated_after", "page");

  private QueryParameters() {
  }

  static Read read(MultiMap query) {
    return read(query, READ);
  }

  static Read readList(MultiMap query) {
    return read(query, LIST);
  }

  private static Read read(MultiMap query, Set<String> reserved) {
    List<String> fields = new ArrayList<>();
    for (String value : query.getAll("fields")) {
      for (String name : value.split(",")) {
        if (!name.isBlank()) fields.add(name.trim());
      }
    }
    JsonObject proxy = new JsonObject();
    for (Map.Entry<String, String> entry : query) {
      if (reserved.contains(entry.getKey())) continue;
      String key = providerKey(entry.getKey());
      Object existing = proxy.getValue(key);
      if (existing == null) {
        proxy.put(key, entry.getValue());
      } else if (existing instanceof JsonArray values) {
        values.add(entry.getValue());
      } else {
        proxy.put(key, new JsonArray().add(existing).add(entry.getValue()));
      }
    }
    return new Read(fields.isEmpty() ? null : fields, raw(query.getAll("raw")), proxy);
  }

  /**
   * {@code page_size} is a numeric string (default 25; above 100 means 100); {@code filter[updated_after]}
   * wins over the bare form, and of repeated bare values the first (the SDK sends the filter's first).
   */
  static Page page(MultiMap query) {
    Integer pageSize = null;
    String size = query.get("page_size");
    if (size != null && !size.isBlank()) {
      try {
        long parsed = Long.parseLong(size.trim());
        if (parsed < 1) throw new NumberFormatException();
        pageSize = (int) Math.min(parsed, 100);
      } catch (NumberFormatException e) {
        throw new HttpException(400, "page_size must be a whole number of at least 1");
      }
    }
    String updatedAfter = query.get("filter[updated_after]");
    if (updatedAfter == null || updatedAfter.isBlank()) updatedAfter = query.get("updated_after");
    if (updatedAfter != null && updatedAfter.isBlank()) updatedAfter = null;
    if (updatedAfter != null && Timestamps.parse(updatedAfter) == null) {
      throw new HttpException(400, "updated_after must be an ISO 8601 date-time with a zone, e.g. 2020-01-01T00:00:00.000Z");
    }
    String next = query.get("next");
    return new Page(pageSize, next == null || next.isBlank() ? null : next, updatedAfter);
  }

  /** {@code proxy[filter[eq][age]]} → {@code filter[eq][age]}; a bare name stays as it is. */
  static String providerKey(String name) {
    if (name.startsWith("proxy[") && name.endsWith("]") && name.length() > "proxy[]".length()) {
      return name.substring("proxy[".length(), name.length() - 1);
    }
    return name;
  }

  private static boolean raw(List<String> values) {
    if (values.isEmpty()) return false;
    String value = values.get(values.size() - 1).trim();
    if (value.equalsIgnoreCase("true") || value.equals("1")) return true;
    if (value.isEmpty() || value.equalsIgnoreCase("false") || value.equals("0")) return false;
    throw new HttpException(400, "raw must be true or false");
  }
}
