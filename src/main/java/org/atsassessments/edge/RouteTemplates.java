package org.atsassessments.edge;

/**
 * The route a path was served by, as a template: {@code /unified/ats/assessments/orders/abc/result} is
 * {@code /unified/ats/assessments/orders/{id}/result}. For logs and metrics, where raw ids do not belong.
 */
final class RouteTemplates {

  private static final String API = "/unified/ats/assessments/";

  private RouteTemplates() {
  }

  static String of(String path) {
    if (path == null) return "-";
    if (path.startsWith(API)) {
      String[] parts = path.substring(API.length()).split("/", -1);
      String collection = parts[0];
      if (!collection.equals("orders") && !collection.equals("packages")) return API + "*";
      if (parts.length == 1) return API + collection;
      if (parts.length == 2) return API + collection + "/{id}";
      if (parts.length == 3 && collection.equals("orders") && (parts[2].equals("result") || parts[2].equals("results"))) {
        return API + "orders/{id}/" + parts[2];
      }
      return API + "*";
    }
    if (path.startsWith("/graphiql")) return "/graphiql/*";
    if (path.startsWith("/docs")) return path.equals("/docs") ? "/docs" : "/docs/*";
    return switch (path) {
      case "/graphql", "/health", "/ready", "/openapi.json" -> path;
      default -> "*";
    };
  }
}
