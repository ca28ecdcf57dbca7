package org.atsassessments.graphql;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.atsassessments.repository.api.EventNames;
import org.atsassessments.ops.WorkCounters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The committed events of each account, as one HTTP verticle's subscriptions need them: one bus consumer at
 * {@code ats.assessments.events.<account_id>} per account that has a live subscription here (registered with the
 * first, unregistered with the last), whose events are shaped once for GraphQL and offered to every stream of
 * that account. Only the verticle's event loop touches it.
 */
final class LiveEvents {

  private static final class Account {
    final MessageConsumer<JsonObject> consumer;
    final Set<EventStream> streams = new LinkedHashSet<>();

    Account(MessageConsumer<JsonObject> consumer) {
      this.consumer = consumer;
    }
  }

  private final Vertx vertx;
  private final WorkCounters counters;
  private final Map<String, Account> accounts = new HashMap<>();

  LiveEvents(Vertx vertx) {
    this.vertx = vertx;
    this.counters = WorkCounters.of(vertx);
  }

  void add(EventStream stream) {
    Account account = accounts.computeIfAbsent(stream.accountId(), id -> {
      counters.liveEventConsumers.incrementAndGet();
      return new Account(vertx.eventBus().<JsonObject>consumer(EventNames.address(id), message -> offer(id, message.body())));
    });
    if (account.streams.add(stream)) counters.liveSubscriptions.incrementAndGet();
  }

  /** A compiled selection rendered an event (counted: tests hold it to once per event and shape). */
  void rendered() {
    counters.liveEventRenders.incrementAndGet();
  }

  /** A frame waits for its socket (counted: tests see back pressure happen). */
  void waited() {
    counters.liveFramesWaited.incrementAndGet();
  }

  void remove(EventStream stream) {
    Account account = accounts.get(stream.accountId());
    if (account == null || !account.streams.remove(stream)) return;
    counters.liveSubscriptions.decrementAndGet();
    if (!account.streams.isEmpty()) return;
    accounts.remove(stream.accountId());
    account.consumer.unregister();
    counters.liveEventConsumers.decrementAndGet();
  }

  private void offer(String accountId, JsonObject event) {
    Account account = accounts.get(accountId);
    if (account == null || !accountId.equals(event.getString("account_id"))) return;
    JsonObject shaped = shape(event);
    // what the event rendered to, per compiled selection: once for all the streams of one shape
    java.util.Map<Object, byte[]> rendered = new java.util.HashMap<>();
    // a stream may end (and leave the set) while being offered the event
    for (EventStream stream : new ArrayList<>(account.streams)) stream.offer(shaped, rendered);
  }

  /**
   * The event as the schema's AssessmentEvent reads it (snake_case keys): the event's own fields, and its
   * record under the field of its type. Shared, read-only, by every stream it is offered to.
   */
  static JsonObject shape(JsonObject event) {
    JsonObject shaped = new JsonObject()
      .put("id", event.getString("id"))
      .put("type", event.getString("event"))
      .put("occurred_at", event.getString("event_date"))
      .put("account_id", event.getString("account_id"))
      .put("provider", event.getString("provider"))
      .put("record_type", event.getString("record_type"))
      .put("record_id", event.getString("record_id"))
      .put("record_remote_id", event.getString("record_remote_id"));
    Object record = event.getValue("event_data");
    String recordType = event.getString("record_type");
    if (EventNames.ORDER.equals(recordType)) shaped.put("order", record);
    else if (EventNames.PACKAGE.equals(recordType)) shaped.put("package", record);
    else if (EventNames.RESULT.equals(recordType)) shaped.put("result", record);
    return shaped;
  }
}
