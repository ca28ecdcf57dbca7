package org.atsassessments.connectors;

/**
 * A refusal on a connector route, answered in the ATS's own style by its connector (never StackOne's body: the
 * caller is an ATS, not a vendor).
 */
final class ConnectorReply extends RuntimeException {

  final int status;
  /** The field the refusal is about, or null. */
  final String field;

  ConnectorReply(int status, String message) {
    this(status, message, null);
  }

  ConnectorReply(int status, String message, String field) {
    super(message, null, false, false);
    this.status = status;
    this.field = field;
  }
}
