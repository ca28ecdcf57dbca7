package org.atsassessments.rest;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query of a StackOne GET: {@code fields} (comma-separated names or dotted paths, repeatable),
 * {@code raw} ({@code true}/{@code false}) and the provider passthrough. StackOne's SDK flattens
 * {@code proxy} for these endpoints ({@code foo=bar}) while the docs use {@code proxy[foo]=bar}; both, and
 * any other unknown parameter, land in {@link #proxy()} keyed by the provider's parameter name. Unknown
 * parameters are never an error.
 */
public record ReadOptions(List<String> fields, boolean raw, JsonObject proxy) {

  private static final Set<String> OWN = Set.of("fields", "raw");

  public static ReadOptions parse(MultiMap query) {
    List<String> fields = new ArrayList<>();
    for (String value : query.getAll("fields")) {
      for (String name : value.split(",")) {
        if (!name.isBlank()) fields.add(name.trim());
      }
    }
    JsonObject proxy = new JsonObject();
    for (Map.Entry<String, String> entry : query) {
      if (OWN.contains(entry.getKey())) continue;
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
    return new ReadOptions(fields.isEmpty() ? null : fields, raw(query.getAll("raw")), proxy);
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
