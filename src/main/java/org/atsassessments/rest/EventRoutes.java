package org.atsassessments.rest;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.atsassessments.edge.Requests;
import org.atsassessments.repository.api.PageReply;
import org.atsassessments.repository.api.WebhookRepository;

import java.util.ArrayList;
import java.util.List;

/**
 * The event feed (ours): {@code GET /unified/ats/assessments/events}, the account's committed events oldest first,
 * each exactly a webhook's body, in StackOne's list envelope: the catch-up path after an outage. Behind the same
 * guards as every {@code /unified} route.
 */
public final class EventRoutes {

  public static final String EVENTS = "/unified/ats/assessments/events";

  private final WebhookRepository repository;

  public EventRoutes(WebhookRepository repository) {
    this.repository = repository;
  }

  public void mount(Router router) {
    router.get(EVENTS).handler(this::list);
  }

  void list(RoutingContext rc) {
    Responses.send(rc, repository.listEvents(Requests.scope(rc), QueryParameters.page(rc.queryParams()),
      types(rc.queryParams().get("filter[type]"))), PageReply::bytes, null);
  }

  /** {@code filter[type]}: a comma list of event types; absent or empty means all. */
  static List<String> types(String filter) {
    if (filter == null || filter.isBlank()) return null;
    List<String> types = new ArrayList<>();
    for (String type : filter.split(",")) {
      if (!type.isBlank() && !types.contains(type.trim())) types.add(type.trim());
    }
    return types.isEmpty() ? null : types;
  }
}
