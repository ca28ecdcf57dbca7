package org.atsassessments.graphql;

import graphql.GraphQL;
import graphql.introspection.Introspection;
import graphql.scalars.ExtendedScalars;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.FieldWiringEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.WiringFactory;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.graphql.GraphQLHandler;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.edge.Requests;
import org.atsassessments.repository.api.AssessmentRepository;
import org.atsassessments.repository.api.Scope;
import org.dataloader.BatchLoaderEnvironment;
import org.dataloader.BatchLoaderWithContext;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderOptions;
import org.dataloader.DataLoaderRegistry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The GraphQL door into the same repository: {@code /graphql} (POST JSON, or GET for queries only) behind
 * the same Basic auth and x-account-id checks as REST, and GraphiQL at {@code /graphiql}. The schema is
 * {@code schema/assessments.graphqls}, read once at start-up; fields map to the wire's snake_case keys.
 */
public final class GraphQLFacade {

  public static final String SDL = "schema/assessments.graphqls";

  private final GraphQL graphQL;
  private final CompiledQueries compiledQueries;
  private final AssessmentRepository repository;
  private final GraphQLOverHttp httpRules;
  private final boolean introspection;
  private final boolean graphiql;
  private final boolean demo;

  private GraphQLFacade(GraphQL graphQL, CompiledQueries compiledQueries, AssessmentRepository repository, GraphQLOverHttp httpRules,
                        ServiceConfig settings) {
    this.graphQL = graphQL;
    this.compiledQueries = compiledQueries;
    this.repository = repository;
    this.httpRules = httpRules;
    this.introspection = settings.graphqlIntrospection();
    this.graphiql = settings.graphiql();
    this.demo = settings.demo();
  }

  public static Future<GraphQLFacade> create(Vertx vertx, AssessmentRepository repository, ServiceConfig settings,
                                             String resultsUpdateUrlTemplate) {
    return vertx.fileSystem().readFile(SDL).map(sdl -> {
      RootFetchers fetchers = new RootFetchers(repository, resultsUpdateUrlTemplate);
      RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
        .scalar(ExtendedScalars.Json)
        .scalar(ExtendedScalars.DateTime)
        .wiringFactory(new WiringFactory() {
          @Override
          public DataFetcher<?> getDefaultDataFetcher(FieldWiringEnvironment environment) {
            return new SnakeCaseFetcher(environment.getFieldDefinition().getName());
          }
        })
        .type("Query", type -> type
          .dataFetcher("assessmentOrder", fetchers.order())
          .dataFetcher("assessmentOrders", fetchers.orders())
          .dataFetcher("assessmentPackage", fetchers.pkg())
          .dataFetcher("assessmentPackages", fetchers.packages())
          .dataFetcher("assessmentResult", fetchers.result()))
        .type("Mutation", type -> type
          .dataFetcher("orderAssessment", fetchers.orderAssessment())
          .dataFetcher("updateAssessmentResult", fetchers.updateResult()))
        .type("AssessmentOrder", type -> type.dataFetcher("result", fetchers.orderResult()))
        .build();
      GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl.toString()), wiring);
      GraphQLOverHttp httpRules = new GraphQLOverHttp();
      PreparsedDocuments.Documents documents = PreparsedDocuments.Documents.of(vertx, settings.graphqlDocumentCacheSize());
      PreparsedDocuments.Limits limits = new PreparsedDocuments.Limits(settings.graphqlMaxQueryChars(),
        settings.graphqlMaxAliases(), settings.graphqlMaxDepth(), settings.graphqlMaxComplexity());
      GraphQL graphQL = GraphQL.newGraphQL(schema)
        .preparsedDocumentProvider(new PreparsedDocuments(documents, limits,
          settings.graphqlCompiledQueries() ? schema : null))
        .instrumentation(httpRules)
        .defaultDataFetcherExceptionHandler(new GraphQLErrors())
        .build();
      return new GraphQLFacade(graphQL, new CompiledQueries(documents, fetchers), repository, httpRules, settings);
    });
  }

  /** Mounts /graphql behind {@code guards} (body, auth, account) and, when enabled, /graphiql. */
  public void mount(Vertx vertx, Router router, List<Handler<RoutingContext>> guards) {
    var route = router.route("/graphql");
    guards.forEach(route::handler);
    route.handler(httpRules).handler(compiledQueries).handler(GraphQLHandler.builder(graphQL).beforeExecute(builder -> {
      // graphql-java dispatches DataLoaders level by level when a registry has any, which costs on every
      // field; only a query that can select AssessmentOrder.result needs one (a cheap, safe over-estimate)
      String query = builder.builder().build().getQuery();
      if (query.contains("result")) {
        builder.builder().dataLoaderRegistry(dataLoaders(Requests.scope(builder.context())));
      }
      if (!introspection) builder.builder().graphQLContext(Map.of(Introspection.INTROSPECTION_DISABLED, true));
    }).build());
    if (graphiql) {
      GraphiQLPage.mount(vertx, router, GraphiQLPage.options(demo));
    }
  }

  /** One registry per request: its DataLoader batches the results of every order in the response. */
  private DataLoaderRegistry dataLoaders(Scope scope) {
    BatchLoaderWithContext<String, JsonObject> results = (orderIds, environment) -> loadResults(scope, orderIds, environment);
    return DataLoaderRegistry.newRegistry()
      .register(RootFetchers.RESULTS_LOADER, DataLoaderFactory.newDataLoader(results,
        DataLoaderOptions.newOptions().setMaxBatchSize(100).build()))
      .build();
  }

  @SuppressWarnings("unchecked")
  private CompletionStage<List<JsonObject>> loadResults(Scope scope, List<String> orderIds, BatchLoaderEnvironment environment) {
    Set<String> paths = new LinkedHashSet<>();
    for (Object context : environment.getKeyContextsList()) paths.addAll((List<String>) context);
    return repository.latestResults(scope, orderIds, new ArrayList<>(paths)).toCompletionStage();
  }
}
