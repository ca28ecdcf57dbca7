package org.atsassessments.graphql;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.graphql.GraphiQLHandler;
import io.vertx.ext.web.handler.graphql.GraphiQLHandlerOptions;
import org.atsassessments.edge.SecurityHeaders;
import org.atsassessments.demo.DemoData;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * GraphiQL at {@code /graphiql}, from vertx-web-graphql's jar, under a Content-Security-Policy that lets its
 * own scripts, styles and fonts load and its queries reach this origin, and nothing else: its one inline
 * script (the configuration the library writes into the page) is allowed by its hash.
 */
final class GraphiQLPage {

  private GraphiQLPage() {
  }

  /**
   * GraphQL talking to /graphql over HTTP, and over WebSocket for subscriptions (the library joins the page's
   * origin, which ends in a slash, with this URI: hence no leading slash); with the demo data, the demo credentials
   * filled in, as headers and as the WebSocket's connectionParams.
   */
  static GraphiQLHandlerOptions options(boolean demo) {
    GraphiQLHandlerOptions options = new GraphiQLHandlerOptions().setEnabled(true).setGraphQLUri("/graphql")
      .setGraphQLWSEnabled(true).setGraphWSQLUri("graphql");
    if (demo) {
      String basic = "Basic " + Base64.getEncoder().encodeToString((DemoData.USER + ":" + DemoData.PASSWORD).getBytes(StandardCharsets.UTF_8));
      options.setHeaders(Map.of("Authorization", basic, "x-account-id", DemoData.ACCOUNT_ID));
      options.setWsConnectionParams(new JsonObject().put("authorization", basic).put("x-account-id", DemoData.ACCOUNT_ID));
    }
    return options;
  }

  static void mount(Vertx vertx, Router router, GraphiQLHandlerOptions options) {
    String script = inlineScript(options);
    String policy = SecurityHeaders.pagePolicy(script);
    router.route("/graphiql*").handler(rc -> {
      rc.response().putHeader("Content-Security-Policy", policy);
      rc.next();
    });
    // the library reads its index.html with readFileBlocking on the event loop for every page load: the page
    // is the same for every request here (no per-request headers), so it is built once and served from memory
    Buffer page = Buffer.buffer(PAGE.replace(CONFIG_SCRIPT, script));
    Handler<RoutingContext> index = rc -> rc.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
      .putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=utf8").end(page);
    router.get("/graphiql/").handler(index);
    router.get("/graphiql/index.html").handler(index);
    router.route("/graphiql*").subRouter(GraphiQLHandler.create(vertx, options).router());
  }

  /** The placeholder script of the library's page, which it replaces with its configuration. */
  private static final String CONFIG_SCRIPT = "window.VERTX_GRAPHIQL_CONFIG=__VERTX_GRAPHIQL_CONFIG__";
  /** The library's page, read once (at start-up, from its jar). */
  private static final String PAGE = readPage("io/vertx/ext/web/handler/graphiql/index.html");

  private static String readPage(String resource) {
    try (InputStream in = GraphiQLHandler.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " is not on the classpath");
      String page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (!page.contains(CONFIG_SCRIPT)) throw new IllegalStateException(resource + " has no " + CONFIG_SCRIPT);
      return page;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The inline script of the page, as vertx-web-graphql 5.0.7 writes it (GraphiQLHandlerImpl#replacement,
   * without a per-request header factory). {@code GraphiQLTest} checks the page against the library's own.
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
