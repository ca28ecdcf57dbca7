package org.atsassessments.graphql;

import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLTypeUtil;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.Timestamps;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A GraphQL input value as the REST wire would carry it: camelCase keys become snake_case, guided by the
 * input type so that JSON scalars (passthrough, sourceValue) are kept exactly as sent, and DateTimes take
 * the wire's form. The result goes through the same repository validation as a REST body.
 */
final class InputToWire {

  private InputToWire() {
  }

  /** A JSON scalar's value (maps and lists from graphql-java) as Vert.x JSON. */
  @SuppressWarnings("unchecked")
  static Object json(Object value) {
    if (value instanceof Map<?, ?> map) {
      JsonObject json = new JsonObject();
      map.forEach((key, item) -> json.put(String.valueOf(key), json(item)));
      return json;
    }
    if (value instanceof List<?> list) {
      JsonArray json = new JsonArray();
      list.forEach(item -> json.add(json(item)));
      return json;
    }
    return value;
  }

  static Object toWire(Object value, GraphQLInputType type) {
    if (value == null) return null;
    GraphQLInputType unwrapped = (GraphQLInputType) GraphQLTypeUtil.unwrapNonNull(type);
    if (unwrapped instanceof GraphQLInputObjectType object && value instanceof Map<?, ?> map) {
      JsonObject json = new JsonObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        GraphQLInputObjectField field = object.getField(String.valueOf(entry.getKey()));
        json.put(SnakeCase.of(field.getName()), toWire(entry.getValue(), field.getType()));
      }
      return json;
    }
    if (unwrapped instanceof GraphQLList list && value instanceof List<?> items) {
      JsonArray array = new JsonArray();
      for (Object item : items) array.add(toWire(item, (GraphQLInputType) list.getWrappedType()));
      return array;
    }
    if (value instanceof OffsetDateTime dateTime) return Timestamps.format(dateTime.toInstant());
    return json(value);
  }
}
