package org.atsassessments.graphql;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One {@code assessmentEvents} subscription: the events of its account (of the types asked), as a Reactive
 * Streams publisher for graphql-java. An event waits here while the subscriber has asked for none or the
 * WebSocket's write queue is full (vertx-web-graphql asks for the next one as soon as it wrote the last, without
 * looking at the socket); past {@code maxPending} waiting, or once the account is no longer the caller's, the
 * subscription ends with an error and its events are dropped, so a client that does not read costs bounded
 * memory. Cancelled (the client's {@code complete}, the socket closed), it leaves {@link LiveEvents}, which
 * unregisters the account's bus consumer with the last stream. Every call runs on the connection's event loop.
 */
final class EventStream implements Publisher<Object>, Subscription {

  /** Where the events go: the connection ({@link WebSocketSession}), which holds its streams. */
  interface Sink {
    boolean writeQueueFull();

    /**
     * Writes one text frame to the socket, the UTF-8 bytes {@code start}, {@code payload} and a closing
     * {@code "}"}, after every frame written before it (possibly not flushed yet: {@link FrameFlusher}).
     */
    void write(byte[] start, byte[] payload);

    /** Puts what {@link #write} wrote ahead of anything written to the socket past this sink (graphql-java's). */
    void push();

    void add(EventStream stream);

    void remove(EventStream stream);
  }

  /** How a subscription ended on the server's side; its text is what the client's error message says. */
  static final class Ended extends RuntimeException {
    Ended(String message) {
      super(message, null, false, false);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }

  private final Context context;
  private final LiveEvents live;
  private final Sink session;
  private final String accountId;
  private final Set<String> types;
  private final int maxPending;
  private final BooleanSupplier granted;
  private final ArrayDeque<Object> pending = new ArrayDeque<>();
  /** The compiled selection, or null: then every event goes through graphql-java. */
  private final CompiledQuery.EventSelection compiled;
  /** {@code {"id":<the subscription's>,"type":"next","payload":}, UTF-8: the start of each frame written here. */
  private final byte[] frameStart;
  /** The payloads of frames rendered here, waiting for the socket. */
  private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
  /** An event the compiled selection could not render: this and every later event go through graphql-java. */
  private boolean slow;
  private Subscriber<? super Object> subscriber;
  private long demand;
  private boolean done;

  /**
   * With {@code compiled} (and the subscription's {@code id}; either null: every event through graphql-java), an
   * event is rendered once per shape of subscription ({@link LiveEvents} keeps what each event rendered to) and
   * written to the socket as graphql-java's own frame would be, without graphql-java's per-field execution or a
   * second encoding per subscriber.
   */
  EventStream(Context context, LiveEvents live, Sink session, String accountId, Set<String> types, int maxPending,
              BooleanSupplier granted, CompiledQuery.EventSelection compiled, String subscriptionId) {
    this.compiled = compiled == null || subscriptionId == null ? null : compiled;
    String start = new JsonObject().put("id", subscriptionId).put("type", "next").encode();
    this.frameStart = (start.substring(0, start.length() - 1) + ",\"payload\":").getBytes(StandardCharsets.UTF_8);
    this.context = context;
    this.live = live;
    this.session = session;
    this.accountId = accountId;
    this.types = types;
    this.maxPending = maxPending;
    this.granted = granted;
  }

  String accountId() {
    return accountId;
  }

  @Override
  public void subscribe(Subscriber<? super Object> s) {
    onContext(() -> {
      if (subscriber != null) {
        s.onSubscribe(this);
        s.onError(new Ended("this subscription has a subscriber already"));
        return;
      }
      subscriber = s;
      live.add(this);
      session.add(this);
      s.onSubscribe(this);
    });
  }

  @Override
  public void request(long n) {
    onContext(() -> {
      if (done) return;
      if (n <= 0) {
        end(new Ended("request must be positive"));
        return;
      }
      demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      drain();
    });
  }

  @Override
  public void cancel() {
    onContext(() -> {
      if (done) return;
      done = true;
      leave();
    });
  }

  /** The marker of an event the compiled selection could not render. */
  private static final byte[] BEYOND = new byte[0];

  /**
   * An event of the account (shaped by {@link LiveEvents}), with what it rendered to for each compiled selection so
   * far (UTF-8, shared by its streams); on the event loop.
   */
  void offer(JsonObject event, java.util.Map<Object, byte[]> rendered) {
    if (done || (types != null && !types.contains(event.getString("type")))) return;
    if (!granted.getAsBoolean()) {
      end(new Ended("NOT_FOUND: account " + accountId + " is no longer available to this caller"));
      return;
    }
    if (compiled != null && !slow) {
      byte[] payload = rendered.computeIfAbsent(compiled, selection -> {
        live.rendered();
        String text = compiled.render(event);
        return text == null ? BEYOND : text.getBytes(StandardCharsets.UTF_8);
      });
      if (payload != BEYOND) {
        if (frames.isEmpty() && !session.writeQueueFull()) {
          session.write(frameStart, payload);
        } else {
          frames.add(payload);
          live.waited();
          if (frames.size() > maxPending) tooSlow();
        }
        return;
      }
      slow = true;  // graphql-java from here on, in order
    }
    pending.add(event);
    if (pending.size() > maxPending) {
      tooSlow();
      return;
    }
    drain();
  }

  private void tooSlow() {
    end(new Ended("SUBSCRIBER_TOO_SLOW: more than " + maxPending + " events waited for this subscriber; resubscribe and"
      + " catch up from GET /unified/ats/assessments/events"));
  }

  /** Sends what is waiting while the subscriber asks for it and the socket takes it (also when the socket drained). */
  void drain() {
    while (!done && !frames.isEmpty() && !session.writeQueueFull()) session.write(frameStart, frames.poll());
    while (!done && frames.isEmpty() && demand > 0 && !pending.isEmpty() && !session.writeQueueFull()) {
      demand--;
      session.push();  // graphql-java's frame after the compiled ones before it
      subscriber.onNext(pending.poll());
    }
  }

  private void end(Ended why) {
    done = true;
    leave();
    session.push();  // the error after the frames before it
    if (subscriber != null) subscriber.onError(why);
  }

  private void leave() {
    pending.clear();
    frames.clear();
    live.remove(this);
    session.remove(this);
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
