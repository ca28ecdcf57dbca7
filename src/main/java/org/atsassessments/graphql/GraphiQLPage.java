package org.atsassessments.graphql;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.graphql.GraphiQLHandler;
import io.vertx.ext.web.handler.graphql.GraphiQLHandlerOptions;
import org.atsassessments.http.SecurityHeaders;

/**
 * GraphiQL at {@code /graphiql}, from vertx-web-graphql's jar, under a Content-Security-Policy that lets its
 * own scripts, styles and fonts load and its queries reach this origin, and nothing else: its one inline
 * script (the configuration the library writes into the page) is allowed by its hash.
 */
final class GraphiQLPage {

  private GraphiQLPage() {
  }

  static void mount(Vertx vertx, Router router, GraphiQLHandlerOptions options) {
    String policy = SecurityHeaders.pagePolicy(inlineScript(options));
    router.route("/graphiql*").handler(rc -> {
      rc.response().putHeader("Content-Security-Policy", policy);
      rc.next();
    });
    router.route("/graphiql*").subRouter(GraphiQLHandler.create(vertx, options).router());
  }

  /**
   * The inline script of the page, as vertx-web-graphql 5.0.7 writes it (GraphiQLHandlerImpl#replacement,
   * without a per-request header factory). {@code GraphiQLTest} checks it against the page served.
   */
  static String inlineScript(GraphiQLHandlerOptions options) {
    JsonObject json = new JsonObject().put("httpEnabled", options.isHttpEnabled());
    if (options.getGraphQLUri() != null) json.put("graphQLUri", options.getGraphQLUri());
    json.put("graphQLWSEnabled", options.isGraphQLWSEnabled());
    if (options.getGraphQLWSUri() != null) json.put("graphQLWSUri", options.getGraphQLWSUri());
    if (options.getWsConnectionParams() != null) json.put("wsConnectionParams", options.getWsConnectionParams());
    if (options.getHeaders() != null && !options.getHeaders().isEmpty()) {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      options.getHeaders().forEach(headers::add);
      JsonObject headersJson = new JsonObject();
      headers.forEach(header -> headersJson.put(header.getKey(), header.getValue()));
      json.put("headers", headersJson);
    }
    if (options.getQuery() != null) json.put("query", options.getQuery());
    if (options.getVariables() != null) json.put("parameters", options.getVariables());
    return "window.VERTX_GRAPHIQL_CONFIG=" + json.encode();
  }
}
