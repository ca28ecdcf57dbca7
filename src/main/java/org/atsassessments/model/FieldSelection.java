package org.atsassessments.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A projection of a JSON document: which keys to keep, level by level. REST {@code fields=} (top-level
 * names and dotted paths such as {@code candidate.emails}), GraphQL selection sets and the contract's own
 * shape all become one of these, and {@link #apply} is the only place a document is cut down.
 * Selecting a path through an array applies the rest of the path to every element. Nulls are dropped:
 * on the wire, null and absent are the same.
 */
public final class FieldSelection {

  /** Keeps the whole value. */
  public static final FieldSelection ALL = new FieldSelection(null);

  private final Map<String, FieldSelection> children;

  private FieldSelection(Map<String, FieldSelection> children) {
    this.children = children;
  }

  /** {@code null} or no non-blank path means everything. */
  public static FieldSelection ofPaths(Collection<String> paths) {
    if (paths == null) return ALL;
    Builder builder = new Builder();
    paths.forEach(builder::add);
    return builder.isEmpty() ? ALL : builder.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean isAll() {
    return children == null;
  }

  /**
   * Keeps the selected keys, in the selection's order (the order of {@code fields=}, or the contract's).
   * A path that leads nowhere selects nothing: {@code candidate.nope} does not bring an empty candidate.
   */
  public JsonObject apply(JsonObject document) {
    if (document == null) return null;
    JsonObject out = new JsonObject(new LinkedHashMap<>());
    if (isAll()) {
      for (Map.Entry<String, Object> entry : document) {
        Object value = project(entry.getValue());
        if (value != null) out.put(entry.getKey(), value);
      }
    } else {
      children.forEach((name, child) -> {
        Object value = child.project(document.getValue(name));
        if (value != null) out.put(name, value);
      });
    }
    return out;
  }

  /** The part of {@code value} this selection keeps; null when it keeps nothing. */
  private Object project(Object value) {
    if (value instanceof JsonObject object) {
      JsonObject kept = apply(object);
      return kept.isEmpty() && !isAll() ? null : kept;
    }
    if (value instanceof JsonArray array) {
      JsonArray kept = new JsonArray();
      for (Object item : array) {
        Object projected = project(item);
        if (projected != null || (isAll() && item == null)) kept.add(projected);
      }
      return kept.isEmpty() && !array.isEmpty() ? null : kept;
    }
    // a scalar is kept whole, never below it: candidate.first_name.x leads nowhere
    return isAll() ? value : null;
  }

  /** Collects paths; a shorter path wins over a longer one below it ({@code candidate} beats {@code candidate.emails}). */
  public static final class Builder {
    private final Map<String, Object> tree = new LinkedHashMap<>();

    public Builder add(String path) {
      if (path == null || path.isBlank()) return this;
      Map<String, Object> level = tree;
      String[] parts = path.trim().split("\\.");
      for (int i = 0; i < parts.length; i++) {
        String name = parts[i].trim();
        if (name.isEmpty()) return this;
        boolean last = i == parts.length - 1;
        Object existing = level.get(name);
        if (existing instanceof FieldSelection) return this;
        if (last) {
          level.put(name, ALL);
          return this;
        }
        if (existing == null) {
          existing = new LinkedHashMap<String, Object>();
          level.put(name, existing);
        }
        @SuppressWarnings("unchecked") Map<String, Object> next = (Map<String, Object>) existing;
        level = next;
      }
      return this;
    }

    /** Adds a sub-selection under a name (used to build the contract's shape from its schema). */
    public Builder add(String name, FieldSelection selection) {
      tree.put(name, selection);
      return this;
    }

    boolean isEmpty() {
      return tree.isEmpty();
    }

    public FieldSelection build() {
      return freeze(tree);
    }

    @SuppressWarnings("unchecked")
    private static FieldSelection freeze(Map<String, Object> level) {
      Map<String, FieldSelection> children = new LinkedHashMap<>();
      level.forEach((name, value) -> children.put(name,
        value instanceof FieldSelection selection ? selection : freeze((Map<String, Object>) value)));
      return new FieldSelection(java.util.Collections.unmodifiableMap(children));
    }
  }
}
