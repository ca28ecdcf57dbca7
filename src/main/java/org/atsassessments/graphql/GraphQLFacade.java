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
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.graphql.GraphQLHandler;
import org.atsassessments.config.ServiceConfig;
import org.atsassessments.edge.Gate;
import org.atsassessments.repository.api.AssessmentRepository;

import java.util.List;
import java.util.Map;

/**
 * The GraphQL door into the same repository: {@code /graphql} (POST JSON, or GET for queries only) behind the
 * same guards as REST, and GraphiQL at {@code /graphiql}. The schema is {@code schema/assessments.graphqls};
 * fields map to the wire's snake_case keys. The schema and graphql-java's engine are built once per Vert.x
 * instance and shared by its HTTP verticles; each request carries its verticle's repository client in the
 * GraphQL context. Every operation runs on graphql-java (vertx-web-graphql's handler parses the request once).
 */
public final class GraphQLFacade {

  public static final String SDL = "schema/assessments.graphqls";

  /** The engine of one Vert.x instance: built by the first HTTP verticle that asks, shared by the others. */
  private static final class Engine implements Shareable {
    private GraphQL graphQL;
  }

  private final GraphQL graphQL;
  private final boolean introspection;
  private final boolean graphiql;
  private final boolean demo;
  private final List<String> wsAllowedOrigins;
  private final int wsMaxSubscriptions;
  private final int wsMaxPendingEvents;
  private final int wsFlushMs;

  private GraphQLFacade(GraphQL graphQL, ServiceConfig settings) {
    this.wsAllowedOrigins = settings.graphqlWsAllowedOrigins();
    this.wsMaxSubscriptions = settings.graphqlWsMaxSubscriptions();
    this.wsMaxPendingEvents = settings.graphqlWsMaxPendingEvents();
    this.wsFlushMs = settings.graphqlWsFlushMs();
    this.graphQL = graphQL;
    this.introspection = settings.graphqlIntrospection();
    this.graphiql = settings.graphiql();
    this.demo = settings.demo();
  }

  /** The facade of this Vert.x instance (the schema is read and built off the event loop, once). */
  public static Future<GraphQLFacade> create(Vertx vertx, ServiceConfig settings, String resultsUpdateUrlTemplate) {
    LocalMap<String, Engine> engines = vertx.sharedData().getLocalMap("ats.graphql.engine");
    Engine created = new Engine();
    Engine existing = engines.putIfAbsent("engine", created);
    Engine engine = existing != null ? existing : created;
    return vertx.executeBlocking(() -> {
      synchronized (engine) {
        if (engine.graphQL == null) engine.graphQL = build(vertx, settings, resultsUpdateUrlTemplate);
        return engine.graphQL;
      }
    }).map(graphQL -> new GraphQLFacade(graphQL, settings));
  }

  private static GraphQL build(Vertx vertx, ServiceConfig settings, String resultsUpdateUrlTemplate) {
    String sdl = vertx.fileSystem().readFileBlocking(SDL).toString();
    RootFetchers fetchers = new RootFetchers(resultsUpdateUrlTemplate);
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
      .type("Subscription", type -> type.dataFetcher("assessmentEvents", Subscriptions.assessmentEvents()))
      .type("AssessmentEvent", type -> type.dataFetcher("order", Subscriptions.eventOrder()))
      .type("AssessmentOrder", type -> type.dataFetcher("result", fetchers.orderResult()))
      .build();
    GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl), wiring);
    PreparsedDocuments.Documents documents = PreparsedDocuments.Documents.of(vertx, settings.graphqlDocumentCacheSize());
    PreparsedDocuments.Limits limits = new PreparsedDocuments.Limits(settings.graphqlMaxQueryChars(),
      settings.graphqlMaxAliases(), settings.graphqlMaxDepth(), settings.graphqlMaxComplexity());
    GraphQLErrors errors = new GraphQLErrors();
    return GraphQL.newGraphQL(schema)
      .preparsedDocumentProvider(new PreparsedDocuments(documents, limits, schema, settings.graphqlCompiledQueries()))
      .queryExecutionStrategy(new CompiledReads(errors, documents))
      .instrumentation(new GraphQLOverHttp())
      .defaultDataFetcherExceptionHandler(errors)
      .build();
  }

  /**
   * Mounts /graphql: WebSocket upgrades first ({@link GraphQLOverWebSocket}: subscriptions, authenticated by the
   * edge's {@code gate} at connection_init), every other request behind {@code guards} (body, auth, account,
   * limits), answering through {@code repository} (this verticle's client); and, when enabled, /graphiql.
   */
  public void mount(Vertx vertx, Router router, List<Handler<RoutingContext>> guards, Gate gate, AssessmentRepository repository) {
    // a route of its own: the guards' platform handlers must come first on theirs
    router.route("/graphql").handler(new GraphQLOverWebSocket(vertx, graphQL, gate, repository, new LiveEvents(vertx), wsAllowedOrigins,
      wsMaxSubscriptions, wsMaxPendingEvents, wsFlushMs, introspection).route());
    var route = router.route("/graphql");
    guards.forEach(route::handler);
    route.handler(GraphQLOverHttp::prepare).handler(GraphQLHandler.builder(graphQL).beforeExecute(builder -> {
      builder.builder().graphQLContext(Map.of(AssessmentRepository.class, repository));
      if (!introspection) builder.builder().graphQLContext(Map.of(Introspection.INTROSPECTION_DISABLED, true));
    }).build());
    if (graphiql) {
      GraphiQLPage.mount(vertx, router, GraphiQLPage.options(demo));
    }
  }
}
