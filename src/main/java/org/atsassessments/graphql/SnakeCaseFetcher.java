package org.atsassessments.graphql;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.LightDataFetcher;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The default fetcher of every object field: reads the snake_case key of the repository's JSON record
 * ({@code remoteId} reads {@code remote_id}). The key is computed once, when the schema is wired; as a
 * {@link LightDataFetcher} it costs no DataFetchingEnvironment per field.
 */
final class SnakeCaseFetcher implements LightDataFetcher<Object> {

  private final String key;

  SnakeCaseFetcher(String fieldName) {
    this.key = SnakeCase.of(fieldName);
  }

  /** The record key this field reads. */
  String key() {
    return key;
  }

  /** What this fetcher reads from {@code source}: a JSON record's key, else nothing. */
  static Object read(Object source, String key) {
    if (source instanceof JsonObject json) return json.getValue(key);
    if (source instanceof Map<?, ?> map) return map.get(key);
    return null;
  }

  @Override
  public Object get(GraphQLFieldDefinition field, Object source, Supplier<DataFetchingEnvironment> environment) {
    return read(source, key);
  }

  @Override
  public Object get(DataFetchingEnvironment environment) {
    return get(environment.getFieldDefinition(), environment.getSource(), () -> environment);
  }
}
