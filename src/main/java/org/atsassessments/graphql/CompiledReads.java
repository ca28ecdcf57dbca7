package org.atsassessments.graphql;

import graphql.ExecutionResult;
import graphql.ExecutionResultImpl;
import graphql.GraphQLContext;
import graphql.execution.AsyncExecutionStrategy;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.ExecutionContext;
import graphql.execution.ExecutionStrategyParameters;
import graphql.execution.NonNullableFieldWasNullException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.atsassessments.edge.Requests;
import org.atsassessments.repository.api.AssessmentRepository;
import org.atsassessments.repository.api.RecordReply;

import java.util.concurrent.CompletableFuture;

/**
 * graphql-java's query execution strategy, with a shortcut for the common read: when the document has a
 * {@link CompiledQuery} (put in the request's context by {@link PreparsedDocuments}), its one record is fetched
 * and walked along the selection instead of being executed field by field (graphql-java's per-field execution
 * was half the CPU of a GraphQL read). If the walk gives up, or the repository refused, graphql-java executes
 * the query as usual, and the root field's fetcher takes the reply already fetched ({@link Prefetched}): a record
 * is never fetched twice, and errors are graphql-java's own.
 */
final class CompiledReads extends AsyncExecutionStrategy {

  /** The reply the compiled query fetched, for the root field's fetcher when graphql-java takes over. */
  record Prefetched(CompiledQuery.Root root, AsyncResult<RecordReply> reply) {

    /** Takes the reply fetched for {@code root}, once; null when there is none. */
    static Future<RecordReply> take(GraphQLContext context, CompiledQuery.Root root) {
      Prefetched prefetched = context.get(Prefetched.class);
      if (prefetched == null || prefetched.root() != root) return null;
      context.delete(Prefetched.class);
      return prefetched.reply().succeeded() ? Future.succeededFuture(prefetched.reply().result())
        : Future.failedFuture(prefetched.reply().cause());
    }
  }

  private final PreparsedDocuments.Documents documents;

  CompiledReads(DataFetcherExceptionHandler exceptionHandler, PreparsedDocuments.Documents documents) {
    super(exceptionHandler);
    this.documents = documents;
  }

  @Override
  public CompletableFuture<ExecutionResult> execute(ExecutionContext context, ExecutionStrategyParameters parameters) {
    GraphQLContext graphQLContext = context.getGraphQLContext();
    CompiledQuery compiled = graphQLContext.get(CompiledQuery.class);
    if (compiled == null) return super.execute(context, parameters);
    AssessmentRepository repository = graphQLContext.get(AssessmentRepository.class);
    RoutingContext rc = graphQLContext.get(RoutingContext.class);
    Future<RecordReply> fetched;
    try {
      fetched = compiled.fetch(repository, Requests.scope(rc), context.getCoercedVariables().toMap());
    } catch (CompiledQuery.GiveUp giveUp) {
      return super.execute(context, parameters);
    }
    CompletableFuture<ExecutionResult> answer = new CompletableFuture<>();
    fetched.onComplete(reply -> {
      if (reply.succeeded()) {
        try {
          ExecutionResult result = ExecutionResultImpl.newExecutionResult().data(compiled.data(reply.result())).build();
          documents.answeredByCompiledQuery();  // before the answer leaves: a test reads it once the answer is in
          answer.complete(result);
          return;
        } catch (CompiledQuery.GiveUp giveUp) {
          // graphql-java completes it, from the same reply
        }
      }
      graphQLContext.put(Prefetched.class, new Prefetched(compiled.root(), reply));
      try {
        super.execute(context, parameters).whenComplete((result, failure) -> {
          if (failure != null) answer.completeExceptionally(failure);
          else answer.complete(result);
        });
      } catch (NonNullableFieldWasNullException e) {
        // as graphql-java's Execution answers it: null data and the errors collected
        answer.complete(new ExecutionResultImpl(null, context.getErrors()));
      }
    });
    return answer;
  }
}
