package org.atsassessments.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks responses against StackOne's published schemas, read straight from the contract file as published
 * (closed enums included), independently of the service's own contract loading.
 */
public final class ContractAssertions {

  private static final String BASE = "https://stackone.test/assessments-openapi.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SchemaRegistry REGISTRY = registry();
  public static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

  private static final Map<Integer, String> ERROR_SCHEMAS = Map.ofEntries(
    Map.entry(400, "BadRequestResponse"), Map.entry(401, "UnauthorizedResponse"), Map.entry(403, "ForbiddenResponse"),
    Map.entry(404, "NotFoundResponse"), Map.entry(408, "RequestTimedOutResponse"), Map.entry(409, "ConflictResponse"),
    Map.entry(412, "PreconditionFailedResponse"), Map.entry(422, "UnprocessableEntityResponse"),
    Map.entry(429, "TooManyRequestsResponse"), Map.entry(500, "InternalServerErrorResponse"),
    Map.entry(501, "NotImplementedResponse"), Map.entry(502, "BadGatewayResponse"));

  private ContractAssertions() {
  }

  private static SchemaRegistry registry() {
    try {
      String document = Files.readString(Path.of("schema/stackone-assessments-openapi.json"));
      return SchemaRegistry.withDialect(Dialects.getOpenApi30(), builder -> builder.schemas(Map.of(BASE, document)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> violations(String schemaName, Buffer body) {
    Schema schema = REGISTRY.getSchema(SchemaLocation.of(BASE + "#/components/schemas/" + schemaName));
    try {
      JsonNode node = MAPPER.readTree(body.getBytes());
      return schema.validate(node).stream().map(Error::toString).toList();
    } catch (IOException e) {
      return List.of("not JSON: " + e.getMessage());
    }
  }

  public static void assertMatches(String schemaName, Buffer body) {
    List<String> violations = violations(schemaName, body);
    if (!violations.isEmpty()) fail(schemaName + " violated by " + body + ": " + violations);
  }

  /** Status, JSON content type, the contract's error schema, our timestamp form, and nothing internal. */
  public static JsonObject assertStackOneError(HttpResponse<Buffer> response, int status) {
    assertEquals(status, response.statusCode(), () -> "body: " + response.bodyAsString());
    return assertStackOneError(status, response.getHeader("content-type"), response.body());
  }

  /** The same checks on the parts of a response read some other way (a raw socket, java.net.http). */
  public static JsonObject assertStackOneError(int status, String contentType, Buffer responseBody) {
    assertTrue(contentType != null && contentType.startsWith("application/json"),
      () -> status + " with content type " + contentType + ": " + responseBody);
    assertMatches(ERROR_SCHEMAS.getOrDefault(status, "NotFoundResponse"), responseBody);
    JsonObject body = responseBody.toJsonObject();
    assertEquals(status, body.getInteger("statusCode"));
    assertTrue(body.getString("timestamp").matches(TIMESTAMP), body.getString("timestamp"));
    String message = body.getString("message");
    assertFalse(message.contains("Exception") || message.contains("\tat ") || message.contains(".java"), message);
    assertEquals(3, body.size(), "error body has exactly statusCode, message, timestamp: " + body);
    return body;
  }

  /** Two error bodies that differ only by their timestamp. */
  public static void assertSameError(HttpResponse<Buffer> expected, HttpResponse<Buffer> actual) {
    assertEquals(expected.statusCode(), actual.statusCode());
    JsonObject a = expected.bodyAsJsonObject().copy();
    JsonObject b = actual.bodyAsJsonObject().copy();
    a.remove("timestamp");
    b.remove("timestamp");
    assertEquals(a, b);
  }
}
