package org.atsassessments.edge;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.atsassessments.model.Timestamps;
import org.atsassessments.repository.api.RepositoryException;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one error mapper: every failure, from a handler, the router (404, 405, 413) or the repository, becomes
 * StackOne's error body {@code {"statusCode", "message", "timestamp"}} with a JSON content type.
 * 408, 429 and 503 carry {@code Retry-After} in seconds. Nothing internal (stack traces, exception
 * messages of unexpected failures) reaches the client.
 */
public final class StackOneErrors {

  private static final Logger LOG = Logger.getLogger(StackOneErrors.class.getName());

  /** StackOne's example messages, used when a failure carries no message of its own. */
  private static final Map<Integer, String> MESSAGES = Map.ofEntries(
    Map.entry(400, "Bad Request"),
    Map.entry(401, "Unauthorized"),
    Map.entry(403, "Forbidden resource"),
    Map.entry(404, "Not Found"),
    Map.entry(405, "Method Not Allowed"),
    Map.entry(408, "Request timed out"),
    Map.entry(409, "Conflict"),
    Map.entry(412, "Precondition failed"),
    Map.entry(413, "Payload Too Large"),
    Map.entry(414, "URI Too Long"),
    Map.entry(415, "Unsupported Media Type"),
    Map.entry(422, "Unprocessable Entity"),
    Map.entry(429, "Too many requests"),
    Map.entry(431, "Request Header Fields Too Large"),
    Map.entry(500, "Internal server error"),
    Map.entry(501, "Not Implemented"),
    Map.entry(502, "Bad Gateway"),
    Map.entry(503, "Service Unavailable"));

  /** Seconds a client should wait before retrying, per status. */
  private static final Map<Integer, String> RETRY_AFTER = Map.of(408, "1", 429, "60", 503, "5");

  static final String REALM = "ats-assessments";

  private StackOneErrors() {
  }

  public static JsonObject body(int status, String message) {
    return new JsonObject()
      .put("statusCode", status)
      .put("message", message == null || message.isBlank() ? defaultMessage(status) : message)
      .put("timestamp", Timestamps.now());
  }

  public static String defaultMessage(int status) {
    return MESSAGES.getOrDefault(status, status >= 500 ? "Internal server error" : "Bad Request");
  }

  /** Writes an error response; safe to call when the response is already gone. */
  public static void respond(RoutingContext rc, int status, String message) {
    respond(rc.response(), status, message);
  }

  /** An error response with its own {@code Retry-After} in seconds. */
  public static void respond(RoutingContext rc, int status, String message, long retryAfterSeconds) {
    respond(rc.response(), status, message, String.valueOf(retryAfterSeconds));
  }

  /** The same for a response outside any route (a request the HTTP decoder refused). */
  public static void respond(HttpServerResponse response, int status, String message) {
    respond(response, status, message, RETRY_AFTER.get(status));
  }

  private static void respond(HttpServerResponse response, int status, String message, String retryAfter) {
    if (response.ended() || response.headWritten()) {
      return;
    }
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    if (retryAfter != null) response.putHeader(HttpHeaders.RETRY_AFTER, retryAfter);
    if (status == 401) response.putHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
    response.end(body(status, message).toBuffer());
  }

  /** Router failure handler. */
  public static void handle(RoutingContext rc) {
    handle(rc, 500);
  }

  /**
   * The router's error handler for {@code status}. The router does not always record the status it calls it
   * for (a path it cannot decode is handed over as 400 with none set), so it is given here.
   */
  public static void handle(RoutingContext rc, int status) {
    Throwable failure = rc.failure();
    if (failure instanceof RepositoryException repository) {
      // the bus client classified it; a 5xx of the repository's own says nothing more than its status here
      respond(rc, repository.status(), repository.getMessage());
    } else if (failure instanceof HttpException http) {
      respond(rc, http.getStatusCode(), http.getPayload());
    } else if (failure != null && rc.statusCode() >= 400 && rc.statusCode() < 500) {
      // a refusal by a library handler (GraphQL: "Query is missing", undecodable JSON): its words, shortened
      String message = failure.getMessage();
      respond(rc, rc.statusCode(), message == null ? null : message.length() > 200 ? message.substring(0, 200) : message);
    } else if (failure != null) {
      LOG.log(Level.SEVERE, "unexpected failure on " + rc.request().method() + " " + rc.request().path(), failure);
      respond(rc, 500, null);
    } else {
      respond(rc, rc.statusCode() < 400 ? status : rc.statusCode(), null);
    }
  }

  /**
   * Requests the HTTP decoder refused before any route saw them (a request line or headers too long, bytes
   * that are not HTTP): the statuses Vert.x would send, with StackOne's body instead of an empty one.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = cause instanceof TooLongHttpLineException ? 414 : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    SecurityHeaders.apply(request.response().headers(), true);
    respond(request.response(), status, null);
    request.connection().close();
  }
}
