package org.atsassessments.graphql;

import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.schema.DataFetchingEnvironment;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A selection set as REST's {@code fields=}: the dotted snake_case paths of its leaves
 * ({@code candidate { firstName }} is {@code candidate.first_name}), read straight from the query's syntax
 * tree (fragments expanded; @skip/@include not applied, which can only fetch more). Fields that are not part
 * of the stored record ({@code raw}, {@code etag}, {@code __typename}, and an order's {@code result}, which
 * is a record of its own) are left out and reported apart. This list is what travels on the event bus and what the repository cuts the record to.
 */
final class SelectedPaths {

  private static final Set<String> NOT_STORED = Set.of("raw", "etag");

  /** What a field's selection asks of the repository. */
  record Projection(List<String> paths, boolean raw, boolean result) {
  }

  private SelectedPaths() {
  }

  /**
   * The projection of the record selected by this field, or below it along {@code under} (edges, node);
   * {@code order}: the record is an order, whose {@code result} field is loaded apart.
   */
  static Projection of(DataFetchingEnvironment env, boolean order, String... under) {
    return of(env.getMergedField().getFields(), env.getFragmentsByName(), order, under);
  }

  static Projection of(List<Field> fields, Map<String, FragmentDefinition> fragments, boolean order, String... under) {
    List<SelectionSet> sets = new ArrayList<>();
    for (Field field : fields) {
      if (field.getSelectionSet() != null) sets.add(field.getSelectionSet());
    }
    for (String name : under) {
      List<SelectionSet> next = new ArrayList<>();
      for (SelectionSet set : sets) fieldsNamed(set, name, fragments, next);
      sets = next;
    }
    Set<String> paths = new LinkedHashSet<>();
    boolean[] flags = new boolean[2];
    for (SelectionSet set : sets) collect(set, "", fragments, order, paths, flags);
    // an empty list would mean "everything": ask for the id alone instead
    List<String> list = paths.isEmpty() ? new ArrayList<>(List.of("id")) : new ArrayList<>(paths);
    if (flags[1] && !list.contains("id")) list.add("id");  // the key of the results DataLoader
    return new Projection(list, flags[0], flags[1]);
  }

  private static void fieldsNamed(SelectionSet set, String name, Map<String, FragmentDefinition> fragments,
                                  List<SelectionSet> found) {
    for (Selection<?> selection : set.getSelections()) {
      if (selection instanceof Field field) {
        if (field.getName().equals(name) && field.getSelectionSet() != null) found.add(field.getSelectionSet());
      } else {
        SelectionSet inner = nested(selection, fragments);
        if (inner != null) fieldsNamed(inner, name, fragments, found);
      }
    }
  }

  private static void collect(SelectionSet set, String prefix, Map<String, FragmentDefinition> fragments, boolean order,
                              Set<String> paths, boolean[] flags) {
    for (Selection<?> selection : set.getSelections()) {
      if (selection instanceof Field field) {
        String name = field.getName();
        if (name.equals("__typename")) continue;
        if (prefix.isEmpty() && (NOT_STORED.contains(name) || (order && name.equals("result")))) {
          if (name.equals("raw")) flags[0] = true;
          if (name.equals("result")) flags[1] = true;
          continue;
        }
        String path = prefix + SnakeCase.of(name);
        if (field.getSelectionSet() == null) {
          paths.add(path);
        } else {
          collect(field.getSelectionSet(), path + ".", fragments, order, paths, flags);
        }
      } else {
        SelectionSet inner = nested(selection, fragments);
        if (inner != null) collect(inner, prefix, fragments, order, paths, flags);
      }
    }
  }

  private static SelectionSet nested(Selection<?> selection, Map<String, FragmentDefinition> fragments) {
    if (selection instanceof InlineFragment inline) return inline.getSelectionSet();
    if (selection instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
      return fragments.get(spread.getName()).getSelectionSet();
    }
    return null;
  }
}
