package org.atsassessments.graphql;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.handler.graphql.GraphiQLHandler;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GraphiQL's page works under its Content-Security-Policy: every inline script on it is allowed by hash,
 * every script and stylesheet it names comes from this server, and nothing else may run or frame it.
 */
@ExtendWith(VertxExtension.class)
class GraphiQLTest {

  private static final Pattern INLINE_SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
  private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

  private static void assertPageWorksUnderItsPolicy(TestService service) throws Exception {
    HttpResponse<Buffer> page = service.client.request(HttpMethod.GET, "/graphiql/").send().await();
    assertEquals(200, page.statusCode());
    String policy = page.getHeader("Content-Security-Policy");
    String html = page.bodyAsString();

    assertTrue(policy.startsWith("default-src 'none'; script-src 'self' 'sha256-"), policy);
    assertTrue(policy.contains("connect-src 'self'") && policy.contains("frame-ancestors 'none'"), policy);
    assertFalse(policy.contains("'unsafe-eval'"), policy);
    assertFalse(policy.substring(policy.indexOf("script-src"), policy.indexOf(';', policy.indexOf("script-src")))
      .contains("'unsafe-inline'"), policy);
    List<String> inline = new ArrayList<>();
    for (Matcher script = INLINE_SCRIPT.matcher(html); script.find(); ) inline.add(script.group(1));
    assertEquals(1, inline.size(), html);
    for (String script : inline) {
      String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
        .digest(script.getBytes(StandardCharsets.UTF_8)));
      assertTrue(policy.contains("'sha256-" + hash + "'"), "inline script not allowed by " + policy + ": " + script);
    }
    int assets = 0;
    for (Matcher asset = ASSET.matcher(html); asset.find(); assets++) {
      String url = asset.group(1);
      assertTrue(url.startsWith("./"), "from this server: " + url);
      HttpResponse<Buffer> loaded = service.client.request(HttpMethod.GET, "/graphiql/" + url.substring(2)).send().await();
      assertEquals(200, loaded.statusCode(), url);
      assertEquals("nosniff", loaded.getHeader("X-Content-Type-Options"));
    }
    assertEquals(2, assets, "one script and one stylesheet");
    assertEquals("DENY", page.getHeader("X-Frame-Options"));
    assertEquals("no-cache", page.getHeader("Cache-Control"), "GraphiQL's own, not the API's no-store");
    assertNull(page.getHeader("Server"));
  }

  @Test
  void thePageWorksUnderItsPolicy(Vertx vertx, @TempDir Path dir) throws Exception {
    assertPageWorksUnderItsPolicy(TestService.start(vertx, dir));
  }

  @Test
  void thePageWithTheDemoCredentialsFilledInWorksUnderItsPolicy(Vertx vertx, @TempDir Path dir) throws Exception {
    TestService service = TestService.start(vertx, dir, config -> config.with("demo", true));
    assertPageWorksUnderItsPolicy(service);
  }

  /**
   * The page is served from memory, built once; it must stay the library's page: for the same options, the
   * same bytes as vertx-web-graphql's own handler (which reads it from its jar on every load) answers.
   */
  @Test
  void thePageServedFromMemoryIsTheLibrarysOwn(Vertx vertx, @TempDir Path dir) throws Exception {
    for (boolean demo : new boolean[] {false, true}) {
      Path serviceDir = java.nio.file.Files.createDirectories(dir.resolve("demo-" + demo));
      TestService service = TestService.start(vertx, serviceDir, config -> config.with("demo", demo));
      Router library = Router.router(vertx);
      library.route("/graphiql*").subRouter(GraphiQLHandler.create(vertx, GraphiQLPage.options(demo)).router());
      HttpServer server = vertx.createHttpServer().requestHandler(library).listen(0, "127.0.0.1").await();
      try {
        for (String path : new String[] {"/graphiql/", "/graphiql/index.html"}) {
          HttpResponse<Buffer> ours = service.client.request(HttpMethod.GET, path).send().await();
          HttpResponse<Buffer> theirs = service.client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", path).send().await();
          assertEquals(200, ours.statusCode());
          assertEquals(theirs.bodyAsString(), ours.bodyAsString(), path);
          assertEquals(theirs.getHeader("Content-Type"), ours.getHeader("Content-Type"), path);
          assertEquals(theirs.getHeader("Cache-Control"), ours.getHeader("Cache-Control"), path);
        }
        HttpResponse<Buffer> redirect = service.client.request(HttpMethod.GET, "/graphiql").followRedirects(false).send().await();
        assertEquals(302, redirect.statusCode());
        assertEquals("/graphiql/", redirect.getHeader("Location"));
      } finally {
        server.close().await();
      }
    }
  }
}
