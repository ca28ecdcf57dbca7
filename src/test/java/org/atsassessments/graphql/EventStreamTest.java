package org.atsassessments.graphql;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.atsassessments.ops.WorkCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscription's memory is bounded whatever the client does: events wait while the subscriber asks for none or
 * the socket's write queue is full, and past graphql_ws_max_pending_events the subscription ends with
 * SUBSCRIBER_TOO_SLOW and leaves the account's bus consumer (exactly when a socket is full cannot be chosen over
 * loopback, whose kernel buffers take megabytes: the connection is a stand-in here, the publisher, LiveEvents and
 * the bus are real; GraphQLSubscriptionsTest fills a real socket with a paused client and sees it catch up).
 */
@ExtendWith(VertxExtension.class)
class EventStreamTest {

  /** The connection as the stream sees it: its write queue full or not. */
  private static final class Connection implements EventStream.Sink {
    boolean full;
    final List<EventStream> streams = new ArrayList<>();
    final List<String> written = new ArrayList<>();

    @Override
    public void write(byte[] start, byte[] payload) {
      written.add(new String(start, java.nio.charset.StandardCharsets.UTF_8) + new String(payload, java.nio.charset.StandardCharsets.UTF_8) + "}");
    }

    @Override
    public void push() {
    }

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public void add(EventStream stream) {
      streams.add(stream);
    }

    @Override
    public void remove(EventStream stream) {
      streams.remove(stream);
    }
  }

  private static final class Recorder implements Subscriber<Object> {
    Subscription subscription;
    final List<Object> received = new ArrayList<>();
    Throwable error;

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
    }

    @Override
    public void onNext(Object item) {
      received.add(item);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onComplete() {
    }
  }

  private static <T> T on(Context context, Callable<T> action) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> {
      try {
        done.complete(action.call());
      } catch (Exception e) {
        done.fail(e);
      }
    });
    return done.future().await();
  }

  private static JsonObject event(int n) {
    return new JsonObject().put("id", "e" + n).put("type", "ats_assessments.created").put("account_id", "acme");
  }

  @Test
  void aSubscriberThatDoesNotKeepUpIsEndedAndItsEventsDropped(Vertx vertx) {
    Context context = vertx.getOrCreateContext();
    WorkCounters counters = WorkCounters.of(vertx);
    Connection connection = new Connection();
    Recorder recorder = new Recorder();
    LiveEvents live = on(context, () -> new LiveEvents(vertx));
    EventStream stream = on(context, () -> {
      EventStream created = new EventStream(context, live, connection, "acme", null, 2, () -> true, null, null);
      created.subscribe(recorder);
      return created;
    });
    assertEquals(1, counters.liveEventConsumers.get());

    // asked for one, sent one; the next two wait for demand
    on(context, () -> {
      recorder.subscription.request(1);
      for (int i = 0; i < 3; i++) stream.offer(event(i), new HashMap<>());
      return null;
    });
    assertEquals(1, recorder.received.size());
    assertEquals(null, recorder.error);
    // demand, but the socket's write queue is full: they wait, and the third waiting one ends the subscription
    on(context, () -> {
      connection.full = true;
      recorder.subscription.request(10);
      stream.offer(event(3), new HashMap<>());
      return null;
    });
    assertEquals(1, recorder.received.size());
    assertTrue(String.valueOf(recorder.error).startsWith("SUBSCRIBER_TOO_SLOW"), String.valueOf(recorder.error));
    assertEquals(List.of(), connection.streams);
    assertEquals(0, counters.liveEventConsumers.get(), "the account's bus consumer unregistered with its last stream");
    on(context, () -> {
      stream.offer(event(4), new HashMap<>());
      connection.full = false;
      stream.drain();
      return null;
    });
    assertEquals(1, recorder.received.size(), "nothing after the end");
  }

  @Test
  void whatWaitedForTheSocketIsSentWhenItDrains(Vertx vertx) {
    Context context = vertx.getOrCreateContext();
    Connection connection = new Connection();
    Recorder recorder = new Recorder();
    LiveEvents live = on(context, () -> new LiveEvents(vertx));
    EventStream stream = on(context, () -> {
      EventStream created = new EventStream(context, live, connection, "acme", null, 100, () -> true, null, null);
      created.subscribe(recorder);
      connection.full = true;
      recorder.subscription.request(Long.MAX_VALUE);
      for (int i = 0; i < 5; i++) created.offer(event(i), new HashMap<>());
      return created;
    });
    assertEquals(0, recorder.received.size());
    on(context, () -> {
      connection.full = false;
      stream.drain();  // what the socket's drain handler does
      return null;
    });
    assertEquals(5, recorder.received.size());
    on(context, () -> {
      recorder.subscription.cancel();
      return null;
    });
    assertEquals(List.of(), connection.streams);
  }
}
