package org.atsassessments.graphql;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.atsassessments.edge.Requests;

import java.util.Map;
import java.util.Set;

/**
 * Runs before Vert.x's GraphQLHandler: a POST whose query is cached with a {@link CompiledQuery} is answered
 * by it; every other request (and any request the compiled query gives up on) goes on to graphql-java.
 */
final class CompiledQueries implements Handler<RoutingContext> {

  private static final Set<String> KEYS = Set.of("query", "variables", "operationName");

  private final PreparsedDocuments.Documents documents;
  private final RootFetchers fetchers;

  CompiledQueries(PreparsedDocuments.Documents documents, RootFetchers fetchers) {
    this.documents = documents;
    this.fetchers = fetchers;
  }

  @Override
  public void handle(RoutingContext rc) {
    CompiledQuery compiled = null;
    Map<String, Object> variables = null;
    if (rc.request().method() == HttpMethod.POST && rc.request().query() == null) {
      String contentType = rc.parsedHeaders().contentType().value();
      Buffer body = rc.body().buffer();
      if (body != null && (contentType.isEmpty() || contentType.equalsIgnoreCase("application/json"))
        && parse(body) instanceof JsonObject request && KEYS.containsAll(request.fieldNames())
        && request.getValue("query") instanceof String query
        && (request.getValue("variables") == null || request.getValue("variables") instanceof JsonObject)
        && (request.getValue("operationName") == null || request.getValue("operationName") instanceof String)) {
        compiled = documents.compiled(query, request.getString("operationName"));
        JsonObject given = request.getJsonObject("variables");
        variables = given == null ? null : given.getMap();
      }
    }
    if (compiled == null) {
      rc.next();
      return;
    }
    compiled.execute(fetchers, Requests.scope(rc), variables).onComplete(answer -> {
      if (answer.succeeded()) {
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(answer.result());
      } else {
        rc.next();  // graphql-java answers, errors included
      }
    });
  }

  private static Object parse(Buffer body) {
    try {
      return Json.decodeValue(body);
    } catch (DecodeException notJson) {
      return null;
    }
  }
}
