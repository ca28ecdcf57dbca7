package org.atsassessments.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.atsassessments.testing.Gen.anyChar;
import static org.atsassessments.testing.Gen.asciiLetters;
import static org.atsassessments.testing.Gen.constant;
import static org.atsassessments.testing.Gen.elements;
import static org.atsassessments.testing.Gen.ints;
import static org.atsassessments.testing.Gen.oneOf;
import static org.atsassessments.testing.Gen.strings;

/** Generators of hostile values: path segments, query parameters, credentials, JSON texts, GraphQL documents. */
public final class Hostile {

  private Hostile() {
  }

  /** Keys of StackOne's order, result and package bodies, so generated objects hit the validated fields. */
  public static final List<String> KEYS = List.of("id", "remote_id", "package", "candidate", "emails", "type", "value",
    "first_name", "last_name", "profile_url", "application", "application_status", "source_value", "job", "title",
    "hiring_team", "user_id", "email", "role", "passthrough", "requester", "results_update_url", "score", "label", "min",
    "max", "start_date", "submission_date", "summary", "result", "result_url", "attachments", "url", "content_type",
    "name", "description");

  public static String percentEncode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Any text, with every character class {@link Gen#anyChar} knows. */
  public static Gen<String> text(int max) {
    return strings(anyChar(), 0, max);
  }

  /** A path segment as it appears in a request target: encoded text, raw oddities, broken escapes, long runs. */
  public static Gen<String> pathSegment() {
    return oneOf(
      text(20).map(Hostile::percentEncode),
      text(20).map(Hostile::percentEncode),
      asciiLetters(1, 12),
      elements("%", "%z", "%zz", "%0", "%00", "%ff", "%c0%af", "%ed%a0%80", "%f4%90%80%80", "..", ".", "%2e%2e", "%2F",
        "a%2Fb", "%252F", "a;b", ";jsessionid=1", "~", "!$&'()*+,;=", "@", "a:b", "%20", "+", "%u0041", "%%", "a%",
        "%5B%5D", "[", "]", "{x}", "|", "^", "`", "\"", "<script>", "%3Cscript%3E", "%0d%0aX-Injected:%201",
        "seed-1", "%73eed-1", "SEED-1", "seed-1%20", "seed-1%00"),
      ints(200, 300).map("p"::repeat),
      ints(1000, 1100).map("q"::repeat),
      oneOf(constant(4_100), constant(9_000)).map("r"::repeat),
      random -> percentEncode(text(6).next(random)) + elements("%", "%z", "%ff", "..").next(random) + asciiLetters(0, 3).next(random));
  }

  // ---- credentials ---------------------------------------------------------------------------------------------

  public static String basic(String userAndPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  // ---- JSON ------------------------------------------------------------------------------------------------------

  /** A JSON string literal of any text: escapes for quotes, controls and (sometimes) everything else. */
  public static Gen<String> jsonString() {
    return oneOf(
      text(12).map(Hostile::quote),
      asciiLetters(0, 8).map(Hostile::quote),
      elements("\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\\ude00\"", "\"\\uFFFF\"", "\"\\/\"", "\"\"",
        "\"2021-01-01T01:01:01.000Z\"", "\"2021-01-01T01:01:01+02:00\"", "\"2021-02-30T00:00:00Z\"", "\"yesterday\"",
        "\"" + "s".repeat(5_000) + "\""));
  }

  public static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20 || (c >= 0xd800 && c < 0xe000)) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }

  public static Gen<String> jsonNumber() {
    return oneOf(
      random -> String.valueOf(random.nextLong()),
      random -> String.valueOf(random.nextInt(200) - 100),
      random -> String.valueOf(random.nextDouble() * 1e6),
      elements("0", "-0", "0.0", "-0.0", "1e400", "-1e400", "1e-400", "1E+2", "2e308", "4.9e-324",
        "123456789012345678901234567890", "-123456789012345678901234567890", "123456789012345678901234567890.5",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1" + "0".repeat(400),
        "0." + "0".repeat(400) + "1", "1" + "0".repeat(2_000)));
  }

  /** Any JSON value of at most {@code depth} levels, keys mostly from the contract. */
  public static Gen<String> json(int depth) {
    Gen<String> scalar = oneOf(elements("null", "true", "false"), jsonNumber(), jsonString(), jsonString());
    if (depth <= 0) return scalar;
    Gen<String> key = oneOf(elements(KEYS), elements(KEYS), jsonKey());
    Gen<String> object = random -> {
      int size = random.nextInt(5);
      StringBuilder out = new StringBuilder("{");
      for (int i = 0; i < size; i++) {
        if (i > 0) out.append(',');
        out.append(quote(key.next(random))).append(':').append(json(depth - 1).next(random));
      }
      return out.append('}').toString();
    };
    Gen<String> array = random -> {
      int size = random.nextInt(4);
      StringBuilder out = new StringBuilder("[");
      for (int i = 0; i < size; i++) out.append(i > 0 ? "," : "").append(json(depth - 1).next(random));
      return out.append(']').toString();
    };
    return oneOf(scalar, object, object, array);
  }

  private static Gen<String> jsonKey() {
    return oneOf(text(6), elements("", "__proto__", "constructor", "$ref", "a.b", "candidate.emails", "ID", "Id"));
  }

  /** {@code depth} nested arrays or objects, optionally wrapped where a free-form value is allowed. */
  public static Gen<String> deepJson() {
    return random -> {
      int depth = elements(50, 500, 999, 1_000, 1_001, 5_000, 100_000).next(random);
      boolean objects = random.nextBoolean();
      String open = objects ? "{\"a\":" : "[";
      String close = objects ? "}" : "]";
      String deep = open.repeat(depth) + "1" + close.repeat(depth);
      return switch (random.nextInt(3)) {
        case 0 -> deep;
        case 1 -> "{\"id\":\"deep-" + random.nextInt(1_000_000) + "\",\"passthrough\":{\"x\":" + deep + "}}";
        default -> "{\"result\":{\"value\":\"passed\",\"source_value\":" + deep + "}}";
      };
    };
  }

  /** A body of one of the three writes with one field replaced by a value of any type. */
  public static Gen<String> mutatedBody() {
    return random -> {
      String field = elements("id", "remote_id", "package", "candidate", "application", "job", "requester",
        "results_update_url", "passthrough", "score", "start_date", "submission_date", "summary", "result", "result_url",
        "attachments", "name", "description").next(random);
      String value = oneOf(json(2), json(0), deepJson()).next(random);
      String nested = elements("candidate", "package", "job", "application", "score", "result").next(random);
      String inner = elements("emails", "first_name", "hiring_team", "application_status", "value", "label", "name",
        "source_value", "passthrough").next(random);
      return random.nextBoolean()
        ? "{\"id\":\"m-" + random.nextInt(1_000_000) + "\"," + quote(field) + ":" + value + "}"
        : "{\"id\":\"m-" + random.nextInt(1_000_000) + "\"," + quote(nested) + ":{" + quote(inner) + ":" + value + "}}";
    };
  }

  /** JSON text, then perhaps broken: truncated, invalid UTF-8 spliced in, a BOM, trailing bytes, NaN, comments. */
  public static Gen<byte[]> jsonBody() {
    Gen<String> text = oneOf(json(3), json(3), mutatedBody(), mutatedBody(), deepJson(),
      elements("", " ", "null", "[]", "\"x\"", "1", "{}", "{\"id\":NaN}", "{\"id\":Infinity}", "{'id':'x'}",
        "{\"id\":\"x\",}", "{\"id\":\"x\"}{}", "{\"id\":\"a\",\"id\":\"b\"}", "/*c*/{}", "{\"id\":\"x\" // c\n}",
        "{\"candidate\":{\"emails\":[{\"value\":5}]}}", "{\"score\":{\"value\":80}}", "{\"submission_date\":\"soon\"}"));
    return random -> {
      byte[] body = Gen.utf8(text.next(random));
      return switch (random.nextInt(8)) {
        case 0 -> body.length == 0 ? body : java.util.Arrays.copyOf(body, random.nextInt(body.length));
        case 1 -> splice(random, body, Gen.invalidUtf8().next(random));
        case 2 -> Gen.concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, body);
        case 3 -> Gen.concat(body, Gen.bytes(1, 6).next(random));
        default -> body;
      };
    };
  }

  private static byte[] splice(Random random, byte[] body, byte[] inserted) {
    int at = body.length == 0 ? 0 : random.nextInt(body.length);
    return Gen.concat(java.util.Arrays.copyOf(body, at), inserted, java.util.Arrays.copyOfRange(body, at, body.length));
  }

  // ---- GraphQL ---------------------------------------------------------------------------------------------------

  private static final List<String> FIELDS = List.of("id", "remoteId", "etag", "raw { method url body response }",
    "candidate { firstName emails { value } passthrough }", "result { score { value } result { value sourceValue } }",
    "package { name }", "job { hiringTeam { email } }", "edges { node { id } cursor }", "pageInfo { hasNextPage endCursor }",
    "__typename", "name", "summary", "submissionDate", "statusCode", "message", "timestamp", "nope", "id(x: 1)",
    "candidate", "__schema { types { name } }", "__type(name: \"Query\") { name }");

  /** A GraphQL literal of any type, or a variable. */
  public static Gen<String> graphqlValue(int depth) {
    Gen<String> scalar = oneOf(
      elements("null", "true", "false", "PASSED", "$v", "$w", "$undefined", "1", "-1", "0", "2147483648", "-2147483649",
        "99999999999999999999", "1.5", "1e400", "\"\"", "\"seed-1\"", "\"2021-01-01T00:00:00Z\"", "\"not a date\"",
        "\"\"\"block\n\"\"\"", "\"\\u0000\"", "\"\\ud800\""),
      text(8).map(Hostile::quote));
    if (depth <= 0) return scalar;
    Gen<String> object = random -> {
      StringBuilder out = new StringBuilder("{");
      int size = random.nextInt(4);
      for (int i = 0; i < size; i++) {
        out.append(elements("id", "remoteId", "candidate", "firstName", "emails", "value", "score", "result", "summary",
          "passthrough", "sourceValue", "startDate", "unknown", "_").next(random)).append(": ").append(graphqlValue(depth - 1).next(random)).append(' ');
      }
      return out.append('}').toString();
    };
    Gen<String> list = random -> "[" + String.join(", ", Gen.lists(graphqlValue(depth - 1), 0, 3).next(random)) + "]";
    return oneOf(scalar, scalar, object, list);
  }

  private static Gen<String> arguments() {
    Gen<String> argument = random -> elements("id", "orderId", "first", "after", "updatedAfter", "raw", "proxy", "input",
      "ifMatch", "bogus").next(random) + ": " + graphqlValue(2).next(random);
    return random -> random.nextInt(4) == 0 ? "" : "(" + String.join(", ", Gen.lists(argument, 0, 4).next(random)) + ")";
  }

  private static Gen<String> selection(int depth) {
    return random -> {
      List<String> fields = Gen.lists(elements(FIELDS), 1, 4).next(random);
      StringBuilder out = new StringBuilder("{ ");
      for (String field : fields) {
        if (random.nextInt(6) == 0) out.append(asciiLetters(1, 4).next(random)).append(": ");
        out.append(field);
        if (random.nextInt(8) == 0) out.append(" @").append(elements("include(if: $v)", "skip(if: true)", "skip(if: \"x\")",
          "nope").next(random));
        out.append(' ');
      }
      if (depth > 0 && random.nextInt(3) == 0) out.append("candidate ").append(selection(depth - 1).next(random));
      if (random.nextInt(10) == 0) out.append("...F ");
      if (random.nextInt(10) == 0) out.append("... on AssessmentOrder { id } ");
      return out.append('}').toString();
    };
  }

  private static Gen<String> rootField() {
    return random -> {
      String name = elements("assessmentOrder", "assessmentOrders", "assessmentPackage", "assessmentPackages",
        "assessmentResult", "orderAssessment", "updateAssessmentResult", "__typename", "nothing").next(random);
      String alias = random.nextInt(5) == 0 ? asciiLetters(1, 5).next(random) + ": " : "";
      return alias + name + arguments().next(random) + " " + selection(3).next(random);
    };
  }

  /** A document built from the schema's words, mostly well-formed, often invalid, sometimes over a limit. */
  public static Gen<String> graphqlDocument() {
    Gen<String> operation = random -> {
      String kind = elements("", "query", "mutation", "subscription", "query Q", "mutation M($v: Boolean, $w: JSON)",
        "query Q($v: Int!, $w: [String!]!)", "query ($v: OrderAssessmentInput)", "query Q($v: DateTime = \"x\")").next(random);
      String body = "{ " + String.join(" ", Gen.lists(rootField(), 1, 3).next(random)) + " }";
      return kind + " " + body;
    };
    Gen<String> fragments = elements("", "fragment F on AssessmentOrder { id }", "fragment F on Nope { id }",
      "fragment F on AssessmentOrder { ...G } fragment G on AssessmentOrder { ...F }", "fragment F on AssessmentOrder { id } fragment F on AssessmentOrder { remoteId }");
    Gen<String> deep = random -> {
      int depth = elements(13, 50, 2_000).next(random);
      return "{ assessmentOrder(id: \"seed-1\") " + "{ candidate ".repeat(depth) + "{ id }" + " }".repeat(depth) + " }";
    };
    Gen<String> aliases = random -> {
      int count = elements(31, 500).next(random);
      StringBuilder out = new StringBuilder("{ ");
      for (int i = 0; i < count; i++) out.append("a").append(i).append(": __typename ");
      return out.append('}').toString();
    };
    Gen<String> tokenSoup = Gen.strings(elements("{", "}", "(", ")", ":", "...", "@", "$", "!", "=", "[", "]", "\"", "\"\"\"",
      "#", "\n", " ", "query", "mutation", "fragment", "on", "assessmentOrder", "id", "1", "\\u", ","), 0, 30);
    return oneOf(
      random -> operation.next(random) + " " + fragments.next(random),
      random -> operation.next(random) + " " + fragments.next(random),
      random -> operation.next(random) + " " + operation.next(random),
      deep, aliases, tokenSoup, text(40),
      elements("", " ", "{}", "{ __schema { types { name fields { name } } } }", "{ " + "a: __typename ".repeat(3_000) + "}",
        "query { assessmentOrder(id: \"seed-1\") { id } } mutation { orderAssessment(input: {id: \"g\"}) { id } }",
        "{ assessmentOrders(first: 2147483647) { edges { node { id } } } }",
        "{ assessmentOrders(first: 0) { edges { cursor } } }",
        "{ assessmentOrders(after: \"eyJ4Ijox\") { edges { cursor } } }",
        "{ assessmentOrder(id: \"seed-1\", proxy: 5) { id } }",
        "{ assessmentOrder(id: \"seed-1\", proxy: \"x\") { id } }",
        "{ assessmentOrder(id: \"seed-1\", proxy: [1, 2]) { id } }",
        "{ assessmentOrders(proxy: \"x\") { edges { cursor } } }",
        "{ assessmentResult(orderId: \"seed-1\", proxy: 1.5) { summary } }",
        "{ assessmentPackage(id: \"pkg-1\", proxy: true) { name } }",
        "mutation { orderAssessment(input: {id: \"p\", passthrough: 5}) { id } }",
        "mutation { orderAssessment(input: {id: \"q\", candidate: {passthrough: [1, {a: null}]}}) { id } }",
        "mutation { updateAssessmentResult(orderId: \"seed-1\", input: {result: {sourceValue: {a: [1]}}}, ifMatch: \"*, x\") { etag } }"));
  }

  /** Variables: an object of any values, or not an object at all. */
  public static Gen<String> graphqlVariables() {
    return oneOf(elements("null", "{}", "\"v\"", "[1]", "5", "{\"v\": true, \"w\": [\"a\"]}"),
      random -> "{\"v\": " + json(2).next(random) + ", \"w\": " + json(2).next(random) + "}");
  }
}
