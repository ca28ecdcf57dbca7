package org.atsassessments.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.atsassessments.repository.bus.RepositoryMessages;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what crosses the event bus between the facades and the repository on one Vert.x instance:
 * each request (action and body) and each JSON reply. Tests count and inspect them.
 */
public final class BusRecorder {

  public record Request(String action, JsonObject body) {
  }

  public final List<Request> requests = new CopyOnWriteArrayList<>();
  public final List<JsonObject> replies = new CopyOnWriteArrayList<>();

  private BusRecorder() {
  }

  public static BusRecorder on(Vertx vertx) {
    BusRecorder recorder = new BusRecorder();
    vertx.eventBus().addOutboundInterceptor(context -> {
      var message = context.message();
      if (RepositoryMessages.ADDRESS.equals(message.address())) {
        String action = message.headers().get(RepositoryMessages.ACTION);
        if (!RepositoryMessages.PING.equals(action)) {
          recorder.requests.add(new Request(action, ((JsonObject) message.body()).copy()));
        }
      } else if (message.body() instanceof JsonObject reply) {
        recorder.replies.add(reply.copy());
      } else if (message.body() instanceof Buffer bytes && bytes.length() > 0 && bytes.getByte(0) == '{') {
        recorder.replies.add(new JsonObject(bytes));  // replies may travel as their JSON bytes
      }
      context.next();
    });
    return recorder;
  }

  public void clear() {
    requests.clear();
    replies.clear();
  }

  public List<String> actions() {
    return requests.stream().map(Request::action).toList();
  }
}
