package org.atsassessments.graphql;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import org.atsassessments.repository.api.RepositoryException;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The GraphQL face of the one error mapping: a repository refusal becomes an error whose
 * {@code extensions.code} names it (NOT_FOUND, BAD_USER_INPUT, CONFLICT, PRECONDITION_FAILED, UNAVAILABLE,
 * TIMEOUT, INTERNAL_SERVER_ERROR) and whose message is the repository's; never a stack trace.
 */
final class GraphQLErrors implements DataFetcherExceptionHandler {

  private static final Logger LOG = Logger.getLogger(GraphQLErrors.class.getName());

  /** The code of each status a repository call fails with; any other is INTERNAL_SERVER_ERROR. */
  private static final Map<Integer, String> CODES = Map.of(400, "BAD_USER_INPUT", 404, "NOT_FOUND", 408, "TIMEOUT",
    409, "CONFLICT", 412, "PRECONDITION_FAILED", 422, "BAD_USER_INPUT", 503, "UNAVAILABLE");

  /** The code of an HTTP status, as a repository failure of that status gets. */
  static String code(int status) {
    return CODES.getOrDefault(status, "INTERNAL_SERVER_ERROR");
  }

  /** A refusal raised by the facade itself (bad arguments). */
  static final class Refusal extends RuntimeException {
    final String code;

    Refusal(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  @Override
  public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(DataFetcherExceptionHandlerParameters params) {
    Throwable failure = params.getException();
    while (failure instanceof CompletionException && failure.getCause() != null) failure = failure.getCause();
    String code;
    String message;
    if (failure instanceof Refusal refusal) {
      code = refusal.code;
      message = refusal.getMessage();
    } else if (failure instanceof RepositoryException repository) {
      // classified by the bus client, as for REST
      code = CODES.getOrDefault(repository.status(), "INTERNAL_SERVER_ERROR");
      message = code.equals("INTERNAL_SERVER_ERROR") || repository.getMessage() == null ? "Internal server error"
        : repository.getMessage();
    } else {
      LOG.log(Level.SEVERE, "GraphQL field " + params.getPath() + " failed", failure);
      code = "INTERNAL_SERVER_ERROR";
      message = "Internal server error";
    }
    GraphQLError error = GraphqlErrorBuilder.newError()
      .message(message)
      .path(params.getPath())
      .location(params.getSourceLocation())
      .errorType(ErrorClassification.errorClassification(code))
      .extensions(Map.of("code", code))
      .build();
    return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(error).build());
  }

  /** An error raised before any data is fetched (limits, HTTP rules), with its code. */
  static GraphQLError requestError(String code, String message) {
    return GraphqlErrorBuilder.newError().message(message).errorType(ErrorClassification.errorClassification(code))
      .extensions(Map.of("code", code)).build();
  }
}
