package org.atsassessments.graphql;

/** GraphQL's camelCase field names against the wire's snake_case keys ({@code resultsUpdateUrl} ⇄ {@code results_update_url}). */
final class SnakeCase {

  private SnakeCase() {
  }

  static String of(String camel) {
    StringBuilder snake = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        snake.append('_').append(Character.toLowerCase(c));
      } else {
        snake.append(c);
      }
    }
    return snake.toString();
  }
}
