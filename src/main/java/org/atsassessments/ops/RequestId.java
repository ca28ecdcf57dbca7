package org.atsassessments.ops;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The request id of the HTTP request being handled: the client's {@code X-Request-Id} when it is 1 to 128
 * characters of {@code [A-Za-z0-9._:-]}, else a generated one. Vert.x runs each HTTP request on its own
 * duplicated context; the id is kept in that context's local data, so code that handles the request (the
 * repository client putting it on event-bus messages) finds it without it being passed along.
 */
public final class RequestId {

  public static final String HEADER = "X-Request-Id";
  /** The delivery header that carries it to the repository. */
  public static final String BUS_HEADER = "request-id";
  private static final Object KEY = RequestId.class;
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestId() {
  }

  /** The client's id if acceptable, else a new one (16 hex digits). */
  public static String accept(String given) {
    if (given != null && VALID.matcher(given).matches()) return given;
    String hex = Long.toHexString(ThreadLocalRandom.current().nextLong());
    return hex.length() == 16 ? hex : "0".repeat(16 - hex.length()) + hex;
  }

  /** Remembers the id for the rest of this request's handling. */
  public static void bind(String id) {
    Context context = Vertx.currentContext();
    if (context instanceof ContextInternal internal && internal.isDuplicate()) internal.localContextData().put(KEY, id);
  }

  /** The id of the request being handled on this context, or null. */
  public static String current() {
    Context context = Vertx.currentContext();
    return context instanceof ContextInternal internal && internal.isDuplicate()
      ? (String) internal.localContextData().get(KEY) : null;
  }
}
