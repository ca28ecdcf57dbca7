package org.atsassessments.graphql;

import graphql.schema.DataFetchingFieldSelectionSet;
import graphql.schema.SelectedField;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A selection set as REST's {@code fields=}: the dotted snake_case paths of its leaves
 * ({@code candidate { firstName }} is {@code candidate.first_name}). Fields that are not part of the
 * stored record ({@code raw}, {@code etag}, {@code result}, {@code __typename}) are left out; they are
 * fetched by other means. This list is what travels on the event bus and what the repository cuts to.
 */
final class Selections {

  static final Set<String> NOT_STORED = Set.of("raw", "etag", "result", "__typename");

  private Selections() {
  }

  /** Paths of the record selected below {@code prefix} ("" for a root field, "edges/node/" in a connection). */
  static List<String> paths(DataFetchingFieldSelectionSet selection, String prefix) {
    Set<String> paths = new LinkedHashSet<>();
    for (SelectedField field : selection.getFields(prefix + "**")) {
      if (!field.getSelectionSet().getImmediateFields().isEmpty()) continue;
      String[] segments = field.getQualifiedName().substring(prefix.length()).split("/");
      if (NOT_STORED.contains(segments[0]) || segments[segments.length - 1].equals("__typename")) continue;
      StringBuilder path = new StringBuilder();
      for (String segment : segments) {
        if (path.length() > 0) path.append('.');
        path.append(Names.snake(segment));
      }
      paths.add(path.toString());
    }
    // an empty list would mean "everything": ask for the id alone instead
    return paths.isEmpty() ? List.of("id") : new ArrayList<>(paths);
  }

  static boolean selects(DataFetchingFieldSelectionSet selection, String prefix, String field) {
    return selection.contains(prefix + field);
  }
}
