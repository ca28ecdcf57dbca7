package org.atsassessments.connectors;

import io.vertx.core.json.JsonObject;

/** Valid bodies of the ATSs' calls (package 1 of the account), each with ids of its own: for tests outside this package. */
public final class ConnectorBodies {

  private ConnectorBodies() {
  }

  /** A Greenhouse send_test for take-home test {@code n}. */
  public static JsonObject sendTest(long n) {
    return GreenhouseConnectorTest.sendTest("hostile-" + Long.toUnsignedString(n), "1");
  }

  /** A Teamtailor partner event for partner result {@code n}. */
  public static JsonObject partnerEvent(long n) {
    String id = Long.toUnsignedString(n);
    return TeamtailorConnectorTest.partnerEvent("evt-" + id, "res-" + id, "1");
  }
}
