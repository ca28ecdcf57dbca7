package org.atsassessments.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldSelectionTest {

  private static final JsonObject ORDER = new JsonObject()
    .put("id", "o1")
    .put("remote_id", null)
    .put("candidate", new JsonObject().put("first_name", "Ada").put("last_name", null)
      .put("emails", new JsonArray().add(new JsonObject().put("type", "work").put("value", "a@x"))
        .add(new JsonObject().put("type", "home"))))
    .put("tags", new JsonArray().add("a").add(null))
    .put("empty", new JsonArray());

  @Test
  void nullOrBlankPathsSelectEverythingButNulls() {
    assertTrue(FieldSelection.ofPaths(null).isAll());
    assertTrue(FieldSelection.ofPaths(List.of(" ", "")).isAll());
    JsonObject all = FieldSelection.ALL.apply(ORDER);
    assertEquals(new JsonObject().put("first_name", "Ada").put("emails", ORDER.getJsonObject("candidate").getJsonArray("emails")),
      all.getJsonObject("candidate"));
    assertEquals(new JsonArray().add("a").addNull(), all.getJsonArray("tags"));
  }

  @Test
  void keepsSelectedKeysInTheSelectionsOrder() {
    JsonObject kept = FieldSelection.ofPaths(List.of("candidate.first_name", "id")).apply(ORDER);

    assertEquals(List.of("candidate", "id"), List.copyOf(kept.fieldNames()));
    assertEquals(new JsonObject().put("candidate", new JsonObject().put("first_name", "Ada")).put("id", "o1"), kept);
  }

  @Test
  void appliesTheRestOfAPathToEveryArrayElement() {
    JsonObject kept = FieldSelection.ofPaths(List.of("candidate.emails.value")).apply(ORDER);

    assertEquals(new JsonObject().put("candidate", new JsonObject().put("emails",
      new JsonArray().add(new JsonObject().put("value", "a@x")))), kept);
  }

  @Test
  void pathsThatLeadNowhereSelectNothing() {
    assertEquals(new JsonObject(), FieldSelection.ofPaths(List.of("nope", "id.deeper", "candidate.nope")).apply(ORDER));
    assertEquals(new JsonObject().put("empty", new JsonArray()), FieldSelection.ofPaths(List.of("empty.x")).apply(ORDER));
  }

  @Test
  void aShorterPathWinsWhicheverComesFirst() {
    JsonObject whole = FieldSelection.ofPaths(List.of("candidate")).apply(ORDER);
    assertEquals(whole, FieldSelection.ofPaths(List.of("candidate.first_name", "candidate")).apply(ORDER));
    assertEquals(whole, FieldSelection.ofPaths(List.of("candidate", "candidate.first_name")).apply(ORDER));
  }

  @Test
  void ignoresEmptySegments() {
    assertEquals(new JsonObject().put("id", "o1"), FieldSelection.ofPaths(List.of("id", "candidate..x", ".")).apply(ORDER));
  }

  @Test
  void theContractShapeDropsUnknownKeysAtEveryLevelAndKeepsPassthroughWhole() {
    JsonObject sent = new JsonObject().put("unknown", 1).put("id", "x")
      .put("candidate", new JsonObject().put("first_name", "A").put("weird", true)
        .put("passthrough", new JsonObject().put("anything", new JsonObject().put("goes", 1))));

    JsonObject shaped = StackOneContract.get().shape("AssessmentOrder").apply(sent);

    assertEquals(new JsonObject().put("id", "x").put("candidate", new JsonObject().put("first_name", "A")
      .put("passthrough", new JsonObject().put("anything", new JsonObject().put("goes", 1)))), shaped);
  }
}
