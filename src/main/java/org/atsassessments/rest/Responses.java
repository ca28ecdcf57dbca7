package org.atsassessments.rest;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

import java.util.function.Function;

/** Request bodies in, repository replies out: the same for every REST route. */
final class Responses {

  private Responses() {
  }

  /** Any JSON value; whether it is the right one is the repository's call (422). Not JSON at all → 400. */
  static Object jsonBody(RoutingContext rc) {
    Buffer body = rc.body().buffer();
    if (body == null || body.length() == 0) throw new HttpException(400, "A JSON request body is required");
    try {
      return Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new HttpException(400, "The request body is not valid JSON");
    }
  }

  /**
   * The repository's answer, when it comes: 200 with its body as JSON bytes and the record's ETag when it has one,
   * or the failure for the error handler. Always 200: StackOne's clients reject 201 and 204.
   */
  static <T> void send(RoutingContext rc, Future<T> reply, Function<T, Buffer> body, Function<T, String> etag) {
    reply.onSuccess(answer -> {
      String tag = etag == null ? null : etag.apply(answer);
      if (tag != null) rc.response().putHeader(HttpHeaders.ETAG, tag);
      rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.apply(answer));
    }).onFailure(rc::fail);
  }
}
