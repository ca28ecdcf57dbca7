package org.atsassessments.connectors;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A fake Greenhouse and a fake Teamtailor on one loopback port (third parties: a fake is right here), written
 * from ../shared/ats/PARTNER-APIS.md, refusing what the real ones refuse.
 *
 * <p>Greenhouse: {@code PATCH /integrations/testing_partners/take_home_tests/{id}} needs Basic with the partner
 * user name and password (else 401) and no body; after a 2xx it reads our {@code test_status} as Greenhouse does
 * (Basic with the account's inbound key) and, when {@code complete} comes without {@code partner_profile_url},
 * posts {@code response_error}. Teamtailor: {@code PUT /partner/v1/partner-results/{id}} needs {@code X-Api-Version:
 * 20180828} (400), {@code Content-Type: application/vnd.api+json} (415), {@code Bearer} with the API key (401), and a
 * JSON:API {@code partner-results} document whose status and grade are Teamtailor's and whose score is 0–100 (422).
 * Teamtailor also reads the answer to its webhook ({@link #teamtailorWebhookAnswered}: its "Webhook Response"):
 * the partner result takes the {@code partner_result_attributes} of a 2xx JSON answer when they are valid, as
 * a PUT's would. {@link #teamtailorStatuses}: each partner result's status as Teamtailor has it.
 */
final class FakeAts implements AutoCloseable {

  /** One call received: method, path and query, headers (lower-case names), body, and what was answered. */
  record Call(String method, String uri, Map<String, String> headers, String body, int answered) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private static final Set<String> TT_STATUSES = Set.of("sending", "sent", "pending", "completed", "failed");
  private static final Set<String> TT_GRADES = Set.of("top_fit", "might_be_fit", "might_not_be_fit", "unknown");

  final List<Call> calls = new CopyOnWriteArrayList<>();
  /**
   * By take-home test: what test_status answered Greenhouse after its latest completion call, and our answer to
   * the response_error Greenhouse then posted (if it did).
   */
  final Map<String, JsonObject> statuses = new ConcurrentHashMap<>();
  final Map<String, Integer> responseErrors = new ConcurrentHashMap<>();
  /** Greenhouse's take-home test id → our partner_interview_id (the test fills it from send_test's answer). */
  final Map<String, String> interviews = new ConcurrentHashMap<>();
  /** Teamtailor's partner result id → its status, as the webhook answers and the PUTs accepted set it. */
  final Map<String, String> teamtailorStatuses = new ConcurrentHashMap<>();
  /**
   * The answer to the n-th call (from 1) before any check: 0 to check and answer as the real ATS does, -1 to never
   * answer (recorded as answered -1).
   */
  volatile IntFunction<Integer> outage = n -> 0;
  private final AtomicInteger received = new AtomicInteger();

  private final Vertx vertx;
  private final HttpServer server;
  private final WebClient client;
  private final String service;
  private final String greenhouseAccount;
  private final String greenhouseKey;
  private final String partnerUser;
  private final String partnerPassword;
  private final String teamtailorApiKey;

  private FakeAts(Vertx vertx, HttpServer server, String service, String greenhouseAccount, String greenhouseKey,
                  String partnerUser, String partnerPassword, String teamtailorApiKey) {
    this.vertx = vertx;
    this.server = server;
    this.client = WebClient.create(vertx);
    this.service = service;
    this.greenhouseAccount = greenhouseAccount;
    this.greenhouseKey = greenhouseKey;
    this.partnerUser = partnerUser;
    this.partnerPassword = partnerPassword;
    this.teamtailorApiKey = teamtailorApiKey;
  }

  /** Starts both on a free loopback port; {@code service}: our base URL, for Greenhouse's test_status reads. */
  static FakeAts start(Vertx vertx, String service, String greenhouseAccount, String greenhouseKey, String partnerUser,
                       String partnerPassword, String teamtailorApiKey) {
    HttpServer server = vertx.createHttpServer();
    FakeAts fake = new FakeAts(vertx, server, service, greenhouseAccount, greenhouseKey, partnerUser, partnerPassword,
      teamtailorApiKey);
    server.requestHandler(fake::handle).listen(0, "127.0.0.1").await();
    return fake;
  }

  int port() {
    return server.actualPort();
  }

  /** Greenhouse's url for a take-home test (send_test's {@code url}). */
  String greenhouseTest(String id) {
    return "http://127.0.0.1:" + port() + "/integrations/testing_partners/take_home_tests/" + id;
  }

  /** Teamtailor's update-url of a partner result. */
  String teamtailorResult(String id) {
    return "http://127.0.0.1:" + port() + "/partner/v1/partner-results/" + id;
  }

  List<Call> callsTo(String pathPrefix) {
    return calls.stream().filter(call -> call.uri().startsWith(pathPrefix)).toList();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      int n = received.incrementAndGet();
      int forced = outage.apply(n);
      Map<String, String> headers = new ConcurrentHashMap<>();
      request.headers().forEach(header -> headers.put(header.getKey().toLowerCase(), header.getValue()));
      if (forced < 0) {  // never answered
        calls.add(new Call(request.method().name(), request.uri(), headers, body.toString(), -1));
        return;
      }
      int status = forced > 0 ? forced
        : request.path().startsWith("/integrations/testing_partners/take_home_tests/") ? greenhouse(request, body)
        : request.path().startsWith("/partner/v1/partner-results/") ? teamtailor(request, body) : 404;
      calls.add(new Call(request.method().name(), request.uri(), headers, body.toString(), status));
      request.response().setStatusCode(status).end(status >= 400 ? "refused by the fake ATS" : "");
      if (status == 200 && forced == 0 && request.path().startsWith("/integrations/")) {
        readTestStatus(request.path().substring(request.path().lastIndexOf('/') + 1));
      }
    });
  }

  private int greenhouse(HttpServerRequest request, Buffer body) {
    String expected = "Basic " + Base64.getEncoder().encodeToString((partnerUser + ":" + partnerPassword).getBytes());
    if (request.method() != HttpMethod.PATCH) return 405;
    if (!expected.equals(request.getHeader("Authorization"))) return 401;
    if (body.length() > 0) return 400;  // the completion call has no body
    return 200;
  }

  private int teamtailor(HttpServerRequest request, Buffer body) {
    if (request.method() != HttpMethod.PUT) return 405;
    if (!"20180828".equals(request.getHeader("X-Api-Version"))) return 400;
    if (!"application/vnd.api+json".equals(request.getHeader("Content-Type"))) return 415;
    if (!("Bearer " + teamtailorApiKey).equals(request.getHeader("Authorization"))) return 401;
    JsonObject document;
    try {
      document = body.toJsonObject();
    } catch (RuntimeException notJson) {
      return 400;
    }
    JsonObject data = document.getJsonObject("data");
    if (data == null || !"partner-results".equals(data.getString("type")) || !(data.getValue("attributes") instanceof JsonObject attributes)) {
      return 422;
    }
    if (!TT_STATUSES.contains(attributes.getString("status")) || !validResult(attributes)) return 422;
    teamtailorStatuses.put(request.path().substring(request.path().lastIndexOf('/') + 1), attributes.getString("status"));
    return 200;
  }

  /** A partner result's attributes Teamtailor accepts: its status and grade, a score of 0–100. */
  private static boolean validResult(JsonObject attributes) {
    if (attributes.getValue("status") != null && !TT_STATUSES.contains(attributes.getValue("status"))) return false;
    if (attributes.getValue("assessment") instanceof JsonObject assessment) {
      Object score = assessment.getValue("score");
      if (score != null && (!(score instanceof Number number) || number.doubleValue() < 0 || number.doubleValue() > 100)) return false;
      Object grade = assessment.getValue("grade");
      if (grade != null && !TT_GRADES.contains(grade)) return false;
    }
    return true;
  }

  /**
   * What Teamtailor does with our answer to its webhook for partner result {@code resultId}: a 2xx JSON object
   * whose {@code partner_result_attributes} are valid updates the result (the status if it gives one); anything
   * else changes nothing. Answers whether it was updated.
   */
  boolean teamtailorWebhookAnswered(String resultId, int status, String contentType, String body) {
    if (status < 200 || status > 299 || contentType == null || !contentType.startsWith("application/json")) return false;
    JsonObject answer;
    try {
      answer = new JsonObject(body);
    } catch (RuntimeException notAnObject) {
      return false;
    }
    if (!(answer.getValue("partner_result_attributes") instanceof JsonObject attributes) || !validResult(attributes)) return false;
    if (attributes.getValue("status") instanceof String given) teamtailorStatuses.put(resultId, given);
    return true;
  }

  /** What Greenhouse does after the completion call: reads test_status, and reports an answer it cannot use. */
  private void readTestStatus(String takeHomeTest) {
    String interview = interviews.get(takeHomeTest);
    if (interview == null) return;
    String basic = "Basic " + Base64.getEncoder().encodeToString((greenhouseKey + ":").getBytes());
    String base = service + "/connectors/greenhouse/" + greenhouseAccount;
    client.getAbs(base + "/test_status?partner_interview_id=" + interview).putHeader("Authorization", basic).send()
      .onSuccess(answer -> {
        JsonObject status = answer.bodyAsJsonObject();
        statuses.put(takeHomeTest, status);
        if ("complete".equals(status.getString("partner_status")) && status.getValue("partner_profile_url") == null) {
          JsonObject report = new JsonObject().put("api_call", "test_status").put("partner_interview_id", interview)
            .put("errors", new JsonArray().add("partner_profile_url is required when partner_status is complete"));
          client.postAbs(base + "/response_error").putHeader("Authorization", basic).sendJsonObject(report)
            .map(HttpResponse::statusCode).onSuccess(code -> responseErrors.put(takeHomeTest, code));
        }
      });
  }

  @Override
  public void close() {
    client.close();
    server.close().await();
  }
}
