package org.atsassessments.graphql;

import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.GraphQLContext;
import graphql.execution.ExecutionContext;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.InputMapDefinesTooManyFieldsException;
import graphql.execution.NonNullableValueCoercedAsNullException;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.validation.ValidationError;
import graphql.validation.ValidationErrorType;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.language.OperationDefinition;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.atsassessments.edge.Requests;
import org.atsassessments.repository.api.AssessmentRepository;
import org.atsassessments.repository.api.Scope;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * GraphQL over HTTP (graphql.github.io/graphql-over-http): mutations never run over GET (405, Allow: POST);
 * every error carries an {@code extensions.code};
 * a client that accepts {@code application/graphql-response+json} gets that media type, and a request
 * error (a document that does not parse or validate, or breaks a limit: no data at all) answers 400
 * instead of 200. Vert.x's GraphQLHandler does the rest; this handler runs before it and this
 * instrumentation tells it what happened.
 */
final class GraphQLOverHttp extends SimplePerformantInstrumentation {

  static final String GRAPHQL_RESPONSE = "application/graphql-response+json";
  private static final String STATUS = "ats.graphql.status";

  /** Runs before vertx-web-graphql's handler: the answer's status and media type follow the rules above. */
  static void prepare(RoutingContext rc) {
    String accept = rc.request().getHeader(HttpHeaders.ACCEPT);
    boolean graphqlResponse = accept != null && accept.contains(GRAPHQL_RESPONSE);
    rc.addHeadersEndHandler(ended -> {
      HttpServerResponse response = rc.response();
      if (response.getStatusCode() != 200) return;  // StackOne error bodies keep their own status and type
      Integer status = rc.get(STATUS);
      if (status != null && status == 405) {
        response.setStatusCode(405).putHeader(HttpHeaders.ALLOW, "POST");
      } else if (status != null && graphqlResponse) {
        response.setStatusCode(status);
      }
      if (graphqlResponse) response.putHeader(HttpHeaders.CONTENT_TYPE, GRAPHQL_RESPONSE);
    });
    rc.next();
  }

  /** The results DataLoader, when the parsed document selects an order's result ({@link PreparsedDocuments}). */
  @Override
  public ExecutionContext instrumentExecutionContext(ExecutionContext context, InstrumentationExecutionParameters params,
                                                     InstrumentationState state) {
    GraphQLContext graphQL = context.getGraphQLContext();
    if (!Boolean.TRUE.equals(graphQL.get(PreparsedDocuments.SELECTS_ORDER_RESULT))) return context;
    // a subscription's events resolve one at a time, without a DataLoader
    if (graphQL.hasKey(WebSocketSession.class)) return context;
    AssessmentRepository repository = graphQL.get(AssessmentRepository.class);
    Scope scope = Requests.scope(graphQL.get(RoutingContext.class));
    return context.transform(builder -> builder.dataLoaderRegistry(ResultsLoader.registry(repository, scope)));
  }

  @Override
  public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters params,
                                                                       InstrumentationState state) {
    RoutingContext rc = params.getExecutionContext().getGraphQLContext().get(RoutingContext.class);
    OperationDefinition.Operation operation = params.getExecutionContext().getOperationDefinition().getOperation();
    boolean webSocket = params.getExecutionContext().getGraphQLContext().hasKey(WebSocketSession.class);
    if (operation == OperationDefinition.Operation.SUBSCRIPTION && !webSocket) {
      throw new AbortExecutionException(List.of(GraphQLErrors.requestError("BAD_REQUEST",
        "Subscriptions run over WebSocket (graphql-transport-ws) on /graphql, not over HTTP")));
    }
    if (operation != OperationDefinition.Operation.SUBSCRIPTION && webSocket) {
      throw new AbortExecutionException(List.of(GraphQLErrors.requestError("BAD_REQUEST",
        "Only subscriptions run over the WebSocket; send queries and mutations over HTTP")));
    }
    if (rc != null && rc.request().method() == HttpMethod.GET
      && params.getExecutionContext().getOperationDefinition().getOperation() == OperationDefinition.Operation.MUTATION) {
      rc.put(STATUS, 405);
      throw new AbortExecutionException(List.of(GraphQLErrors.requestError("METHOD_NOT_ALLOWED",
        "Mutations are not allowed over GET; use POST")));
    }
    return SimpleInstrumentationContext.noOp();
  }

  @Override
  public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
                                                                     InstrumentationExecutionParameters params,
                                                                     InstrumentationState state) {
    RoutingContext rc = params.getGraphQLContext().get(RoutingContext.class);
    if (rc != null && !result.isDataPresent() && rc.get(STATUS) == null) rc.put(STATUS, 400);
    if (result.getErrors().stream().allMatch(GraphQLOverHttp::hasCode)) return CompletableFuture.completedFuture(result);
    List<GraphQLError> errors = result.getErrors().stream().map(GraphQLOverHttp::withCode).toList();
    return CompletableFuture.completedFuture(result.transform(builder -> builder.errors(errors)));
  }

  private static boolean hasCode(GraphQLError error) {
    return error.getExtensions() != null && error.getExtensions().containsKey("code");
  }

  /**
   * graphql-java's own errors get a code too: values of the wrong type for an argument or variable are
   * BAD_USER_INPUT (REST's 422), other validation errors GRAPHQL_VALIDATION_FAILED, syntax errors
   * GRAPHQL_PARSE_FAILED.
   */
  private static GraphQLError withCode(GraphQLError error) {
    if (hasCode(error)) return error;
    String code;
    if (error instanceof CoercingParseValueException || error instanceof CoercingParseLiteralException
      || error instanceof NonNullableValueCoercedAsNullException || error instanceof InputMapDefinesTooManyFieldsException
      || (error instanceof ValidationError validation && validation.getValidationErrorType() == ValidationErrorType.WrongType)) {
      code = "BAD_USER_INPUT";
    } else if (error.getErrorType() == ErrorType.InvalidSyntax) {
      code = "GRAPHQL_PARSE_FAILED";
    } else if (error.getErrorType() == ErrorType.ValidationError) {
      code = "GRAPHQL_VALIDATION_FAILED";
    } else {
      code = "INTERNAL_SERVER_ERROR";
    }
    Map<String, Object> extensions = new LinkedHashMap<>();
    if (error.getExtensions() != null) extensions.putAll(error.getExtensions());
    extensions.put("code", code);
    return GraphqlErrorBuilder.newError().message(error.getMessage()).locations(error.getLocations())
      .path(error.getPath()).errorType(error.getErrorType()).extensions(extensions).build();
  }
}
