package org.atsassessments.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * This service's own OpenAPI 3.1 document ({@code schema/openapi.json}) as a test oracle: which operation a
 * request is, and whether a real response is one the document promises (status, required headers, media type,
 * body against the schema, with networknt's OpenAPI 3.1 dialect, as {@code model/Contract} does for StackOne's).
 */
public final class OpenApiDocument {

  public static final Path FILE = Path.of("schema/openapi.json");
  private static final String BASE = "https://ats-assessments.test/openapi.json";
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  /** One documented operation; {@code path} is the document's template ({@code /orders/{id}}). */
  public record Operation(String method, String path) {
    @Override
    public String toString() {
      return method.toUpperCase(Locale.ROOT) + " " + path;
    }
  }

  public final JsonNode document;
  private final SchemaRegistry registry;

  private OpenApiDocument(JsonNode document, String text) {
    this.document = document;
    this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder.schemas(Map.of(BASE, text)));
  }

  public static OpenApiDocument load() {
    try {
      String text = Files.readString(FILE);
      return new OpenApiDocument(new ObjectMapper().readTree(text), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<Operation> operations() {
    List<Operation> operations = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (String method : METHODS) {
        if (path.getValue().has(method)) operations.add(new Operation(method, path.getKey()));
      }
    }
    return operations;
  }

  /** The operation a concrete request path falls under; a literal template wins over one with parameters. */
  public Optional<Operation> operation(HttpMethod method, String path) {
    String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    return operations().stream()
      .filter(op -> op.method.equalsIgnoreCase(method.name()))
      .filter(op -> bare.matches(op.path.replaceAll("\\{[^}/]+}", "[^/]+").replace(".", "\\.")))
      .min(Comparator.comparing(op -> op.path.contains("{")));
  }

  /** Everything about a real response that the document does not promise; empty when it conforms. */
  public List<String> violations(HttpMethod method, String path, HttpResponse<Buffer> response) {
    Operation op = operation(method, path).orElse(null);
    if (op == null) return List.of(method + " " + path + " is not in " + FILE);
    String status = String.valueOf(response.statusCode());
    String pointer = "/paths/" + escape(op.path) + "/" + op.method + "/responses/" + status;
    JsonNode declared = at(pointer);
    if (declared.isMissingNode()) return List.of(op + " answered " + status + ", which the document does not declare: "
      + response.bodyAsString());
    if (declared.has("$ref")) {
      pointer = declared.get("$ref").asText().substring(1);
      declared = at(pointer);
    }
    List<String> problems = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> headers = declared.path("headers").fields(); headers.hasNext(); ) {
      Map.Entry<String, JsonNode> header = headers.next();
      JsonNode definition = header.getValue().has("$ref") ? at(header.getValue().get("$ref").asText().substring(1)) : header.getValue();
      if (definition.path("required").asBoolean(false) && response.getHeader(header.getKey()) == null) {
        problems.add(op + " " + status + " lacks the required header " + header.getKey());
      }
    }
    JsonNode content = declared.path("content");
    if (content.isMissingNode()) return problems;
    String contentType = Optional.ofNullable(response.getHeader("content-type")).orElse("").split(";")[0].trim();
    String mediaType = mediaType(content, contentType);
    if (mediaType == null) {
      problems.add(op + " " + status + " has content type '" + contentType + "', not one of " + fieldNames(content));
      return problems;
    }
    if (contentType.endsWith("json")) {
      Schema schema = registry.getSchema(SchemaLocation.of(BASE + "#" + pointer + "/content/" + escape(mediaType) + "/schema"));
      try {
        for (Error error : schema.validate(new ObjectMapper().readTree(response.body().getBytes()))) {
          problems.add(op + " " + status + ": " + error);
        }
      } catch (IOException e) {
        problems.add(op + " " + status + " is not JSON: " + response.bodyAsString());
      }
    }
    return problems;
  }

  public JsonNode at(String pointer) {
    return document.at(pointer);
  }

  private static String mediaType(JsonNode content, String contentType) {
    if (content.has(contentType)) return contentType;
    String wildcard = contentType.contains("/") ? contentType.substring(0, contentType.indexOf('/')) + "/*" : null;
    if (wildcard != null && content.has(wildcard)) return wildcard;
    return content.has("*/*") ? "*/*" : null;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** RFC 6901: a key as one JSON-pointer segment. */
  public static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
