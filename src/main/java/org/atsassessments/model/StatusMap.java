package org.atsassessments.model;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A provider's statuses and StackOne's, as data: {@code conf/status-maps/<provider>.json} (the file beside the
 * service when there is one, else the copy in the jar), each table overridable per account. A value a table
 * lacks is never an error: an application status becomes {@code unmapped_value} with the provider's own string
 * as {@code source_value}; an outbound status is sent as it is (or the caller's fallback).
 */
public final class StatusMap {

  /** StackOne's application_status values (the unified model's enum). */
  static final Set<String> APPLICATION_STATUSES = Set.of("active", "assessment", "background_check", "converted",
    "declined_by_candidate", "hired", "interview", "lead", "offer", "reference_check", "rejected", "review", "screen", "new",
    "onboarding", "created", "accepted", "short_list", "approved", "unmapped_value");
  private static final List<String> TABLES = List.of("application_status", "partner_status", "result_status", "grade");

  private final Map<String, Map<String, String>> tables;

  private StatusMap(Map<String, Map<String, String>> tables) {
    this.tables = tables;
  }

  /** The provider's table (the file, else the jar's copy) with the account's {@code override} entries over it. */
  public static StatusMap load(String accountId, String provider, JsonObject override) {
    JsonObject defaults = read(provider);
    Map<String, Map<String, String>> tables = new HashMap<>();
    for (String table : TABLES) {
      Map<String, String> entries = new HashMap<>();
      put(entries, accountId, provider, table, defaults.getValue(table));
      if (override != null) put(entries, accountId, provider, table, override.getValue(table));
      tables.put(table, Map.copyOf(entries));
    }
    if (override != null) {
      for (String key : override.fieldNames()) {
        if (!TABLES.contains(key)) {
          throw new IllegalArgumentException("account " + accountId + ": provider: status_map: unknown table " + key + " (" + TABLES + ")");
        }
      }
    }
    return new StatusMap(Map.copyOf(tables));
  }

  private static void put(Map<String, String> entries, String accountId, String provider, String table, Object value) {
    if (value == null) return;
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException("account " + accountId + ": " + provider + " status map: " + table + " must be an object");
    }
    for (Map.Entry<String, Object> entry : object) {
      if (!(entry.getValue() instanceof String mapped)) {
        throw new IllegalArgumentException("account " + accountId + ": " + provider + " status map: " + table + "." + entry.getKey()
          + " must be a string");
      }
      if (table.equals("application_status") && !APPLICATION_STATUSES.contains(mapped)) {
        throw new IllegalArgumentException("account " + accountId + ": " + provider + " status map: application_status."
          + entry.getKey() + ": " + mapped + " is not one of StackOne's application statuses");
      }
      entries.put(entry.getKey().toLowerCase(Locale.ROOT), mapped);
    }
  }

  private static JsonObject read(String provider) {
    String name = "conf/status-maps/" + provider + ".json";
    try {
      Path beside = Path.of(name);
      if (Files.exists(beside)) return new JsonObject(Files.readString(beside));
      try (InputStream shipped = StatusMap.class.getClassLoader().getResourceAsStream(name)) {
        return shipped == null ? new JsonObject() : new JsonObject(new String(shipped.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  /** {@code {"value", "source_value"}} of a provider's application status: the table's value, else unmapped_value. */
  public JsonObject applicationStatus(String source) {
    String mapped = source == null ? null : tables.get("application_status").get(source.trim().toLowerCase(Locale.ROOT));
    return new JsonObject().put("value", mapped != null ? mapped : "unmapped_value").put("source_value", source);
  }

  /** The provider's string for a StackOne value in {@code table}, else {@code fallback}. */
  public String outbound(String table, String value, String fallback) {
    String mapped = value == null ? null : tables.getOrDefault(table, Map.of()).get(value.toLowerCase(Locale.ROOT));
    return mapped != null ? mapped : fallback;
  }
}
