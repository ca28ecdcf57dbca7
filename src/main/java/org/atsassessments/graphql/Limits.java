package org.atsassessments.graphql;

import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.ExecutionResult;

import java.util.List;

/**
 * Depth and complexity limits, checked when the operation is about to run, before any field is fetched.
 * Introspection-only operations are exempt (GraphiQL's own introspection query is deeper than any
 * useful data query); graphql-java's good-faith introspection checks guard those instead.
 */
final class Limits {

  private Limits() {
  }

  static List<Instrumentation> of(int maxDepth, int maxComplexity) {
    return List.of(new Depth(maxDepth), new Complexity(maxComplexity));
  }

  static boolean introspectionOnly(OperationDefinition operation) {
    return operation.getSelectionSet().getSelections().stream()
      .allMatch(selection -> selection instanceof Field field && field.getName().startsWith("__"));
  }

  private static AbortExecutionException abort(String code, String message) {
    return new AbortExecutionException(List.of(GraphQLErrors.requestError(code, message)));
  }

  private static final class Depth extends MaxQueryDepthInstrumentation {
    Depth(int maxDepth) {
      super(maxDepth);
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters params,
                                                                         InstrumentationState state) {
      if (introspectionOnly(params.getExecutionContext().getOperationDefinition())) return SimpleInstrumentationContext.noOp();
      return super.beginExecuteOperation(params, state);
    }

    @Override
    protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
      return abort("QUERY_TOO_DEEP", "The query is " + depth + " levels deep; at most " + maxDepth + " are allowed");
    }
  }

  private static final class Complexity extends MaxQueryComplexityInstrumentation {
    Complexity(int maxComplexity) {
      super(maxComplexity);
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters params,
                                                                         InstrumentationState state) {
      if (introspectionOnly(params.getExecutionContext().getOperationDefinition())) return SimpleInstrumentationContext.noOp();
      return super.beginExecuteOperation(params, state);
    }

    @Override
    protected AbortExecutionException mkAbortException(int complexity, int maxComplexity) {
      return abort("QUERY_TOO_COMPLEX", "The query selects " + complexity + " fields; at most " + maxComplexity
        + " are allowed");
    }
  }
}
