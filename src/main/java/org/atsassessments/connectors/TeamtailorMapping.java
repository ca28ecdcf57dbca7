package org.atsassessments.connectors;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.StatusMap;

/**
 * Teamtailor's Partner API to StackOne's shapes (Teamtailor/tt-partner-docs, source/includes/partners): the
 * account's packages as the {@code config} form's test picker, a {@code partner-event} as a new order. Pure
 * functions; docs/connectors.md says which parts are inferred.
 */
final class TeamtailorMapping {

  /** The config form field whose value names the package (Teamtailor sends it back in {@code webhook-data}). */
  static final String TEST_FIELD = "test";

  private TeamtailorMapping() {
  }

  /** The {@code config} answer: one select of the account's packages. */
  static JsonObject config(JsonArray packages) {
    JsonArray options = new JsonArray();
    for (Object item : packages) {
      JsonObject assessmentPackage = (JsonObject) item;
      options.add(new JsonObject().put("id", assessmentPackage.getValue("id")).put("label", assessmentPackage.getValue("name")));
    }
    JsonObject field = new JsonObject().put("id", TEST_FIELD).put("label", "Test").put("type", "select").put("required", true)
      .put("options", options);
    return new JsonObject().put("config", new JsonObject().put("fields", new JsonArray().add(field)));
  }

  /** The partner event of a webhook body: 400 unless it is an object with a string id. */
  static JsonObject event(Object sent) {
    if (!(sent instanceof JsonObject body)) throw new ConnectorReply(400, "The request body must be a JSON object");
    if (!(body.getValue("partner-event") instanceof JsonObject event)) {
      throw new ConnectorReply(400, "partner-event is required", "partner-event");
    }
    required(event, "id", "partner-event.id");
    return event;
  }

  /** The package the recruiter picked: {@code webhook-data.test}. */
  static String packageId(JsonObject event) {
    JsonObject data = object(event, "webhook-data", "partner-event.webhook-data", true);
    Object value = data.getValue(TEST_FIELD);
    if (value instanceof Number number) return number.toString();
    if (value instanceof String text && !text.isBlank()) return text;
    throw new ConnectorReply(400, "partner-event.webhook-data." + TEST_FIELD + " is required", "partner-event.webhook-data." + TEST_FIELD);
  }

  /** Where results go: {@code partner-result.update-url}. */
  static String updateUrl(JsonObject event) {
    return required(object(event, "partner-result", "partner-event.partner-result", true), "update-url",
      "partner-event.partner-result.update-url");
  }

  /**
   * The StackOne order of a partner event ({@code packageName} the package's name as stored): its application
   * status from the job's stage through the account's table, {@code rejected} when the job says so.
   */
  static JsonObject order(JsonObject event, String packageName, StatusMap statuses) {
    String packageId = packageId(event);
    JsonObject result = object(event, "partner-result", "partner-event.partner-result", true);
    String resultId = required(result, "id", "partner-event.partner-result.id");
    updateUrl(event);
    JsonObject candidate = object(event, "candidate", "partner-event.candidate", true);
    JsonObject stackOneCandidate = new JsonObject()
      .put("id", text(candidate, "id", "partner-event.candidate.id"))
      .put("remote_id", text(candidate, "id", "partner-event.candidate.id"))
      .put("first_name", required(candidate, "first-name", "partner-event.candidate.first-name"))
      .put("last_name", text(candidate, "last-name", "partner-event.candidate.last-name"));
    String email = required(candidate, "email", "partner-event.candidate.email");
    stackOneCandidate.put("emails", new JsonArray().add(new JsonObject().put("type", "personal").put("value", email)));
    JsonObject passthrough = new JsonObject();
    String phone = text(candidate, "phone", "partner-event.candidate.phone");
    if (phone != null) passthrough.put("phone", phone);
    String uuid = text(candidate, "uuid", "partner-event.candidate.uuid");
    if (uuid != null) passthrough.put("uuid", uuid);
    if (!passthrough.isEmpty()) stackOneCandidate.put("passthrough", passthrough);

    JsonObject order = new JsonObject()
      .put("id", resultId)
      .put("package", new JsonObject().put("id", packageId).put("name", packageName))
      .put("candidate", stackOneCandidate);
    JsonObject job = object(candidate, "job", "partner-event.candidate.job", false);
    if (job != null) {
      JsonObject stackOneJob = new JsonObject().put("id", text(job, "id", "partner-event.candidate.job.id"))
        .put("remote_id", text(job, "id", "partner-event.candidate.job.id"))
        .put("title", text(job, "title", "partner-event.candidate.job.title"));
      JsonObject recruiter = object(candidate, "recruiter", "partner-event.candidate.recruiter", false);
      if (recruiter != null) stackOneJob.put("hiring_team", new JsonArray().add(person(recruiter, "partner-event.candidate.recruiter")
        .put("role", "Recruiter")));
      order.put("job", stackOneJob);
      String stage = text(job, "stage", "partner-event.candidate.job.stage");
      boolean rejected = job.getValue("status") instanceof JsonObject status && Boolean.TRUE.equals(status.getValue("rejected"));
      if (rejected) {
        order.put("application", new JsonObject().put("application_status",
          new JsonObject().put("value", "rejected").put("source_value", stage != null ? stage : "rejected")));
      } else if (stage != null) {
        order.put("application", new JsonObject().put("application_status", statuses.applicationStatus(stage)));
      }
      JsonObject triggeredBy = object(job, "triggered-by", "partner-event.candidate.job.triggered-by", false);
      if (triggeredBy != null) {
        order.put("requester", person(triggeredBy, "partner-event.candidate.job.triggered-by")
          .put("user_id", text(triggeredBy, "id", "partner-event.candidate.job.triggered-by.id"))
          .put("remote_user_id", text(triggeredBy, "id", "partner-event.candidate.job.triggered-by.id")));
      }
    }
    return order;
  }

  /** A Teamtailor person ({@code name}, {@code email}) as StackOne's hiring-team member: the name split at its first space. */
  private static JsonObject person(JsonObject person, String path) {
    String name = text(person, "name", path + ".name");
    JsonObject member = new JsonObject().put("email", text(person, "email", path + ".email"));
    if (name != null) {
      int space = name.trim().indexOf(' ');
      member.put("first_name", space < 0 ? name.trim() : name.trim().substring(0, space))
        .put("last_name", space < 0 ? null : name.trim().substring(space + 1).trim());
    }
    return member;
  }

  private static JsonObject object(JsonObject parent, String name, String path, boolean required) {
    Object value = parent.getValue(name);
    if (value instanceof JsonObject object) return object;
    if (value == null && !required) return null;
    throw new ConnectorReply(400, path + (value == null ? " is required" : " must be an object"), path);
  }

  private static String required(JsonObject object, String name, String path) {
    String value = text(object, name, path);
    if (value == null) throw new ConnectorReply(400, path + " is required", path);
    return value;
  }

  /** A string or a number (Teamtailor's ids are numbers), as text; null when absent or blank. */
  private static String text(JsonObject object, String name, String path) {
    Object value = object.getValue(name);
    if (value == null) return null;
    if (value instanceof Number number) return number.toString();
    if (value instanceof String text) return text.isBlank() ? null : text;
    throw new ConnectorReply(400, path + " must be a string", path);
  }
}
