package org.atsassessments.graphql;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLInputType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.atsassessments.http.AccountGuard;
import org.atsassessments.model.LinkedAccount;
import org.atsassessments.repository.RepositoryClient;
import org.atsassessments.repository.RepositoryClient.Page;
import org.atsassessments.repository.RepositoryClient.Read;
import org.atsassessments.repository.Reply;
import org.dataloader.DataLoader;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

import static org.atsassessments.model.Timestamps.format;

/**
 * The root fields. Each turns its arguments and selection set into one repository message, the same one
 * the REST route sends: {@code fields} are the selected leaves, so the repository answers with just them.
 */
final class Fetchers {

  static final String RESULTS_LOADER = "results";
  private static final String[] NODE = {"edges", "node"};

  private final RepositoryClient repository;
  private final String resultsUpdateUrlTemplate;

  Fetchers(RepositoryClient repository, String resultsUpdateUrlTemplate) {
    this.repository = repository;
    this.resultsUpdateUrlTemplate = resultsUpdateUrlTemplate;
  }

  // ---- queries ---------------------------------------------------------------------------------------------

  DataFetcher<CompletionStage<JsonObject>> order() {
    return single(true, (env, read) -> repository.getOrder(account(env).id(), env.getArgument("id"), read));
  }

  DataFetcher<CompletionStage<JsonObject>> result() {
    return single(false, (env, read) -> repository.getResult(account(env).id(), env.getArgument("orderId"), read));
  }

  DataFetcher<CompletionStage<JsonObject>> pkg() {
    return single(false, (env, read) -> repository.getPackage(account(env).id(), env.getArgument("id"), read));
  }

  DataFetcher<CompletionStage<JsonObject>> orders() {
    return connection((env, page) -> repository.listOrders(account(env).id(), page, read(env, true, NODE)));
  }

  DataFetcher<CompletionStage<JsonObject>> packages() {
    return connection((env, page) -> repository.listPackages(account(env).id(), page, read(env, false, NODE)));
  }

  /** AssessmentOrder.result: through the request's DataLoader, so a list of orders costs one bus request. */
  DataFetcher<CompletionStage<JsonObject>> orderResult() {
    return env -> {
      JsonObject order = env.getSource();
      DataLoader<String, JsonObject> loader = env.getDataLoader(RESULTS_LOADER);
      return loader.load(order.getString("id"), Selections.of(env, false).paths());
    };
  }

  // ---- mutations -------------------------------------------------------------------------------------------

  DataFetcher<CompletionStage<JsonObject>> orderAssessment() {
    return env -> {
      LinkedAccount account = account(env);
      Object input = Inputs.toWire(env.getArgument("input"), inputType(env, "input"));
      return repository.createOrder(account.id(), input, exchange(env), account.testUrlTemplate(), resultsUpdateUrlTemplate)
        .map(Reply::body).toCompletionStage();
    };
  }

  DataFetcher<CompletionStage<JsonObject>> updateResult() {
    return env -> {
      Object input = Inputs.toWire(env.getArgument("input"), inputType(env, "input"));
      // StackOne's status bodies are the one camelCase shape on the wire; GraphQL reads snake_case keys
      return repository.updateResult(account(env).id(), env.getArgument("orderId"), input, env.getArgument("ifMatch"),
        exchange(env)).map(reply -> {
          JsonObject body = reply.body();
          return new JsonObject().put("status_code", body.getValue("statusCode")).put("message", body.getValue("message"))
            .put("timestamp", body.getValue("timestamp")).put("etag", reply.etag());
        }).toCompletionStage();
    };
  }

  // ---- shapes ----------------------------------------------------------------------------------------------

  /** A single-record root field read by a compiled query: the same message and record as its fetcher's. */
  Future<JsonObject> record(CompiledQuery.Root root, String accountId, String id, Read read) {
    Future<Reply> reply = switch (root) {
      case ORDER -> repository.getOrder(accountId, id, read);
      case RESULT -> repository.getResult(accountId, id, read);
      case PACKAGE -> repository.getPackage(accountId, id, read);
    };
    return reply.map(Fetchers::record);
  }

  private DataFetcher<CompletionStage<JsonObject>> single(boolean order, BiFunction<DataFetchingEnvironment, Read, Future<Reply>> call) {
    return env -> call.apply(env, read(env, order)).map(Fetchers::record).toCompletionStage();
  }

  /** {@code {"data": record, "raw"?}} + ETag → the record, with raw and etag as fields of it. */
  private static JsonObject record(Reply reply) {
    JsonObject body = reply.body();
    JsonObject record = body.getJsonObject("data");
    if (body.containsKey("raw")) record.put("raw", body.getJsonArray("raw"));
    return record.put("etag", reply.etag());
  }

  /** StackOne's list envelope → a Relay connection over the same cursors. */
  private DataFetcher<CompletionStage<JsonObject>> connection(BiFunction<DataFetchingEnvironment, Page, Future<Reply>> call) {
    return env -> {
      Integer first = env.getArgument("first");
      if (first == null || first < 1) throw new GraphQLErrors.Refusal("BAD_USER_INPUT", "first must be at least 1");
      OffsetDateTime updatedAfter = env.getArgument("updatedAfter");
      Page page = new Page(first, env.getArgument("after"), updatedAfter == null ? null : format(updatedAfter.toInstant()), true);
      return call.apply(env, page).map(reply -> {
        JsonObject body = reply.body();
        JsonArray data = body.getJsonArray("data");
        JsonArray cursors = body.getJsonArray("cursors");
        JsonArray raw = body.getJsonArray("raw");
        JsonArray edges = new JsonArray();
        for (int i = 0; i < data.size(); i++) {
          JsonObject node = data.getJsonObject(i);
          if (raw != null) node.put("raw", new JsonArray().add(raw.getValue(i)));
          edges.add(new JsonObject().put("node", node).put("cursor", cursors.getString(i)));
        }
        return new JsonObject().put("edges", edges).put("page_info", new JsonObject()
          .put("has_next_page", body.getValue("next") != null)
          .put("end_cursor", cursors.isEmpty() ? null : cursors.getString(cursors.size() - 1)));
      }).toCompletionStage();
    };
  }

  /** What REST's fields/raw/proxy say, from the selection set (below {@code under}) and the arguments. */
  private static Read read(DataFetchingEnvironment env, boolean order, String... under) {
    Selections.Projection projection = Selections.of(env, order, under);
    boolean raw = Boolean.TRUE.equals(env.getArgument("raw")) || projection.raw();
    // proxy is a JSON scalar, so any value gets here; REST's passthrough is an object of parameters
    Object proxy = env.getArgument("proxy");
    if (proxy != null && !(proxy instanceof Map)) {
      throw new GraphQLErrors.Refusal("BAD_USER_INPUT", "proxy must be an object of provider parameters");
    }
    return new Read(projection.paths(), raw, proxy == null ? new JsonObject() : (JsonObject) Inputs.json(proxy));
  }

  private static GraphQLInputType inputType(DataFetchingEnvironment env, String argument) {
    return env.getFieldDefinition().getArgument(argument).getType();
  }

  private static RoutingContext routing(DataFetchingEnvironment env) {
    return env.getGraphQlContext().get(RoutingContext.class);
  }

  static LinkedAccount account(DataFetchingEnvironment env) {
    return AccountGuard.account(routing(env));
  }

  /** What raw shows of a record written through GraphQL: the HTTP request that carried the mutation. */
  private static JsonObject exchange(DataFetchingEnvironment env) {
    RoutingContext rc = routing(env);
    return new JsonObject().put("method", rc.request().method().name()).put("url", rc.request().absoluteURI());
  }
}
