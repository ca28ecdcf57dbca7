package org.atsassessments.repository;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.StackOneContract;
import org.atsassessments.model.FieldSelection;
import org.atsassessments.store.StoredDocument;
import org.atsassessments.testing.Gen;
import org.atsassessments.testing.Hostile;
import org.atsassessments.testing.Property;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A whole order read from the store is answered around its stored text, without parsing and encoding it:
 * that must be the same bytes the parse-and-encode path gives, for whatever document a write can store (the
 * encoding of a projection: the order's shape on create, the whole document again on a result update).
 */
class StoredTextTest {

  private static final FieldSelection ORDER = StackOneContract.get().shape("AssessmentOrder");

  private static void assertSameBody(JsonObject written) {
    for (FieldSelection shape : List.of(ORDER, FieldSelection.ALL)) {
      String stored = shape.apply(written).encode();
      // a result update stores the order's document again: parsed and encoded
      for (String text : List.of(stored, new JsonObject(stored).encode())) {
        StoredDocument read = StoredDocument.read("o", "a", "r", text, null, 0, 0, 0, 0);
        Buffer fromText = OrderCache.wholeBody(read);
        Buffer encoded = Envelopes.single(new JsonObject(text), null, FieldSelection.ALL, false).toBuffer();
        assertEquals(encoded, fromText, text);
      }
    }
  }

  @Test
  void theStoredTextIsTheEncodedAnswer() {
    List<String> edgeCases = List.of(
      "{}",
      "{\"id\":\"x\",\"candidate\":{\"first_name\":null,\"emails\":[null,{},{\"value\":\"\\u0000\\u2028é😀\"}]}}",
      "{\"package\":{\"id\":\"p\",\"name\":\"\"},\"passthrough\":{\"n\":[1,1.0,-0.0,1e300,1" + "0".repeat(40) + "]}}",
      "{\"candidate\":{\"emails\":[]},\"job\":{\"hiring_team\":[{\"email\":\"a@b\",\"role\":null}]},\"x\":0.1}",
      "{\"passthrough\":{\"deep\":[[[]],{},{\"a\":{}}],\"big\":1" + "0".repeat(400) + ",\"small\":0." + "0".repeat(400) + "1}}");
    Gen<String> documents = Gen.oneOf(Hostile.json(4), Hostile.json(4), Hostile.json(2));
    Property.forAll("stored text = encoded answer", 2_000, edgeCases, documents, json -> {
      Object value;
      try {
        value = Json.decodeValue(json);
      } catch (DecodeException notJson) {
        return;
      }
      if (value instanceof JsonObject object) assertSameBody(object);
    });
  }

  @Test
  void aDocumentOnceParsedIsEncodedAgain() {
    StoredDocument read = StoredDocument.read("o", "a", "r", "{\"id\":\"o\"}", null, 0, 0, 0, 0);
    assertEquals("{\"id\":\"o\"}", read.documentText());
    read.document().put("id", "changed");
    assertNull(read.documentText(), "the parsed document may have changed: the text no longer stands for it");
    assertEquals("{\"data\":{\"id\":\"changed\"}}", OrderCache.wholeBody(read).toString());
  }
}
