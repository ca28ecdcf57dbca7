package org.atsassessments.rest;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.atsassessments.repository.Reply;

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

  /** What {@code raw} shows of the request that wrote a record. */
  static JsonObject exchange(RoutingContext rc) {
    return new JsonObject().put("method", rc.request().method().name()).put("url", rc.request().absoluteURI());
  }

  /** The repository's answer, when it comes: 200 with its body, or the failure for the error handler. */
  static void send(RoutingContext rc, Future<Reply> reply) {
    reply.onSuccess(answer -> ok(rc, answer)).onFailure(rc::fail);
  }

  /** 200, JSON, and the record's ETag when it has one. Always 200: StackOne's clients reject 201 and 204. */
  static void ok(RoutingContext rc, Reply reply) {
    if (reply.etag() != null) rc.response().putHeader(HttpHeaders.ETAG, reply.etag());
    rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(reply.bytes());
  }
}
