package org.atsassessments.graphql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.GraphQLError;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Parsed and validated documents, kept by query text (bounded, least recently used out; Caffeine) and shared by
 * the event loops of one Vert.x instance: a repeated query is neither parsed, validated nor measured again.
 * All four limits are checked here, before anything runs: the query's size in characters, its aliases, and
 * the depth and number of fields of the operation (fragments expanded, @skip/@include not applied, so the
 * count is an upper bound). Introspection-only operations are exempt from depth and fields: GraphiQL's own
 * introspection query is deeper than any data query, and graphql-java's good-faith checks guard it.
 *
 * <p>What the parsed document says is handed to the rest of the execution in the request's GraphQL context:
 * whether the operation selects {@code AssessmentOrder.result} (then, and only then, a DataLoader is installed:
 * {@link GraphQLOverHttp}), and, from a document's second use on, its {@link CompiledQuery} when it has one
 * (run by {@link CompiledReads}; the first use runs on graphql-java alone, which tests compare it with).
 */
final class PreparsedDocuments implements PreparsedDocumentProvider {

  /** In the GraphQL context when the operation selects an order's result: the results DataLoader is needed. */
  static final String SELECTS_ORDER_RESULT = "ats.selects-order-result";

  record Limits(int maxQueryChars, int maxAliases, int maxDepth, int maxFields) {
  }

  private record Shape(int depth, int fields, boolean introspection, boolean selectsOrderResult) {
  }

  /** A cached document; {@code compiled}: per operation name, its compiled form once it passed the limits. */
  private record Entry(PreparsedDocumentEntry document, int aliases, Map<String, Shape> shapes,
                       Map<String, Optional<CompiledQuery>> compiled) {
  }

  /** The documents of one Vert.x instance, in its local shared data. */
  static final class Documents implements Shareable {
    private final Cache<String, Entry> entries;
    private final AtomicLong parsed = new AtomicLong();
    private final AtomicLong compiledRuns = new AtomicLong();
    private final AtomicLong compiledAnswers = new AtomicLong();

    private Documents(int capacity) {
      // maintenance on the calling thread: no pool of Caffeine's own next to the event loops
      this.entries = Caffeine.newBuilder().maximumSize(capacity).executor(Runnable::run).build();
    }

    static Documents of(Vertx vertx, int capacity) {
      LocalMap<String, Documents> shared = vertx.sharedData().getLocalMap("ats.graphql.documents");
      Documents created = new Documents(capacity);
      Documents existing = shared.putIfAbsent("documents", created);
      return existing != null ? existing : created;
    }

    /** How many documents were parsed and validated (tests count work with it). */
    long parsed() {
      return parsed.get();
    }

    /** How many requests were handed a compiled query to run (tests count work with it). */
    long compiledRuns() {
      return compiledRuns.get();
    }

    /** How many of those the compiled query answered by itself, without graphql-java's per-field execution. */
    long compiledAnswers() {
      return compiledAnswers.get();
    }

    void answeredByCompiledQuery() {
      compiledAnswers.incrementAndGet();
    }
  }

  private final Documents documents;
  private final Limits limits;
  private final GraphQLSchema schema;
  private final boolean compile;

  /** {@code compile}: compile the documents' single-record reads against the schema. */
  PreparsedDocuments(Documents documents, Limits limits, GraphQLSchema schema, boolean compile) {
    this.documents = documents;
    this.limits = limits;
    this.schema = schema;
    this.compile = compile;
  }

  @Override
  public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
                                                                    Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
    String query = input.getQuery();
    if (query.length() > limits.maxQueryChars()) {
      return refuse("QUERY_TOO_LARGE", "The query has " + query.length() + " characters; at most " + limits.maxQueryChars()
        + " are allowed");
    }
    Entry entry = documents.entries.getIfPresent(query);
    boolean cached = entry != null;
    if (!cached) {
      documents.parsed.incrementAndGet();
      PreparsedDocumentEntry parsed = parseAndValidate.apply(input);
      entry = new Entry(parsed, parsed.hasErrors() ? 0 : aliases(parsed.getDocument()), new ConcurrentHashMap<>(),
        new ConcurrentHashMap<>());
      documents.entries.put(query, entry);
    }
    if (entry.document().hasErrors()) return CompletableFuture.completedFuture(entry.document());
    if (entry.aliases() > limits.maxAliases()) {
      return refuse("TOO_MANY_ALIASES", "The query uses " + entry.aliases() + " aliases; at most " + limits.maxAliases()
        + " are allowed");
    }
    Document document = entry.document().getDocument();
    String operation = input.getOperationName() == null ? "" : input.getOperationName();
    Shape shape = entry.shapes().computeIfAbsent(operation, name -> measure(schema, document, name));
    if (shape != null && !shape.introspection()) {
      if (shape.depth() > limits.maxDepth()) {
        return refuse("QUERY_TOO_DEEP", "The query is " + shape.depth() + " levels deep; at most " + limits.maxDepth()
          + " are allowed");
      }
      if (shape.fields() > limits.maxFields()) {
        return refuse("QUERY_TOO_COMPLEX", "The query selects " + shape.fields() + " fields; at most " + limits.maxFields()
          + " are allowed");
      }
    }
    if (shape != null && shape.selectsOrderResult()) input.getGraphQLContext().put(SELECTS_ORDER_RESULT, true);
    if (compile && shape != null) {
      Optional<CompiledQuery> compiled = entry.compiled()
        .computeIfAbsent(operation, name -> Optional.ofNullable(CompiledQuery.compile(schema, document, name)));
      if (cached && compiled.isPresent()) {
        documents.compiledRuns.incrementAndGet();
        input.getGraphQLContext().put(CompiledQuery.class, compiled.get());
      }
    }
    return CompletableFuture.completedFuture(entry.document());
  }

  private static CompletableFuture<PreparsedDocumentEntry> refuse(String code, String message) {
    GraphQLError error = GraphQLErrors.requestError(code, message);
    return CompletableFuture.completedFuture(new PreparsedDocumentEntry(error));
  }

  static int aliases(Document document) {
    int count = 0;
    for (OperationDefinition operation : document.getDefinitionsOfType(OperationDefinition.class)) {
      count += aliases(operation.getSelectionSet());
    }
    for (FragmentDefinition fragment : document.getDefinitionsOfType(FragmentDefinition.class)) {
      count += aliases(fragment.getSelectionSet());
    }
    return count;
  }

  private static int aliases(SelectionSet set) {
    int count = 0;
    for (Selection<?> selection : set.getSelections()) {
      if (selection instanceof Field field) {
        if (field.getAlias() != null) count++;
        if (field.getSelectionSet() != null) count += aliases(field.getSelectionSet());
      } else if (selection instanceof InlineFragment inline) {
        count += aliases(inline.getSelectionSet());
      }
    }
    return count;
  }

  /** The operation's depth and field count; null when the document has no such operation (execution says so). */
  private static Shape measure(GraphQLSchema schema, Document document, String operationName) {
    List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
    OperationDefinition operation = operations.stream()
      .filter(op -> operationName.isEmpty() ? operations.size() == 1 : operationName.equals(op.getName()))
      .findFirst().orElse(null);
    if (operation == null) return null;
    Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
    document.getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.put(f.getName(), f));
    boolean introspection = operation.getSelectionSet().getSelections().stream()
      .allMatch(selection -> selection instanceof Field field && field.getName().startsWith("__"));
    int[] measured = measure(operation.getSelectionSet(), fragments, 1);
    GraphQLObjectType root = operation.getOperation() == OperationDefinition.Operation.MUTATION ? schema.getMutationType()
      : operation.getOperation() == OperationDefinition.Operation.QUERY ? schema.getQueryType() : null;
    boolean orderResult = root != null && selects(schema, root, operation.getSelectionSet(), fragments, "AssessmentOrder",
      "result", new HashSet<>());
    return new Shape(measured[0], measured[1], introspection, orderResult);
  }

  /**
   * Whether {@code type.field} is selected anywhere below this selection set on {@code parent} (fragments
   * followed, each once; validation ruled out cycles and unknown fields).
   */
  private static boolean selects(GraphQLSchema schema, GraphQLObjectType parent, SelectionSet set,
                                 Map<String, FragmentDefinition> fragments, String type, String field, Set<String> followed) {
    for (Selection<?> selection : set.getSelections()) {
      if (selection instanceof Field selected) {
        if (parent.getName().equals(type) && selected.getName().equals(field)) return true;
        GraphQLFieldDefinition definition = parent.getFieldDefinition(selected.getName());
        if (definition != null && selected.getSelectionSet() != null
          && GraphQLTypeUtil.unwrapAll(definition.getType()) instanceof GraphQLObjectType child
          && selects(schema, child, selected.getSelectionSet(), fragments, type, field, followed)) {
          return true;
        }
      } else if (selection instanceof InlineFragment inline) {
        GraphQLObjectType on = inline.getTypeCondition() == null ? parent
          : schema.getType(inline.getTypeCondition().getName()) instanceof GraphQLObjectType condition ? condition : parent;
        if (selects(schema, on, inline.getSelectionSet(), fragments, type, field, followed)) return true;
      } else if (selection instanceof FragmentSpread spread && fragments.containsKey(spread.getName())
        && followed.add(spread.getName())) {
        FragmentDefinition fragment = fragments.get(spread.getName());
        GraphQLObjectType on = schema.getType(fragment.getTypeCondition().getName()) instanceof GraphQLObjectType condition
          ? condition : parent;
        if (selects(schema, on, fragment.getSelectionSet(), fragments, type, field, followed)) return true;
      }
    }
    return false;
  }

  /** {max depth, fields} below a selection set whose fields sit at {@code depth}; validation ruled out fragment cycles. */
  private static int[] measure(SelectionSet set, Map<String, FragmentDefinition> fragments, int depth) {
    int maxDepth = 0;
    int fields = 0;
    for (Selection<?> selection : set.getSelections()) {
      int[] below;
      if (selection instanceof Field field) {
        fields++;
        below = field.getSelectionSet() == null ? new int[] {depth, 0} : measure(field.getSelectionSet(), fragments, depth + 1);
      } else if (selection instanceof InlineFragment inline) {
        below = measure(inline.getSelectionSet(), fragments, depth);
      } else if (selection instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
        below = measure(fragments.get(spread.getName()).getSelectionSet(), fragments, depth);
      } else {
        continue;
      }
      maxDepth = Math.max(maxDepth, below[0]);
      fields += below[1];
    }
    return new int[] {maxDepth, fields};
  }
}
