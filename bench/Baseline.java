import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline of `make bench`: the least a Vert.x server can do to answer the benchmark's URLs, with the same
 * response bytes the service gave for each (no auth, no routing, no event bus, no store). Not part of the
 * product. Usage: java -cp target/ats-assessments.jar bench/Baseline.java <port> <responses dir>
 * where the directory holds urls.tsv ("<url>\t<file>" lines) and the files.
 */
public class Baseline {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    Map<String, Buffer> bodies = new HashMap<>();
    List<String> lines = Files.readAllLines(dir.resolve("urls.tsv"));
    for (String line : lines) {
      String[] parts = line.split("\t");
      bodies.put(parts[0], Buffer.buffer(Files.readAllBytes(dir.resolve(parts[1]))));
    }
    CharSequence json = HttpHeaders.createOptimized("application/json");
    Vertx vertx = Vertx.vertx();
    int instances = Runtime.getRuntime().availableProcessors() * 2;
    for (int i = 0; i < instances; i++) {
      vertx.createHttpServer().requestHandler(request -> {
        Buffer body = bodies.get(request.uri());
        if (body == null) {
          request.response().setStatusCode(404).end();
        } else {
          request.response().putHeader(HttpHeaders.CONTENT_TYPE, json).end(body);
        }
      }).listen(port, "127.0.0.1").await();
    }
    System.out.println("baseline listening on " + port + " with " + bodies.size() + " responses");
  }
}
