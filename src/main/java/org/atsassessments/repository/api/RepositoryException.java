package org.atsassessments.repository.api;

/**
 * Every way a repository call fails, as an HTTP status and a message for the caller: a refusal (400, 404, 409,
 * 412, 422), a repository too slow (408), none reachable or a store down (503), or a failure whose details stay
 * in the repository's log (500; no message). REST answers it with StackOne's error body, GraphQL with an error
 * whose code names the status.
 */
public final class RepositoryException extends RuntimeException {

  private final int status;

  public RepositoryException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static RepositoryException notFound() {
    return new RepositoryException(404, "Not Found");
  }

  public static RepositoryException unavailable() {
    return new RepositoryException(503, "No order repository is reachable; retry later");
  }
}
