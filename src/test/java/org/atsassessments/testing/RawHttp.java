package org.atsassessments.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 spoken byte by byte over a socket, for requests no well-behaved client would send: a request
 * target or header values with any bytes (invalid UTF-8, controls, unencoded brackets), any body. One request
 * per connection ({@code Connection: close}); the answer is read to the end.
 */
public final class RawHttp {

  private final int port;

  public RawHttp(int port) {
    this.port = port;
  }

  public record Response(int status, Map<String, String> headers, byte[] body, byte[] head) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public Buffer buffer() {
      return Buffer.buffer(body);
    }

    public JsonObject json() {
      try {
        return new JsonObject(buffer());
      } catch (RuntimeException e) {
        throw new AssertionError("not a JSON object: " + this, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + Property.describe(text());
    }
  }

  /** A request under construction; header values and the target are bytes, sent as they are. */
  public static final class Request {
    final String method;
    final byte[] target;
    final List<byte[][]> headers = new ArrayList<>();
    byte[] body;

    Request(String method, byte[] target) {
      this.method = method;
      this.target = target;
    }

    public Request header(String name, String value) {
      return value == null ? this : header(name, value.getBytes(StandardCharsets.UTF_8));
    }

    public Request header(String name, byte[] value) {
      headers.add(new byte[][] {name.getBytes(StandardCharsets.US_ASCII), value});
      return this;
    }

    public Request body(byte[] body) {
      this.body = body;
      return this;
    }

    public Request body(String body) {
      return body(body.getBytes(StandardCharsets.UTF_8));
    }

    /** The headers so far, as {name, value} byte pairs; a test may remove some. */
    public List<byte[][]> headers() {
      return headers;
    }

    public Request json(String body) {
      return header("Content-Type", "application/json").body(body);
    }
  }

  public static Request request(String method, String target) {
    return new Request(method, target.getBytes(StandardCharsets.UTF_8));
  }

  public static Request request(String method, byte[] target) {
    return new Request(method, target);
  }

  public Response send(Request request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write((request.method + " ").getBytes(StandardCharsets.US_ASCII));
      out.write(request.target);
      out.write(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".getBytes(StandardCharsets.US_ASCII));
      for (byte[][] header : request.headers) {
        out.write(header[0]);
        out.write(": ".getBytes(StandardCharsets.US_ASCII));
        out.write(header[1]);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      if (request.body != null) out.write(("Content-Length: " + request.body.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      if (request.body != null) out.write(request.body);
      OutputStream socketOut = socket.getOutputStream();
      socketOut.write(out.toByteArray());
      socketOut.flush();
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException("no HTTP answer to " + request.method + " " + Property.describe(
        new String(request.target, StandardCharsets.ISO_8859_1)), e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      for (int n; (n = in.read(chunk)) > 0; ) all.write(chunk, 0, n);
    } catch (java.net.SocketException reset) {
      // the server may reset after answering an invalid request: what was read is the answer
      if (all.size() == 0) throw reset;
    }
    return all.toByteArray();
  }

  static Response parse(byte[] raw) {
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    if (end < 0) throw new IllegalStateException("no HTTP head in " + raw.length + " bytes: "
      + Property.describe(new String(raw, StandardCharsets.ISO_8859_1)));
    String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
        (a, b) -> a + ", " + b);
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) body = dechunk(body);
    else if (headers.containsKey("content-length")) {
      body = java.util.Arrays.copyOf(body, Math.min(body.length, Integer.parseInt(headers.get("content-length"))));
    }
    return new Response(Integer.parseInt(statusLine[1]), headers, body, java.util.Arrays.copyOf(raw, end));
  }

  private static byte[] dechunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int lineEnd = indexOf(body, "\r\n".getBytes(StandardCharsets.US_ASCII), at);
      String size = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim();
      int length = Integer.parseInt(size, 16);
      if (length == 0) break;
      out.write(body, lineEnd + 2, length);
      at = lineEnd + 2 + length + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    return indexOf(haystack, needle, 0);
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
