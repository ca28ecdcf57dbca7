package org.atsassessments.bridge;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.bridge.BaseBridgeEvent;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import org.atsassessments.edge.Gate;
import org.atsassessments.ops.Metrics;
import org.atsassessments.repository.api.EventNames;
import org.atsassessments.repository.api.RepositoryException;
import org.atsassessments.repository.api.Scope;
import org.atsassessments.repository.bus.RepositoryBusClient;
import org.atsassessments.repository.bus.RepositoryMessages;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The rules of the event-bus bridges (SockJS at {@code /eventbus}, and TCP), one instance per HTTP verticle.
 * Every frame a client sends carries headers {@code authorization} (Basic) and {@code x-account-id}, checked by
 * the edge's {@link Gate} like an HTTP request (users, credential cache, lockouts, rate limit, grants). A client may
 * <ul>
 *   <li>send the repository's read actions ({@value #READS_TEXT}, in the {@code action} header) to
 *   {@code ats.assessments.repository} for its granted account: the read is made through the service's own bus
 *   client with {@code account_id} the checked {@code x-account-id}, whatever the body says, and answered as one
 *   JSON object, whatever codec the repository answered with; a refusal is the reply's failure, its code the
 *   HTTP status a route would answer ({@link #read});</li>
 *   <li>register at {@code ats.assessments.events.<account_id>} of an account granted to it, the address naming
 *   the account ({@link #register}); where the bridge tells of each event on its way out (SockJS), the grant is
 *   checked again for it, so a grant revoked stops them.</li>
 * </ul>
 * Everything else (publishing, other addresses, write actions, other accounts) is refused. The SockJS bridge's own
 * permitted lists open only this verticle's local gateway (inbound: a checked send is rewritten to it, carrying
 * its answer) and the events addresses (outbound), so nothing this class did not rewrite passes.
 */
public final class BusBridge {

  static final Set<String> READS = Set.of(RepositoryMessages.GET_ORDER, RepositoryMessages.LIST_ORDERS,
    RepositoryMessages.GET_RESULT, RepositoryMessages.GET_PACKAGE, RepositoryMessages.LIST_PACKAGES);
  static final String READS_TEXT = "order.get, order.list, result.get, package.get, package.list";
  static final String EVENTS_PREFIX = EventNames.ADDRESS + ".";
  private static final String REFUSED_STATUS = "ats-refused-status";
  private static final String REFUSED_MESSAGE = "ats-refused-message";
  private static final Logger LOG = Logger.getLogger(BusBridge.class.getName());
  private static final io.micrometer.core.instrument.Counter REFUSALS = Metrics.counter("ats.refusals", "reason", "bridge");

  /** How a bridge writes a refusal of a registration to its client (in its own frame format). */
  public interface Refusals {
    void registerRefused(String address, int status, String message);
  }

  private final Gate gate;
  private final RepositoryBusClient repository;
  private final String gateway;
  /** SockJS: per socket, the addresses it registered at and the user each registration was made by. */
  private final Map<Object, Map<String, String>> registrations = new HashMap<>();

  public BusBridge(Vertx vertx, Gate gate, RepositoryBusClient repository) {
    this.gate = gate;
    this.repository = repository;
    this.gateway = "ats.assessments.bridge." + UUID.randomUUID();
    vertx.eventBus().<Object>localConsumer(gateway, this::answer);
  }

  // ---- the rules, for either bridge --------------------------------------------------------------------------

  /**
   * A client's send: to the repository's address, a read action, a JSON object body, credentials and account as
   * the edge checks them, one request counted. The answer, or a {@link Gate.Refused} with the status a route would
   * give: 404 another address, 403 not a read action, 400 a body that is not an object (or a read the repository
   * refuses), 401, 429, 404 not granted or unknown account, 412 disabled.
   */
  public Future<JsonObject> read(String address, JsonObject headers, Object body, SocketAddress remote, MultiMap upgradeHeaders) {
    String action = Gate.header(headers, RepositoryMessages.ACTION);
    if (!RepositoryMessages.ADDRESS.equals(address)) {
      return refused(404, "address " + address + " is not open to bridge clients");
    }
    if (action == null || !READS.contains(action)) {
      return refused(403, "action " + action + " is not open to bridge clients (only " + READS_TEXT + ")");
    }
    if (body != null && !(body instanceof JsonObject)) return refused(400, "the body must be a JSON object");
    return admitted(headers, remote, upgradeHeaders).compose(admitted ->
        repository.bridgeRead(new Scope(admitted.accountId(), Gate.header(headers, RepositoryMessages.REQUEST_ID)), action,
          body == null ? new JsonObject() : (JsonObject) body))
      .recover(failure -> {
        if (failure instanceof Gate.Refused) REFUSALS.increment();  // the repository's own answers (404 …) are not
        return Future.failedFuture(refusal(failure));
      });
  }

  /**
   * A client's registration: at {@code ats.assessments.events.<account_id>} of an account granted to the user
   * (the address names it; x-account-id is not read). The user, or a {@link Gate.Refused}: 404 another address,
   * 401, 429, 404 not granted or unknown, 412 disabled.
   */
  public Future<String> register(String address, JsonObject headers, SocketAddress remote, MultiMap upgradeHeaders) {
    String accountId = eventsAccount(address);
    if (accountId == null) {
      REFUSALS.increment();
      return refused(404, "address " + address + " is not open to bridge clients");
    }
    return admitted(headers.copy().put("x-account-id", accountId), remote, upgradeHeaders).map(Admitted::user)
      .recover(failure -> {
        REFUSALS.increment();
        return Future.failedFuture(refusal(failure));
      });
  }

  /** Whether events at this address may still go to that user (the grant and the account as they are now). */
  public boolean stillGranted(String user, String address) {
    String accountId = eventsAccount(address);
    return user != null && accountId != null && gate.stillGranted(user, accountId);
  }

  /** The account of an events address, or null when it is not one. */
  static String eventsAccount(String address) {
    if (address == null || !address.startsWith(EVENTS_PREFIX) || address.length() == EVENTS_PREFIX.length()
      || address.indexOf('.', EVENTS_PREFIX.length()) >= 0) {
      return null;
    }
    return address.substring(EVENTS_PREFIX.length());
  }

  /** Who a frame's credentials proved, and the account they may use. */
  private record Admitted(String user, String accountId) {
  }

  /** The frame's credentials and account, as the HTTP edge checks them, and one request counted. */
  private Future<Admitted> admitted(JsonObject headers, SocketAddress remote, MultiMap upgradeHeaders) {
    return gate.authenticate(Gate.header(headers, "authorization"), remote, upgradeHeaders).map(user -> {
      String accountId = gate.account(user, Gate.header(headers, "x-account-id")).id();
      gate.admit(user);
      return new Admitted(user, accountId);
    });
  }

  private static <T> Future<T> refused(int status, String message) {
    REFUSALS.increment();
    return Future.failedFuture(new Gate.Refused(status, message, 0));
  }

  /** What a failure says to the client: a refusal's status, a repository failure's, else a generic 500. */
  static Gate.Refused refusal(Throwable failure) {
    if (failure instanceof Gate.Refused refused) return refused;
    if (failure instanceof RepositoryException known) {
      return new Gate.Refused(known.status(), known.status() >= 500 ? "Internal server error" : known.getMessage(), 0);
    }
    LOG.warning("bridge request failed: " + failure);
    return new Gate.Refused(500, "Internal server error", 0);
  }

  // ---- the SockJS bridge ---------------------------------------------------------------------------------------

  /** The SockJS bridge's options: only the gateway in, only events out. */
  public SockJSBridgeOptions sockJsOptions(long replyTimeoutMs, int maxRegistrations) {
    return new SockJSBridgeOptions()
      .addInboundPermitted(new PermittedOptions().setAddress(gateway))
      .addOutboundPermitted(new PermittedOptions().setAddressRegex(Pattern.quote(EVENTS_PREFIX) + "[^.]+"))
      .setReplyTimeout(replyTimeoutMs)
      .setMaxHandlersPerSocket(maxRegistrations);
  }

  /**
   * One SockJS bridge event of {@code socket}, whose client is at {@code remote} (with the upgrade request's
   * {@code headers}, for X-Forwarded-For). A send is answered here and rewritten to the gateway with its answer
   * (or refusal) as the body, so the reply reaches the client through the bridge as a reply (or a failure with
   * its code); a send without a reply address has nobody to tell and is dropped.
   */
  public void handle(BaseBridgeEvent event, Object socket, SocketAddress remote, MultiMap headers, Refusals refusals) {
    BridgeEventType type = event.type();
    JsonObject raw = event.getRawMessage();
    switch (type) {
      case SEND -> {
        JsonObject frameHeaders = raw.getValue("headers") instanceof JsonObject given ? given : new JsonObject();
        read(raw.getString("address"), frameHeaders, raw.getValue("body"), remote, headers).onComplete(done -> {
          if (raw.getString("replyAddress") == null) {
            event.complete(false);
            return;
          }
          JsonObject answer = new JsonObject();
          if (done.failed()) {
            Gate.Refused refused = (Gate.Refused) done.cause();
            answer.put(REFUSED_STATUS, String.valueOf(refused.status())).put(REFUSED_MESSAGE, refused.getMessage());
          }
          raw.put("address", gateway).put("headers", answer).put("body", done.succeeded() ? done.result() : null);
          event.setRawMessage(raw);
          event.complete(true);
        });
      }
      case PUBLISH -> {
        REFUSALS.increment();
        event.complete(false);
      }
      case REGISTER -> {
        String address = raw.getString("address");
        JsonObject frameHeaders = raw.getValue("headers") instanceof JsonObject given ? given : new JsonObject();
        register(address, frameHeaders, remote, headers).onComplete(done -> {
          if (done.failed()) {
            Gate.Refused refused = (Gate.Refused) done.cause();
            refusals.registerRefused(address, refused.status(), refused.getMessage());
            event.complete(false);
            return;
          }
          registrations.computeIfAbsent(socket, s -> new HashMap<>()).put(address, done.result());
          event.complete(true);
        });
      }
      case UNREGISTER -> {
        Map<String, String> mine = registrations.get(socket);
        if (mine != null && raw != null) mine.remove(raw.getString("address"));
        event.complete(true);
      }
      case RECEIVE -> {
        String address = raw == null ? null : raw.getString("address");
        if (eventsAccount(address) == null) {
          event.complete(true);  // a reply to the client's own send
          return;
        }
        Map<String, String> mine = registrations.get(socket);
        event.complete(stillGranted(mine == null ? null : mine.get(address), address));
      }
      case SOCKET_CLOSED -> {
        registrations.remove(socket);
        event.complete(true);
      }
      default -> event.complete(true);
    }
  }

  /** The gateway: replies with the answer the send was rewritten with, or fails with its refusal. */
  private void answer(Message<Object> message) {
    String refused = message.headers().get(REFUSED_STATUS);
    if (refused != null) {
      message.fail(Integer.parseInt(refused), message.headers().get(REFUSED_MESSAGE));
    } else if (message.body() instanceof JsonObject answer) {
      message.reply(answer);
    } else {
      message.fail(403, "not open to bridge clients");
    }
  }
}
