package org.atsassessments.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.vertx.core.json.jackson.DatabindCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * StackOne's Assessments contract ({@code schema/stackone-assessments-openapi.json}), loaded once: validates
 * request bodies against its component schemas and gives each schema's shape as a {@link FieldSelection},
 * so stored records carry exactly the contract's fields.
 *
 * <p>The contract is OpenAPI 3.0-flavoured ({@code nullable}); it is validated with networknt's OpenAPI 3.0
 * dialect. Its enums are open ({@code x-speakeasy-unknown-values: allow}), so they are dropped before use.
 */
public final class StackOneContract {

  public static final String RESOURCE = "schema/stackone-assessments-openapi.json";
  private static final String BASE = "https://ats-assessments.local/stackone-assessments-openapi.json";
  private static final StackOneContract INSTANCE = load();

  private final JsonNode document;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
  private final Map<String, FieldSelection> shapes = new ConcurrentHashMap<>();

  private StackOneContract(JsonNode document) {
    this.document = document;
    this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi30(),
      builder -> builder.schemas(Map.of(BASE, document.toString())));
  }

  public static StackOneContract get() {
    return INSTANCE;
  }

  private static StackOneContract load() {
    ObjectMapper mapper = DatabindCodec.mapper();
    try (InputStream in = StackOneContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      JsonNode document = mapper.readTree(in);
      openEnums(document);
      return new StackOneContract(document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes every {@code enum} marked as open: unknown values are valid input. */
  private static void openEnums(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if ("allow".equals(object.path("x-speakeasy-unknown-values").asText())) object.remove("enum");
      object.elements().forEachRemaining(StackOneContract::openEnums);
    } else if (node.isArray()) {
      node.elements().forEachRemaining(StackOneContract::openEnums);
    }
  }

  /**
   * Checks a body against a component schema. Returns one line per problem, each naming the field
   * ({@code candidate.emails[0].value: integer found, string expected}); empty when the body is valid.
   */
  public List<String> validate(String schemaName, Object body) {
    Schema schema = schemas.computeIfAbsent(schemaName,
      name -> registry.getSchema(SchemaLocation.of(BASE + "#/components/schemas/" + name)));
    JsonNode node = DatabindCodec.mapper().valueToTree(body);
    List<String> problems = new ArrayList<>();
    for (Error error : schema.validate(node)) {
      problems.add(fieldName(error.getInstanceLocation().toString()) + ": " + error.getMessage());
    }
    return problems;
  }

  /** {@code /candidate/emails/0/value} becomes {@code candidate.emails[0].value}; the root is {@code body}. */
  static String fieldName(String pointer) {
    StringBuilder name = new StringBuilder();
    for (String part : pointer.split("/")) {
      if (part.isEmpty() || part.equals("$")) continue;
      if (part.chars().allMatch(Character::isDigit)) {
        name.append('[').append(part).append(']');
      } else {
        if (name.length() > 0) name.append('.');
        name.append(part.replace("~1", "/").replace("~0", "~"));
      }
    }
    return name.length() == 0 ? "body" : name.toString();
  }

  /** The fields a record of this schema has, nested; free-form objects (passthrough) are kept whole. */
  public FieldSelection shape(String schemaName) {
    return shapes.computeIfAbsent(schemaName, name -> shapeOf(component(name)));
  }

  private JsonNode component(String name) {
    JsonNode node = document.path("components").path("schemas").path(name);
    if (node.isMissingNode()) throw new IllegalArgumentException("no schema " + name + " in " + RESOURCE);
    return node;
  }

  private FieldSelection shapeOf(JsonNode schema) {
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      return shapeOf(component(ref.substring(ref.lastIndexOf('/') + 1)));
    }
    if (schema.has("allOf")) return shapeOf(schema.get("allOf").get(0));
    if (schema.has("items")) return shapeOf(schema.get("items"));
    JsonNode properties = schema.get("properties");
    if (properties == null || schema.path("additionalProperties").asBoolean(false)) return FieldSelection.ALL;
    FieldSelection.Builder builder = FieldSelection.builder();
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      builder.add(property.getKey(), shapeOf(property.getValue()));
    }
    return builder.build();
  }
}
