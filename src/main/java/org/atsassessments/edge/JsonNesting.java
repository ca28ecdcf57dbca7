package org.atsassessments.edge;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * Refuses (400) a JSON body nested deeper than {@code json_max_depth} (default 100, at most
 * {@value #CEILING}) arrays or objects, before anything decodes
 * it. Jackson accepts up to 1,000 levels, but the event loop's stack does not survive converting, validating
 * and encoding such a document (at 900 levels a POST never got an answer); StackOne's bodies need a handful.
 * Counted over the bytes in one pass, brackets inside strings excepted. GraphQL documents sent as
 * {@code application/graphql} are not JSON and have their own depth limit.
 */
final class JsonNesting implements Handler<RoutingContext> {

  static final int CEILING = 500;

  private final int maxDepth;

  JsonNesting(int maxDepth) {
    this.maxDepth = Math.min(maxDepth, CEILING);
  }

  @Override
  public void handle(RoutingContext rc) {
    Buffer body = rc.body().buffer();
    String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (body != null && (type == null || !type.startsWith("application/graphql")) && depth(body) > maxDepth) {
      rc.fail(new HttpException(400, "The request body is nested deeper than " + maxDepth + " levels"));
      return;
    }
    rc.next();
  }

  static int depth(Buffer body) {
    int depth = 0;
    int deepest = 0;
    boolean inString = false;
    boolean escaped = false;
    for (int i = 0, length = body.length(); i < length; i++) {
      byte b = body.getByte(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (b == '\\') escaped = true;
        else if (b == '"') inString = false;
      } else if (b == '"') {
        inString = true;
      } else if (b == '[' || b == '{') {
        deepest = Math.max(deepest, ++depth);
      } else if (b == ']' || b == '}') {
        depth--;
      }
    }
    return deepest;
  }
}
