package org.atsassessments.model;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StackOneContractTest {

  @Test
  void namesFieldsTheWayADeveloperWritesThem() {
    assertEquals("body", StackOneContract.fieldName(""));
    assertEquals("candidate.emails[0].value", StackOneContract.fieldName("/candidate/emails/0/value"));
    assertEquals("a/b.c~d", StackOneContract.fieldName("/a~1b/c~0d"));
  }

  @Test
  void treatsTheContractsEnumsAsOpen() {
    JsonObject body = new JsonObject().put("application", new JsonObject()
      .put("application_status", new JsonObject().put("value", "not_in_the_enum")));

    assertEquals(List.of(), StackOneContract.get().validate("AtsCreateCandidatesAssessmentsRequestDto", body));
  }

  @Test
  void acceptsNullForEveryNullableField() {
    JsonObject body = new JsonObject().put("id", null).put("candidate", null).put("job",
      new JsonObject().put("hiring_team", null).put("title", null));

    assertEquals(List.of(), StackOneContract.get().validate("AtsCreateCandidatesAssessmentsRequestDto", body));
  }
}
