package org.atsassessments.repository;

/** An expected refusal (404, 409, 422, ...) that travels back as {@code fail(status, message)}. */
public final class RepositoryFailure extends RuntimeException {

  private final int status;

  public RepositoryFailure(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static RepositoryFailure notFound() {
    return new RepositoryFailure(404, "Not Found");
  }
}
