package org.atsassessments.graphql;

import graphql.GraphQLContext;
import graphql.language.Argument;
import graphql.language.BooleanValue;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.NonNullType;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.schema.DataFetcher;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import io.vertx.core.Future;
import org.atsassessments.repository.api.AssessmentRepository;
import org.atsassessments.repository.api.Read;
import org.atsassessments.repository.api.RecordReply;
import org.atsassessments.repository.api.Scope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A cached query compiled for the common case, a single-record read: one root field ({@code assessmentOrder},
 * {@code assessmentResult} or {@code assessmentPackage}) whose selection reaches only stored fields, with no
 * fragments, directives or {@code proxy}. Such a query needs none of graphql-java's per-field execution: its one
 * repository call is known when the document is cached, and its answer is the record walked along the selection,
 * each leaf serialized by the schema's own scalar. It runs inside graphql-java ({@link CompiledReads}, the query
 * execution strategy), after graphql-java parsed, validated and coerced the request. Anything this walk does not
 * expect (a null where the schema says non-null, a value a scalar refuses, a repository error) makes it give up,
 * and graphql-java completes the query as usual from the same reply, so errors are always graphql-java's own.
 * Tests compare the bytes of both paths.
 */
final class CompiledQuery {

  /** The root fields a compiled query may read, with their id argument; only an order's result is not stored in it. */
  enum Root {
    ORDER("assessmentOrder", "id", true), RESULT("assessmentResult", "orderId", false), PACKAGE("assessmentPackage", "id", false);

    final String field;
    final String idArgument;
    final boolean order;

    Root(String field, String idArgument, boolean order) {
      this.field = field;
      this.idArgument = idArgument;
      this.order = order;
    }

    static Root named(String field) {
      for (Root root : values()) if (root.field.equals(field)) return root;
      return null;
    }
  }

  /** Thrown where the walk leaves the common case; graphql-java takes over. */
  static final class GiveUp extends RuntimeException {
    static final GiveUp INSTANCE = new GiveUp();

    private GiveUp() {
      super("the compiled query gives up", null, false, false);
    }
  }

  /** One selected field: its response key, the record key it reads (null for __typename), its type and selection. */
  private record Step(String responseKey, String key, GraphQLOutputType type, List<Step> selection) {
  }

  /** An argument: a literal, or a variable (and whether the variable is declared non-null). */
  private record Input(Object literal, String variable, boolean required) {
    Object value(Map<String, Object> variables, Class<?> expected) {
      if (variable == null) return literal;
      Object value = variables == null ? null : variables.get(variable);
      if (value == null) {
        if (required) throw GiveUp.INSTANCE;
        return null;
      }
      if (!expected.isInstance(value)) throw GiveUp.INSTANCE;
      return value;
    }
  }

  private static final GraphQLContext CONTEXT = GraphQLContext.getDefault();

  private final Root root;
  private final String responseKey;
  private final GraphQLOutputType rootFieldType;
  private final List<Step> selection;
  private final Input id;
  private final Input raw;
  private final SelectedPaths.Projection projection;

  private CompiledQuery(Root root, String responseKey, GraphQLOutputType rootFieldType,
                        List<Step> selection, Input id, Input raw, SelectedPaths.Projection projection) {
    this.root = root;
    this.responseKey = responseKey;
    this.rootFieldType = rootFieldType;
    this.selection = selection;
    this.id = id;
    this.raw = raw;
    this.projection = projection;
  }

  /** The compiled form of a valid document's operation, or null when it is not a single-record read. */
  static CompiledQuery compile(GraphQLSchema schema, Document document, String operationName) {
    OperationDefinition operation = null;
    for (Definition<?> definition : document.getDefinitions()) {
      if (!(definition instanceof OperationDefinition candidate) || operation != null) return null;
      operation = candidate;
    }
    if (operation == null || operation.getOperation() != OperationDefinition.Operation.QUERY
      || !operation.getDirectives().isEmpty()
      || !(operationName.isEmpty() || operationName.equals(operation.getName()))) {
      return null;
    }
    Map<String, VariableDefinition> declared = new HashMap<>();
    for (VariableDefinition variable : operation.getVariableDefinitions()) {
      if (variable.getDefaultValue() != null || !variable.getDirectives().isEmpty()) return null;
      declared.put(variable.getName(), variable);
    }
    List<Selection> roots = operation.getSelectionSet().getSelections();
    if (roots.size() != 1 || !(roots.get(0) instanceof Field field) || !field.getDirectives().isEmpty()) return null;
    Root root = Root.named(field.getName());
    if (root == null || field.getSelectionSet() == null) return null;
    Input id = null;
    Input raw = new Input(null, null, false);
    for (Argument argument : field.getArguments()) {
      Input input;
      if (argument.getName().equals(root.idArgument)) {
        input = id = input(argument.getValue(), declared, "ID", StringValue.class);
      } else if (argument.getName().equals("raw")) {
        input = raw = input(argument.getValue(), declared, "Boolean", BooleanValue.class);
      } else {
        return null;  // proxy: left to graphql-java
      }
      if (input == null) return null;
    }
    if (id == null) return null;
    GraphQLFieldDefinition definition = schema.getQueryType().getFieldDefinition(root.field);
    if (!(GraphQLTypeUtil.unwrapAll(definition.getType()) instanceof GraphQLObjectType type)) return null;
    List<Step> selection = steps(schema, type, field.getSelectionSet());
    if (selection == null) return null;
    String responseKey = field.getAlias() != null ? field.getAlias() : field.getName();
    return new CompiledQuery(root, responseKey, definition.getType(), selection, id, raw,
      SelectedPaths.of(List.of(field), Map.of(), root.order));
  }

  private static Input input(Value<?> value, Map<String, VariableDefinition> declared, String typeName,
                                    Class<? extends Value<?>> literal) {
    if (value instanceof StringValue string && literal == StringValue.class) return new Input(string.getValue(), null, false);
    if (value instanceof BooleanValue bool && literal == BooleanValue.class) return new Input(bool.isValue(), null, false);
    if (!(value instanceof VariableReference reference)) return null;
    VariableDefinition variable = declared.get(reference.getName());
    if (variable == null) return null;
    Type<?> type = variable.getType();
    boolean required = type instanceof NonNullType;
    if (required) type = ((NonNullType) type).getType();
    if (!(type instanceof TypeName name) || !name.getName().equals(typeName)) return null;
    return new Input(null, reference.getName(), required);
  }

  /**
   * A subscription's selection on its events ({@code assessmentEvents { … }}), compiled as a query's is: each event
   * walked along it once per shape of subscription, the same bytes graphql-java would give ({@code
   * GraphQLSubscriptionsTest} compares them). {@code readsAs} names fields whose fetcher reads a key of the event
   * when it is there ({@code AssessmentEvent.order}); the caller knows when it always is.
   */
  static final class EventSelection {
    private final String responseKey;
    private final GraphQLOutputType type;
    private final List<Step> selection;

    private EventSelection(String responseKey, GraphQLOutputType type, List<Step> selection) {
      this.responseKey = responseKey;
      this.type = type;
      this.selection = selection;
    }

    /** The event's {@code {"data": …}} as JSON text, or null where graphql-java must answer. */
    String render(Object event) {
      try {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(responseKey, complete(type, event, selection));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("data", data);
        return new io.vertx.core.json.JsonObject(payload).encode();
      } catch (GiveUp beyond) {
        return null;
      }
    }
  }

  /** The compiled form of a subscription's root field on {@code type}, or null when it is beyond a plain walk. */
  static EventSelection compileEvents(GraphQLSchema schema, GraphQLFieldDefinition definition, Field field,
                                      Map<String, String> readsAs) {
    if (!field.getDirectives().isEmpty() || field.getSelectionSet() == null
      || !(GraphQLTypeUtil.unwrapAll(definition.getType()) instanceof GraphQLObjectType type)) {
      return null;
    }
    List<Step> selection = steps(schema, type, field.getSelectionSet(), readsAs);
    if (selection == null) return null;
    return new EventSelection(field.getAlias() != null ? field.getAlias() : field.getName(), definition.getType(), selection);
  }

  /** The steps of a selection set on {@code parent}, or null when any field is beyond a plain record walk. */
  private static List<Step> steps(GraphQLSchema schema, GraphQLObjectType parent, SelectionSet set) {
    return steps(schema, parent, set, Map.of());
  }

  private static List<Step> steps(GraphQLSchema schema, GraphQLObjectType parent, SelectionSet set, Map<String, String> readsAs) {
    List<Step> steps = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (Selection<?> selection : set.getSelections()) {
      if (!(selection instanceof Field field) || !field.getDirectives().isEmpty() || !field.getArguments().isEmpty()) return null;
      String responseKey = field.getAlias() != null ? field.getAlias() : field.getName();
      if (!keys.add(responseKey)) return null;  // merged fields: graphql-java's job
      if (field.getName().equals("__typename")) {
        steps.add(new Step(responseKey, null, null, null));
        continue;
      }
      GraphQLFieldDefinition definition = parent.getFieldDefinition(field.getName());
      if (definition == null) return null;
      DataFetcher<?> fetcher = schema.getCodeRegistry().getDataFetcher(FieldCoordinates.coordinates(parent, definition), definition);
      String key = readsAs.get(parent.getName() + "." + definition.getName());
      if (key == null) {
        if (!(fetcher instanceof SnakeCaseFetcher snakeCase)) return null;
        key = snakeCase.key();
      }
      var leaf = GraphQLTypeUtil.unwrapAll(definition.getType());
      List<Step> below = null;
      if (leaf instanceof GraphQLObjectType object) {
        if (field.getSelectionSet() == null) return null;
        below = steps(schema, object, field.getSelectionSet(), readsAs);
        if (below == null) return null;
      } else if (!(leaf instanceof GraphQLScalarType) || field.getSelectionSet() != null) {
        return null;
      }
      steps.add(new Step(responseKey, key, definition.getType(), below));
    }
    return steps;
  }

  Root root() {
    return root;
  }

  /**
   * The one repository call of this query, with graphql-java's coerced variables: the same call and record as
   * the root field's fetcher. Throws {@link GiveUp}, before anything is fetched, when an argument is not known.
   */
  Future<RecordReply> fetch(AssessmentRepository repository, Scope scope, Map<String, Object> variables) {
    String id = (String) this.id.value(variables, String.class);
    boolean raw = Boolean.TRUE.equals(this.raw.value(variables, Boolean.class)) || projection.raw();
    if (id == null) throw GiveUp.INSTANCE;
    Read read = new Read(projection.paths(), raw);
    return switch (root) {
      case ORDER -> repository.getOrder(scope, id, read);
      case RESULT -> repository.getResult(scope, id, read);
      case PACKAGE -> repository.getPackage(scope, id, read);
    };
  }

  /**
   * The {@code data} of the answer: the record walked along the selection, exactly as graphql-java completes it
   * ({@code CompiledQueriesTest} compares the bytes). Throws {@link GiveUp} where graphql-java must answer.
   */
  Map<String, Object> data(RecordReply reply) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put(responseKey, complete(rootFieldType, reply.record(), selection));
    return data;
  }

  /** graphql-java's value completion, for the types a compiled query can meet. */
  private static Object complete(GraphQLOutputType type, Object value, List<Step> selection) {
    if (type instanceof GraphQLNonNull nonNull) {
      Object completed = value == null ? null : complete((GraphQLOutputType) nonNull.getWrappedType(), value, selection);
      if (completed == null) throw GiveUp.INSTANCE;
      return completed;
    }
    if (value == null) return null;
    if (type instanceof GraphQLList list) {
      if (!(value instanceof Iterable<?> items)) throw GiveUp.INSTANCE;
      List<Object> completed = new ArrayList<>();
      for (Object item : items) completed.add(complete((GraphQLOutputType) list.getWrappedType(), item, selection));
      return completed;
    }
    if (type instanceof GraphQLScalarType scalar) {
      try {
        return scalar.getCoercing().serialize(value, CONTEXT, Locale.getDefault());
      } catch (RuntimeException refused) {
        throw GiveUp.INSTANCE;
      }
    }
    if (type instanceof GraphQLObjectType object) {
      Map<String, Object> completed = new LinkedHashMap<>();
      for (Step step : selection) {
        completed.put(step.responseKey(), step.key() == null ? object.getName()
          : complete(step.type(), SnakeCaseFetcher.read(value, step.key()), step.selection()));
      }
      return completed;
    }
    throw GiveUp.INSTANCE;
  }
}
