package org.atsassessments.repository;

/**
 * The event-bus contract between the facades and the order repository (documented in
 * {@code schema/event-bus.md}): JSON request/reply on one address, the operation in the {@code action}
 * header, failures as {@code fail(httpStatus, message)}.
 */
public final class RepositoryProtocol {

  public static final String ADDRESS = "ats.assessments.repository";
  public static final String ACTION = "action";

  public static final String GET_ORDER = "order.get";
  public static final String LIST_ORDERS = "order.list";
  public static final String CREATE_ORDER = "order.create";
  public static final String GET_RESULT = "result.get";
  public static final String GET_RESULTS = "result.getMany";
  public static final String UPDATE_RESULT = "result.update";
  public static final String GET_PACKAGE = "package.get";
  public static final String LIST_PACKAGES = "package.list";
  public static final String PUT_PACKAGE = "package.put";
  public static final String PING = "ping";

  /** Actions that only read: their request bodies are handed over without a copy on the local bus. */
  static final java.util.Set<String> READS = java.util.Set.of(GET_ORDER, LIST_ORDERS, GET_RESULT, GET_RESULTS, GET_PACKAGE,
    LIST_PACKAGES, PING);

  private RepositoryProtocol() {
  }
}
