package org.atsassessments.repository.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.Timestamps;
import org.atsassessments.repository.api.CreatedOrder;
import org.atsassessments.repository.api.Exchange;
import org.atsassessments.repository.api.NewOrder;
import org.atsassessments.repository.api.PackageWrite;
import org.atsassessments.repository.api.Page;
import org.atsassessments.repository.api.PageReply;
import org.atsassessments.repository.api.Read;
import org.atsassessments.repository.api.RecordReply;
import org.atsassessments.repository.api.RepositoryException;
import org.atsassessments.repository.api.ResultUpdate;
import org.atsassessments.repository.api.ResultUpdated;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire of the repository protocol, as {@code schema/event-bus.md} describes it: addresses, the action
 * header, and each request and reply as plain JSON (snake_case keys, like the REST wire). The bus client writes
 * requests and reads replies, the dispatcher reads requests and writes replies; nothing else knows these keys.
 * Reading a request checks only that it is well formed (a bridge or a verticle in another language may send
 * one); what a client may ask was checked at the edge, when the typed values were built.
 */
public final class RepositoryMessages {

  /** Where requests go; every repository node consumes here. */
  public static final String ADDRESS = "ats.assessments.repository";
  /** The delivery header naming the action. */
  public static final String ACTION = "action";
  /** The delivery header carrying the HTTP request id, named in the repository's log lines. */
  public static final String REQUEST_ID = "request-id";
  /** The reply header carrying a versioned record's ETag. */
  public static final String ETAG = "etag";

  public static final String GET_ORDER = "order.get";
  public static final String LIST_ORDERS = "order.list";
  public static final String CREATE_ORDER = "order.create";
  public static final String GET_RESULT = "result.get";
  public static final String GET_RESULTS = "result.getMany";
  public static final String UPDATE_RESULT = "result.update";
  public static final String GET_PACKAGE = "package.get";
  public static final String LIST_PACKAGES = "package.list";
  public static final String PUT_PACKAGE = "package.put";
  public static final String RECORD_REPORT = "order.report";
  public static final String PING = "ping";
  public static final String LIST_EVENTS = "event.list";
  public static final String CREATE_WEBHOOK = "webhook.create";
  public static final String LIST_WEBHOOKS = "webhook.list";
  public static final String GET_WEBHOOK = "webhook.get";
  public static final String UPDATE_WEBHOOK = "webhook.update";
  public static final String DELETE_WEBHOOK = "webhook.delete";
  public static final String ROTATE_WEBHOOK_SECRET = "webhook.rotate";
  public static final String LIST_DELIVERIES = "delivery.list";
  public static final String REDELIVER = "delivery.redeliver";
  /** The actions whose caller is a user (a subscription's owner) rather than a linked account. */
  static final java.util.Set<String> OWNER_ACTIONS = java.util.Set.of(CREATE_WEBHOOK, LIST_WEBHOOKS, GET_WEBHOOK,
    UPDATE_WEBHOOK, DELETE_WEBHOOK, ROTATE_WEBHOOK_SECRET, LIST_DELIVERIES, REDELIVER);

  static final JsonObject PONG = new JsonObject().put("status", "UP");

  private RepositoryMessages() {
  }

  /** The address only the repository of cluster node {@code nodeId} consumes (the bus client routes by it). */
  static String nodeAddress(String nodeId) {
    return ADDRESS + ".node." + nodeId;
  }

  // ---- requests: written by the client --------------------------------------------------------------------

  static JsonObject account(String accountId) {
    return new JsonObject().put("account_id", accountId);
  }

  static JsonObject owner(String user) {
    return new JsonObject().put("owner", user);
  }

  static JsonObject withRead(JsonObject message, Read read) {
    return message.put("fields", read.fields() == null ? null : new JsonArray(read.fields())).put("raw", read.raw());
  }

  static JsonObject withPage(JsonObject message, Page page) {
    message.put("page_size", page.size()).put("next", page.after())
      .put("updated_after", page.updatedAfter() == null ? null : Timestamps.format(page.updatedAfter()));
    return page.cursors() ? message.put("cursors", true) : message;
  }

  static JsonObject withOrder(JsonObject message, NewOrder order) {
    return message.put("order", order.body()).put("request", order.request().toJson())
      .put("test_url_template", order.testUrlTemplate()).put("results_update_url_template", order.resultsUpdateUrlTemplate());
  }

  static JsonObject withUpdate(JsonObject message, ResultUpdate update) {
    return message.put("result", update.body()).put("if_match", update.ifMatch()).put("request", update.request().toJson())
      .put("request_key", update.key());
  }

  static JsonObject withPackage(JsonObject message, PackageWrite write) {
    return message.put("package", write.body()).put("request", write.request().toJson());
  }

  // ---- requests: read by the dispatcher -------------------------------------------------------------------

  static String required(JsonObject body, String key) {
    if (!(body.getValue(key) instanceof String value) || value.isEmpty()) throw refused(key + " is required");
    return value;
  }

  static String optional(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value != null && !(value instanceof String)) throw refused(key + " must be a string");
    return (String) value;
  }

  static Read read(JsonObject body) {
    return new Read(body.getValue("fields") == null ? null : strings(body, "fields"), Boolean.TRUE.equals(body.getValue("raw")));
  }

  static Page page(JsonObject body) {
    Object size = body.getValue("page_size");
    int pageSize = Page.DEFAULT_SIZE;
    if (size != null) {
      if (!(size instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 1 || n.longValue() > Page.MAX_SIZE) {
        throw refused("page_size must be a whole number from 1 to " + Page.MAX_SIZE);
      }
      pageSize = n.intValue();
    }
    Object next = body.getValue("next");
    if (next != null && !(next instanceof String)) throw refused("next is not a cursor of this list");
    String updatedAfter = optional(body, "updated_after");
    Instant after = updatedAfter == null ? null : Timestamps.parse(updatedAfter);
    if (updatedAfter != null && after == null) throw refused("updated_after must be an ISO 8601 date-time with a zone");
    return new Page(pageSize, (String) next, after, Boolean.TRUE.equals(body.getValue("cursors")));
  }

  static List<String> strings(JsonObject body, String key) {
    if (!(body.getValue(key) instanceof JsonArray values)) throw refused(key + " must be an array of strings");
    List<String> strings = new ArrayList<>(values.size());
    for (Object value : values) {
      if (!(value instanceof String text)) throw refused(key + " must be an array of strings");
      strings.add(text);
    }
    return strings;
  }

  static Exchange exchange(JsonObject body) {
    JsonObject request = body.getValue("request") instanceof JsonObject given ? given : new JsonObject();
    return Exchange.fromJson(request);
  }

  static NewOrder newOrder(JsonObject body) {
    return new NewOrder(body.getValue("order"), exchange(body), optional(body, "test_url_template"),
      optional(body, "results_update_url_template"));
  }

  static ResultUpdate resultUpdate(JsonObject body) {
    return new ResultUpdate(body.getValue("result"), optional(body, "if_match"), exchange(body), optional(body, "request_key"));
  }

  static PackageWrite packageWrite(JsonObject body) {
    return new PackageWrite(body.getValue("package"), exchange(body));
  }

  /** An optional array of strings; null when absent. */
  static List<String> optionalStrings(JsonObject body, String key) {
    return body.getValue(key) == null ? null : strings(body, key);
  }

  /** A JSON object under {@code key} (a webhook's fields); an empty one when absent. */
  static JsonObject object(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value == null) return new JsonObject();
    if (!(value instanceof JsonObject object)) throw refused(key + " must be a JSON object");
    return object;
  }

  private static RepositoryException refused(String message) {
    return new RepositoryException(400, message);
  }

  // ---- replies: read by the client ------------------------------------------------------------------------

  static RecordReply record(Message<Object> reply) {
    String etag = reply.headers().get(ETAG);
    return reply.body() instanceof Buffer bytes ? RecordReply.encoded(bytes, etag) : RecordReply.of((JsonObject) reply.body(), etag);
  }

  static PageReply page(Message<Object> reply) {
    return new PageReply(json(reply));
  }

  static CreatedOrder created(Message<Object> reply) {
    return CreatedOrder.fromJson(json(reply));
  }

  static ResultUpdated updated(Message<Object> reply) {
    return ResultUpdated.fromJson(json(reply), reply.headers().get(ETAG));
  }

  static List<JsonObject> results(Message<Object> reply) {
    JsonArray data = json(reply).getJsonArray("data");
    List<JsonObject> results = new ArrayList<>(data.size());
    for (Object item : data) results.add((JsonObject) item);
    return results;
  }

  /** A reply body that is JSON, as a tree whatever form it travelled in. */
  static JsonObject json(Message<Object> reply) {
    return reply.body() instanceof Buffer bytes ? new JsonObject(bytes) : (JsonObject) reply.body();
  }

  static JsonObject resultsReply(List<JsonObject> results) {
    return new JsonObject().put("data", new JsonArray(new ArrayList<>(results)));
  }
}
