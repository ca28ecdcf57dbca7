package org.atsassessments.connectors;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.PushBacks;
import org.atsassessments.model.StatusMap;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Greenhouse's Assessment Partner API to StackOne's shapes and back (grnhse/greenhouse-api-docs,
 * source/includes/assessment): a {@code send_test} body to a new order, packages to {@code list_tests}, the
 * latest result to {@code test_status}. Pure functions; docs/connectors.md says which parts are inferred.
 */
final class GreenhouseMapping {

  /** Greenhouse's one defined status: then it reads the score and the profile URL. */
  static final String COMPLETE = "complete";
  private static final Pattern PERSON = Pattern.compile("/people/([^/?#]+)");

  private GreenhouseMapping() {
  }

  /**
   * The order's {@code remote_id}: the last path segment of the {@code url} Greenhouse sends (its take-home test
   * id, as in .../take_home_tests/12345), else the whole URL. A repeated send_test (same URL, same body) answers
   * the order made the first time; another body with the same test id is refused (409), never merged.
   */
  static String remoteId(String url) {
    String path;
    try {
      path = URI.create(url).getPath();
    } catch (IllegalArgumentException notAUri) {
      return url;
    }
    if (path == null) return url;
    String trimmed = path.replaceAll("/+$", "");
    String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    return last.isBlank() ? url : URLDecoder.decode(last, StandardCharsets.UTF_8);
  }

  /**
   * The StackOne order of a {@code send_test} body ({@code packageName} the package's name as stored): 400
   * naming the first required field that is missing or not a string.
   */
  static JsonObject order(Object sent, String packageName) {
    if (!(sent instanceof JsonObject body)) throw new ConnectorReply(400, "The request body must be a JSON object");
    String testId = testId(body);
    Object candidateValue = body.getValue("candidate");
    if (!(candidateValue instanceof JsonObject candidate)) throw new ConnectorReply(400, "candidate is required", "candidate");
    String firstName = required(candidate, "first_name", "candidate.first_name");
    String lastName = required(candidate, "last_name", "candidate.last_name");
    String email = required(candidate, "email", "candidate.email");
    String profileUrl = required(candidate, "greenhouse_profile_url", "candidate.greenhouse_profile_url");
    String url = required(body, "url", "url");
    String sentBy = optional(body, "sent_by", "sent_by");
    JsonObject passthrough = new JsonObject();
    for (String name : List.of("preferred_name", "phone_number", "resume_url")) {
      String value = optional(candidate, name, "candidate." + name);
      if (value != null) passthrough.put(name, value);
    }
    JsonObject stackOneCandidate = new JsonObject().put("first_name", firstName).put("last_name", lastName)
      .put("emails", new JsonArray().add(new JsonObject().put("type", "personal").put("value", email)))
      .put("profile_url", profileUrl);
    String person = person(profileUrl);
    if (person != null) stackOneCandidate.put("id", person).put("remote_id", person);
    if (!passthrough.isEmpty()) stackOneCandidate.put("passthrough", passthrough);
    JsonObject order = new JsonObject()
      .put("id", remoteId(url))
      .put("package", new JsonObject().put("id", testId).put("name", packageName))
      .put("candidate", stackOneCandidate);
    String application = queryParameter(profileUrl, "application_id");
    if (application != null) order.put("application", new JsonObject().put("id", application).put("remote_id", application));
    if (sentBy != null) order.put("requester", new JsonObject().put("email", sentBy));
    return order;
  }

  /** The {@code partner_test_id} of a send_test body (a string or a number in Greenhouse's examples). */
  static String testId(JsonObject body) {
    Object value = body.getValue("partner_test_id");
    if (value instanceof Number number) return number.toString();
    if (value instanceof String text && !text.isBlank()) return text;
    throw new ConnectorReply(400, "partner_test_id is required", "partner_test_id");
  }

  /** One test of {@code list_tests}: a package. */
  static JsonObject test(JsonObject assessmentPackage) {
    return new JsonObject().put("partner_test_id", assessmentPackage.getValue("id"))
      .put("partner_test_name", assessmentPackage.getValue("name"));
  }

  /**
   * {@code test_status} from the order's latest result (null: none reported yet): its value through the
   * account's {@code partner_status} table (completed, passed and failed are {@code complete} by default), and
   * with {@code complete} the profile URL, the score as a number and flat metadata; a value the table lacks is
   * sent as it is, no result at all as {@code initiated}.
   */
  static JsonObject status(JsonObject result, StatusMap statuses) {
    String value = result == null ? null : PushBacks.resultValue(result);
    String status = value == null ? "initiated" : statuses.outbound("partner_status", value, value);
    if (!COMPLETE.equals(status)) return new JsonObject().put("partner_status", status);
    JsonObject metadata = new JsonObject()
      .put("Result", value)
      .put("Summary", result.getValue("summary"))
      .put("Started At", result.getValue("start_date"))
      .put("Submitted At", result.getValue("submission_date"));
    return new JsonObject()
      .put("partner_status", "complete")
      .put("partner_profile_url", result.getValue("result_url"))
      .put("partner_score", score(result))
      .put("metadata", metadata);
  }

  /** The score's value as a number (StackOne sends it as a string), whole ones as integers; null when absent or not a number. */
  static Number score(JsonObject result) {
    Double parsed = PushBacks.score(result);
    if (parsed == null) return null;
    return parsed == Math.rint(parsed) && Math.abs(parsed) < 1e15 ? (Number) (long) (double) parsed : parsed;
  }

  private static String required(JsonObject object, String name, String path) {
    Object value = object.getValue(name);
    if (value instanceof String text && !text.isBlank()) return text;
    throw new ConnectorReply(400, path + (value == null ? " is required" : " must be a non-empty string"), path);
  }

  private static String optional(JsonObject object, String name, String path) {
    Object value = object.getValue(name);
    if (value == null) return null;
    if (value instanceof String text) return text.isBlank() ? null : text;
    throw new ConnectorReply(400, path + " must be a string or null", path);
  }

  /** Greenhouse's candidate id, from a profile URL such as https://app.greenhouse.io/people/17681532?application_id=26234709. */
  static String person(String profileUrl) {
    Matcher matcher = PERSON.matcher(profileUrl);
    return matcher.find() ? URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8) : null;
  }

  static String queryParameter(String url, String name) {
    String query;
    try {
      query = URI.create(url).getRawQuery();
    } catch (IllegalArgumentException notAUri) {
      return null;
    }
    if (query == null) return null;
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      if (key.equals(name) && equals >= 0) {
        String value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
        return value.isBlank() ? null : value;
      }
    }
    return null;
  }
}
