package org.atsassessments.repository;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.Contract;

import java.util.ArrayList;
import java.util.List;

/** Request bodies against the contract: 422 naming every field of the wrong type, or the body as an object. */
final class Bodies {

  static final int MAX_ID_LENGTH = 1024;

  private Bodies() {
  }

  /**
   * The body as a JSON object valid for {@code schema}; {@code remote_id}, which StackOne's request schemas
   * lack but which we accept, must be a string too.
   */
  static JsonObject valid(String schema, Object body) {
    if (!(body instanceof JsonObject object)) throw new RepositoryFailure(422, "body: must be a JSON object");
    List<String> problems = new ArrayList<>(Contract.get().validate(schema, object));
    Object remoteId = object.getValue("remote_id");
    if (remoteId != null && !(remoteId instanceof String)) {
      problems.add("remote_id: " + kind(remoteId) + " found, string expected");
    }
    if (!problems.isEmpty()) throw new RepositoryFailure(422, String.join("; ", problems));
    return object;
  }

  /** Ids are keys in the store; longer ones are refused rather than truncated, and so is NUL. */
  static String checkedId(String field, String id) {
    return checkedId(field, id, MAX_ID_LENGTH);
  }

  static String checkedId(String field, String id, int maxLength) {
    if (id != null && id.length() > maxLength) {
      throw new RepositoryFailure(422, field + ": longer than " + maxLength + " characters");
    }
    if (id != null && id.indexOf('\u0000') >= 0) {
      // PostgreSQL text cannot hold it; refused on every store alike
      throw new RepositoryFailure(422, field + ": must not contain the NUL character");
    }
    return id;
  }

  static String nonBlankString(Object value) {
    return value instanceof String s && !s.isBlank() ? s : null;
  }

  static String kind(Object value) {
    if (value instanceof Number n) return n instanceof Double || n instanceof Float ? "number" : "integer";
    if (value instanceof Boolean) return "boolean";
    if (value instanceof JsonObject) return "object";
    if (value instanceof JsonArray) return "array";
    return "string";
  }
}
