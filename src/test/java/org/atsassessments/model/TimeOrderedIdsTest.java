package org.atsassessments.model;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ids of orders and events are RFC 9562 version 7 UUIDs: the time first (appended at the end of the indexes keyed by them). */
class TimeOrderedIdsTest {

  @Test
  void idsAreVersion7UuidsInTimeOrderAndUnique() {
    long now = System.currentTimeMillis();
    Set<UUID> seen = new HashSet<>();
    UUID previous = null;
    for (int i = 0; i < 20_000; i++) {
      long at = now + i / 10;  // ten per millisecond
      UUID id = TimeOrderedIds.at(at);
      assertEquals(7, id.version());
      assertEquals(2, id.variant());
      assertEquals(at, id.getMostSignificantBits() >>> 16, "the first 48 bits are the time in ms");
      assertEquals(id, UUID.fromString(id.toString()));
      if (previous != null && at > (previous.getMostSignificantBits() >>> 16)) {
        assertTrue(id.toString().compareTo(previous.toString()) > 0, "a later millisecond sorts after, as text too");
      }
      assertTrue(seen.add(id));
      previous = id;
    }
  }
}
