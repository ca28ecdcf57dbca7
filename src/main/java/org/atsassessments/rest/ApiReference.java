package org.atsassessments.rest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The API describes itself: {@code GET /openapi.json} is {@code schema/openapi.json} as it is, and
 * {@code GET /docs} renders it with Swagger UI, whose files come from the {@code org.webjars:swagger-ui} jar
 * on the classpath (nothing from a CDN). Everything is read once at start-up; no credentials needed. The
 * pages carry their own Content-Security-Policy (SecurityHeaders sets the others on every answer).
 */
public final class ApiReference {

  public static final String OPENAPI = "schema/openapi.json";
  static final String PAGE = "docs/index.html";
  static final String INIT_SCRIPT = "docs/init.js";
  static final String SWAGGER_UI_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

  /** Swagger UI sets style attributes and draws data: SVG icons; scripts and fetches stay on this origin. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
    + " img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none';"
    + " frame-ancestors 'none'";

  private final Buffer openApi;
  private final Buffer page;
  private final Buffer initScript;
  private final String swaggerUiRoot;

  private ApiReference(Buffer openApi, Buffer page, Buffer initScript, String swaggerUiRoot) {
    this.openApi = openApi;
    this.page = page;
    this.initScript = initScript;
    this.swaggerUiRoot = swaggerUiRoot;
  }

  /** Reads the document and the page (off the event loop) and mounts /openapi.json, /docs and /docs/*. */
  public static Future<Void> mount(Vertx vertx, Router router) {
    return vertx.executeBlocking(() -> {
      Properties swaggerUi = new Properties();
      swaggerUi.load(new StringReader(resource(SWAGGER_UI_POM).toString()));
      return new ApiReference(resource(OPENAPI), resource(PAGE), resource(INIT_SCRIPT),
        "META-INF/resources/webjars/swagger-ui/" + swaggerUi.getProperty("version"));
    }).map(docs -> {
      docs.mount(router);
      return null;
    });
  }

  private void mount(Router router) {
    router.get("/openapi.json").handler(rc -> rc.response()
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(openApi));
    router.get("/docs").handler(rc -> page(rc, "text/html; charset=utf-8", page));
    router.get("/docs/init.js").handler(rc -> page(rc, "text/javascript; charset=utf-8", initScript));
    router.get("/docs/*").handler(ApiReference::swaggerUiFile).handler(StaticHandler.create(swaggerUiRoot));
  }

  private static void page(RoutingContext rc, String contentType, Buffer body) {
    rc.response().putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
      .putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(body);
  }

  /** The webjar's files, but not its own page, which would show the petstore example. */
  private static void swaggerUiFile(RoutingContext rc) {
    String path = rc.normalizedPath();
    if (path.endsWith("/index.html") || path.endsWith("/swagger-initializer.js")) {
      rc.fail(404);
      return;
    }
    rc.response().putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    rc.next();
  }

  private static Buffer resource(String name) {
    try (InputStream in = ApiReference.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException(name + " is missing from the classpath");
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
