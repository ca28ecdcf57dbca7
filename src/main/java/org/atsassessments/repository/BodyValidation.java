package org.atsassessments.repository;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.StackOneContract;
import org.atsassessments.repository.api.RepositoryException;

import java.util.ArrayList;
import java.util.List;

/** Request bodies against the contract: 422 naming every field of the wrong type, or the body as an object. */
final class BodyValidation {

  static final int MAX_ID_LENGTH = 1024;

  private BodyValidation() {
  }

  /**
   * The body as a JSON object valid for {@code schema}; {@code remote_id}, which StackOne's request schemas
   * lack but which we accept, must be a string too.
   */
  static JsonObject valid(String schema, Object body) {
    if (!(body instanceof JsonObject object)) throw new RepositoryException(422, "body: must be a JSON object");
    List<String> problems = new ArrayList<>(StackOneContract.get().validate(schema, object));
    Object remoteId = object.getValue("remote_id");
    if (remoteId != null && !(remoteId instanceof String)) {
      problems.add("remote_id: " + kind(remoteId) + " found, string expected");
    }
    unstorable("", object, problems);
    if (!problems.isEmpty()) throw new RepositoryException(422, String.join("; ", problems));
    return object;
  }

  /**
   * Values that would not come back as sent. Strings (keys too) with a lone UTF-16 surrogate, which JSON's
   * {@code \ud800} escapes can carry: they are not text, UTF-8 cannot hold them, and PostgreSQL refused the
   * write (a 500). Numbers beyond a double's range (1e400), which Jackson reads as Infinity and writes back as
   * the string "Infinity". Refused alike on every store.
   */
  private static void unstorable(String path, Object value, List<String> problems) {
    if (value instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        String at = path.isEmpty() ? key : path + "." + key;
        if (unpaired(key)) problems.add(at + ": the name is not valid Unicode (a lone surrogate)");
        unstorable(at, object.getValue(key), problems);
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) unstorable(path + "[" + i + "]", array.getValue(i), problems);
    } else if (value instanceof String text && unpaired(text)) {
      problems.add(path + ": not valid Unicode (a lone surrogate)");
    } else if (value instanceof Double number && !Double.isFinite(number)
      || value instanceof Float single && !Float.isFinite(single)) {
      problems.add(path + ": a number out of range");
    }
  }

  static boolean unpaired(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) i++;
      else if (Character.isSurrogate(c)) return true;
    }
    return false;
  }

  /** Ids are keys in the store; longer ones are refused rather than truncated, and so is NUL. */
  static String checkedId(String field, String id) {
    return checkedId(field, id, MAX_ID_LENGTH);
  }

  static String checkedId(String field, String id, int maxLength) {
    if (id != null && id.length() > maxLength) {
      throw new RepositoryException(422, field + ": longer than " + maxLength + " characters");
    }
    if (id != null && id.indexOf('\u0000') >= 0) {
      // PostgreSQL text cannot hold it; refused on every store alike
      throw new RepositoryException(422, field + ": must not contain the NUL character");
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
