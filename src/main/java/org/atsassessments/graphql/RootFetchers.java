package org.atsassessments.graphql;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLInputType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.atsassessments.edge.Requests;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.repository.api.AssessmentRepository;
import org.atsassessments.repository.api.Exchange;
import org.atsassessments.repository.api.NewOrder;
import org.atsassessments.repository.api.Page;
import org.atsassessments.repository.api.PageReply;
import org.atsassessments.repository.api.Read;
import org.atsassessments.repository.api.RecordReply;
import org.atsassessments.repository.api.ResultUpdate;
import org.atsassessments.repository.api.Scope;
import org.dataloader.DataLoader;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * The root fields. Each turns its arguments and selection set into one repository message, the same one
 * the REST route sends: {@code fields} are the selected leaves, so the repository answers with just them.
 */
final class RootFetchers {

  private static final String[] NODE = {"edges", "node"};

  private final String resultsUpdateUrlTemplate;

  RootFetchers(String resultsUpdateUrlTemplate) {
    this.resultsUpdateUrlTemplate = resultsUpdateUrlTemplate;
  }

  // ---- queries ---------------------------------------------------------------------------------------------

  DataFetcher<CompletionStage<JsonObject>> order() {
    return single(CompiledQuery.Root.ORDER, (env, read) -> repository(env).getOrder(scope(env), env.getArgument("id"), read));
  }

  DataFetcher<CompletionStage<JsonObject>> result() {
    return single(CompiledQuery.Root.RESULT, (env, read) -> repository(env).getResult(scope(env), env.getArgument("orderId"), read));
  }

  DataFetcher<CompletionStage<JsonObject>> pkg() {
    return single(CompiledQuery.Root.PACKAGE, (env, read) -> repository(env).getPackage(scope(env), env.getArgument("id"), read));
  }

  DataFetcher<CompletionStage<JsonObject>> orders() {
    return connection((env, page) -> repository(env).listOrders(scope(env), page, read(env, true, NODE)));
  }

  DataFetcher<CompletionStage<JsonObject>> packages() {
    return connection((env, page) -> repository(env).listPackages(scope(env), page, read(env, false, NODE)));
  }

  /** AssessmentOrder.result: through the request's DataLoader, so a list of orders costs one bus request. */
  DataFetcher<CompletionStage<JsonObject>> orderResult() {
    return env -> {
      JsonObject order = env.getSource();
      DataLoader<String, JsonObject> loader = env.getDataLoader(ResultsLoader.NAME);
      List<String> paths = SelectedPaths.of(env, false).paths();
      if (loader == null) {
        // a subscription's event: one order at a time, read on its own (DataLoaders batch a response's levels)
        Scope scope = env.getGraphQlContext().get(Subscriptions.SCOPE);
        return repository(env).latestResults(scope, List.of(order.getString("id")), paths)
          .map(results -> results.isEmpty() ? null : results.get(0)).toCompletionStage();
      }
      return loader.load(order.getString("id"), paths);
    };
  }

  // ---- mutations -------------------------------------------------------------------------------------------

  DataFetcher<CompletionStage<JsonObject>> orderAssessment() {
    return env -> {
      LinkedAccount account = account(env);
      Object input = InputToWire.toWire(env.getArgument("input"), inputType(env, "input"));
      return repository(env).createOrder(scope(env), new NewOrder(input, exchange(env), account.testUrlTemplate(),
        resultsUpdateUrlTemplate)).map(created -> created.toJson()).toCompletionStage();
    };
  }

  DataFetcher<CompletionStage<JsonObject>> updateResult() {
    return env -> {
      Object input = InputToWire.toWire(env.getArgument("input"), inputType(env, "input"));
      // StackOne's status bodies are the one camelCase shape on the wire; GraphQL reads snake_case keys
      // proxy: on a connector account's order, query parameters of the calls to its ATS this result leads to
      JsonObject proxy = providerParameters(env.getArgument("proxy"));
      ResultUpdate update = new ResultUpdate(input, env.getArgument("ifMatch"), exchange(env).withProxy(proxy),
        UUID.randomUUID().toString());
      return repository(env).updateResult(scope(env), env.getArgument("orderId"), update).map(updated ->
          new JsonObject().put("status_code", 200).put("message", updated.message()).put("timestamp", updated.timestamp())
            .put("etag", updated.etag()))
        .toCompletionStage();
    };
  }

  // ---- shapes ----------------------------------------------------------------------------------------------

  /**
   * A single-record root field: its record, with raw and etag as fields of it. When the compiled query of this
   * request already fetched it ({@link CompiledReads}), that reply is used: the same call, made once.
   */
  private DataFetcher<CompletionStage<JsonObject>> single(CompiledQuery.Root root,
                                                          BiFunction<DataFetchingEnvironment, Read, Future<RecordReply>> call) {
    return env -> {
      Future<RecordReply> prefetched = CompiledReads.Prefetched.take(env.getGraphQlContext(), root);
      Future<RecordReply> reply = prefetched != null ? prefetched : call.apply(env, read(env, root.order));
      return reply.map(RecordReply::record).toCompletionStage();
    };
  }

  /** StackOne's list envelope → a Relay connection over the same cursors. */
  private DataFetcher<CompletionStage<JsonObject>> connection(BiFunction<DataFetchingEnvironment, Page, Future<PageReply>> call) {
    return env -> {
      Integer first = env.getArgument("first");
      if (first == null || first < 1) throw new GraphQLErrors.Refusal("BAD_USER_INPUT", "first must be at least 1");
      OffsetDateTime updatedAfter = env.getArgument("updatedAfter");
      Page page = new Page(Page.clamp(first), env.getArgument("after"), updatedAfter == null ? null : updatedAfter.toInstant(), true);
      return call.apply(env, page).map(reply -> {
        JsonArray data = reply.data();
        JsonArray cursors = reply.cursors();
        JsonArray raw = reply.raw();
        JsonArray edges = new JsonArray();
        for (int i = 0; i < data.size(); i++) {
          JsonObject node = data.getJsonObject(i);
          if (raw != null) node.put("raw", new JsonArray().add(raw.getValue(i)));
          edges.add(new JsonObject().put("node", node).put("cursor", cursors.getString(i)));
        }
        return new JsonObject().put("edges", edges).put("page_info", new JsonObject()
          .put("has_next_page", reply.next() != null)
          .put("end_cursor", cursors.isEmpty() ? null : cursors.getString(cursors.size() - 1)));
      }).toCompletionStage();
    };
  }

  /**
   * What REST's fields and raw say, from the selection set (below {@code under}) and the arguments. proxy is
   * checked as REST's passthrough would be (an object of parameters) and, like it, not sent until a provider
   * reads it.
   */
  private static Read read(DataFetchingEnvironment env, boolean order, String... under) {
    SelectedPaths.Projection projection = SelectedPaths.of(env, order, under);
    boolean raw = Boolean.TRUE.equals(env.getArgument("raw")) || projection.raw();
    // proxy is a JSON scalar, so any value gets here
    Object proxy = env.getArgument("proxy");
    if (proxy != null && !(proxy instanceof Map)) {
      throw new GraphQLErrors.Refusal("BAD_USER_INPUT", "proxy must be an object of provider parameters");
    }
    return new Read(projection.paths(), raw);
  }

  /**
   * The proxy argument as REST's {@code proxy[key]=value} would give it: an object whose values are scalars
   * (sent as their text; null as empty) or objects, nested keys joined as REST's brackets
   * ({@code {filter: {age: 25}}} is {@code filter[age]=25}). Null when absent; anything else is bad user input.
   */
  static JsonObject providerParameters(Object proxy) {
    if (proxy == null) return null;
    if (!(proxy instanceof Map<?, ?> given)) {
      throw new GraphQLErrors.Refusal("BAD_USER_INPUT", "proxy must be an object of provider parameters");
    }
    JsonObject flat = new JsonObject();
    flatten("", given, flat);
    return flat;
  }

  private static void flatten(String prefix, Map<?, ?> parameters, JsonObject into) {
    for (Map.Entry<?, ?> parameter : parameters.entrySet()) {
      String key = prefix.isEmpty() ? String.valueOf(parameter.getKey()) : prefix + "[" + parameter.getKey() + "]";
      Object value = parameter.getValue();
      if (value instanceof Map<?, ?> nested) {
        flatten(key, nested, into);
      } else if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
        into.put(key, value == null ? "" : String.valueOf(value));
      } else {
        throw new GraphQLErrors.Refusal("BAD_USER_INPUT", "proxy." + key + " must be a string, number, boolean or object");
      }
    }
  }

  private static GraphQLInputType inputType(DataFetchingEnvironment env, String argument) {
    return env.getFieldDefinition().getArgument(argument).getType();
  }

  private static RoutingContext routing(DataFetchingEnvironment env) {
    return env.getGraphQlContext().get(RoutingContext.class);
  }

  static LinkedAccount account(DataFetchingEnvironment env) {
    return Requests.account(routing(env));
  }

  /** The repository client of the HTTP verticle serving this request. */
  private static AssessmentRepository repository(DataFetchingEnvironment env) {
    return env.getGraphQlContext().get(AssessmentRepository.class);
  }

  static Scope scope(DataFetchingEnvironment env) {
    return Requests.scope(routing(env));
  }

  /** What raw shows of a record written through GraphQL: the HTTP request that carried the mutation. */
  private static Exchange exchange(DataFetchingEnvironment env) {
    return Requests.exchange(routing(env));
  }
}
