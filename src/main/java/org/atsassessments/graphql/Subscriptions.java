package org.atsassessments.graphql;

import graphql.GraphQLContext;
import graphql.schema.DataFetcher;
import org.atsassessments.edge.Gate;
import io.vertx.core.json.JsonObject;
import org.atsassessments.repository.api.EventNames;
import org.atsassessments.repository.api.AssessmentRepository;
import org.atsassessments.repository.api.Read;
import org.atsassessments.repository.api.RecordReply;
import org.atsassessments.repository.api.Scope;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Subscription root: {@code assessmentEvents(types:)}, the committed events of the connection's account as
 * they happen ({@link EventStream}). The account ({@code x-account-id} of the connection) is checked here, for each
 * subscription, as the account guard checks a request: not the caller's (or unknown) is NOT_FOUND, disabled
 * PRECONDITION_FAILED, none named BAD_USER_INPUT; an unknown type is BAD_USER_INPUT.
 */
final class Subscriptions {

  static final String MAX_PENDING = "ats.graphql-ws.max-pending";
  /** The scope of the fields a subscription's events resolve with (an order's result), once its account is checked. */
  static final String SCOPE = "ats.graphql-ws.scope";

  /** The client's id of the subscription (graphql-transport-ws's {@code id}), put in the context before it runs. */
  static final String SUBSCRIPTION_ID = "ats.graphql-ws.subscription-id";

  /** A document's subscription selection compiled (null when beyond a plain walk), and whether it reads order. */
  private record Compiled(CompiledQuery.EventSelection selection, boolean readsOrder) {
  }

  /**
   * Compiled selections by document: the parsed-document cache hands the same Document to every request of the
   * same text, so subscriptions of one shape share one selection, which {@link LiveEvents} renders each event to once.
   */
  private static final java.util.Map<graphql.language.Document, Compiled> COMPILED =
    java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private static Compiled compiled(graphql.schema.DataFetchingEnvironment env) {
    return COMPILED.computeIfAbsent(env.getDocument(), document -> {
      graphql.language.Field field = env.getField();
      boolean readsOrder = field.getSelectionSet() != null && field.getSelectionSet().getSelections().stream()
        .anyMatch(selection -> !(selection instanceof graphql.language.Field child) || child.getName().equals("order"));
      return new Compiled(CompiledQuery.compileEvents(env.getGraphQLSchema(), env.getFieldDefinition(), field,
        java.util.Map.of("AssessmentEvent.order", "order")), readsOrder);
    });
  }

  private Subscriptions() {
  }

  /**
   * AssessmentEvent.order: the event's own record for an order event; for a result's event the order it belongs
   * to, read (with the fields selected) when selected.
   */
  static DataFetcher<Object> eventOrder() {
    return env -> {
      JsonObject event = env.getSource();
      Object order = event.getValue("order");
      if (order != null || !EventNames.RESULT.equals(event.getString("record_type"))) return order;
      GraphQLContext context = env.getGraphQlContext();
      Read read = new Read(SelectedPaths.of(env, true).paths(), false);
      return context.<AssessmentRepository>get(AssessmentRepository.class)
        .getOrder(context.get(SCOPE), event.getString("record_id"), read).map(RecordReply::record).toCompletionStage();
    };
  }

  static DataFetcher<EventStream> assessmentEvents() {
    return env -> {
      GraphQLContext context = env.getGraphQlContext();
      WebSocketSession session = context.get(WebSocketSession.class);
      if (session == null) {
        throw new GraphQLErrors.Refusal("BAD_REQUEST", "subscriptions run over WebSocket (graphql-transport-ws) on /graphql");
      }
      Gate gate = context.get(Gate.class);
      String accountId;
      try {
        accountId = gate.account(session.user(), session.accountId()).id();
      } catch (Gate.Refused refused) {
        throw new GraphQLErrors.Refusal(GraphQLErrors.code(refused.status()), refused.status() == 400
          ? "x-account-id is missing: give it in connectionParams or on the upgrade request" : refused.getMessage());
      }
      List<String> asked = env.getArgument("types");
      Set<String> types = null;
      if (asked != null) {
        types = new LinkedHashSet<>();
        for (String type : asked) {
          if (!EventNames.ALL.contains(type)) {
            throw new GraphQLErrors.Refusal("BAD_USER_INPUT", "unknown event type " + type + "; known: " + String.join(", ", EventNames.ALL));
          }
          types.add(type);
        }
      }
      if (!session.reserve()) {
        throw new GraphQLErrors.Refusal("TOO_MANY_SUBSCRIPTIONS", "this connection has its limit of subscriptions open");
      }
      context.put(SCOPE, new Scope(accountId, null));
      String user = session.user();
      Compiled compiled = compiled(env);
      // AssessmentEvent.order of a result's event is read from the repository: only graphql-java does that
      boolean walkable = compiled.selection() != null && (!compiled.readsOrder()
        || (types != null && !types.contains(EventNames.ORDER_UPDATED)));
      return new EventStream(session.context(), context.get(LiveEvents.class), session, accountId, types,
        context.get(MAX_PENDING), () -> gate.stillGranted(user, accountId), walkable ? compiled.selection() : null,
        context.get(SUBSCRIPTION_ID));
    };
  }
}
