package org.atsassessments.boot;

import org.atsassessments.config.ServiceConfig;
import org.atsassessments.demo.DemoData;

import java.util.ArrayList;
import java.util.List;

/**
 * What a new user reads once the node is ready: where the REST API, GraphiQL, the API reference and the
 * health checks are, and, in demo mode only, the demo credentials and a curl line to paste.
 */
final class StartupNotice {

  private StartupNotice() {
  }

  static String text(ServiceConfig config) {
    String base = baseUrl(config);
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("  ats-assessments is ready on " + base + " (role " + config.role().name().toLowerCase() + ")");
    if (config.role().servesApi()) {
      lines.add("    REST API        " + base + "/unified/ats/assessments/orders   (and /packages; StackOne's Assessments API)");
      lines.add("    API reference   " + base + "/docs   (OpenAPI 3.1: " + base + "/openapi.json)");
      lines.add("    GraphQL         " + base + "/graphql" + (config.graphiql() ? "   (GraphiQL: " + base + "/graphiql/)" : ""));
    }
    lines.add("    Health          " + base + "/health   (readiness: " + base + "/ready)");
    // the metrics endpoint is optional: listed only when the configuration has it switched on
    if (config.metricsPort() > 0) {
      lines.add("    Metrics         http://" + config.metricsHost() + ":" + config.metricsPort() + "/metrics"
        + "   (Prometheus, its own listener)");
    }
    if (config.demo() && config.role().servesApi()) {
      lines.add("");
      lines.add("  Demo data: account " + DemoData.ACCOUNT_ID + ", user " + DemoData.USER + " / " + DemoData.PASSWORD
        + (config.graphiql() ? " (GraphiQL sends them for you)" : "") + ". Fetch the demo order:");
      lines.add("");
      lines.add("    " + DemoData.curl(base));
    }
    lines.add("");
    return String.join(System.lineSeparator(), lines);
  }

  /** Where a user on this machine reaches the node: a wildcard bind address means localhost. */
  static String baseUrl(ServiceConfig config) {
    String host = config.httpHost();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isBlank()) host = "localhost";
    else if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
    return "http://" + host + ":" + config.httpPort();
  }
}
