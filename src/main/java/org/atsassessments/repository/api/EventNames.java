package org.atsassessments.repository.api;

import java.util.List;

/**
 * The event names and bus addresses of the contract, for live consumers outside the repository (GraphQL
 * subscriptions, the event-bus bridges): StackOne's event names, and where every committed event is published
 * ({@value #ADDRESS}, and {@value #ADDRESS}{@code .<account_id>} for one account's). Shapes: schema/event-bus.md.
 */
public final class EventNames {

  public static final String ADDRESS = "ats.assessments.events";

  public static final String ORDER_CREATED = "ats_assessments.created";
  public static final String ORDER_UPDATED = "ats_assessments.updated";
  public static final String ORDER_DELETED = "ats_assessments.deleted";
  public static final String PACKAGE_UPDATED = "ats_assessments_packages.updated";
  public static final List<String> ALL = List.of(ORDER_CREATED, ORDER_UPDATED, ORDER_DELETED, PACKAGE_UPDATED);

  public static final String ORDER = "assessment_order";
  public static final String RESULT = "assessment_result";
  public static final String PACKAGE = "assessment_package";

  private EventNames() {
  }

  /** The address of one account's events. */
  public static String address(String accountId) {
    return ADDRESS + "." + accountId;
  }
}
