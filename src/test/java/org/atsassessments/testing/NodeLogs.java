package org.atsassessments.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps the logs of the jar processes a failed test started (they live in its temporary directory, which goes
 * with the test): copied to {@code target/it-logs/<class>.<method>/}, and their warnings and errors printed, so
 * that a failure on a clean clone in CI says what the nodes saw. Runs after the test's {@code @AfterEach}
 * methods (the nodes are stopped by then, their logs complete) and before its temporary directory is removed.
 */
public final class NodeLogs implements BeforeEachCallback, AfterEachCallback {

  private static final Pattern NOTEWORTHY = Pattern.compile("SEVERE|WARNING|ERROR|Exception|Caused by|^\\s+at ");
  private static final int LINES_PER_NODE = 120;

  @Override
  public void beforeEach(ExtensionContext context) {
    store(context).put("first", JarProcess.STARTED.size());
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (context.getExecutionException().isEmpty()) return;
    int first = store(context).get("first", Integer.class);
    List<JarProcess> started = JarProcess.STARTED.subList(first, JarProcess.STARTED.size());
    Path kept = Path.of("target", "it-logs", context.getRequiredTestClass().getSimpleName() + "."
      + context.getRequiredTestMethod().getName()).toAbsolutePath();
    Files.createDirectories(kept);
    StringBuilder out = new StringBuilder("---- " + context.getDisplayName() + " failed; the logs of its "
      + started.size() + " processes are in " + kept + "\n");
    int n = 0;
    for (JarProcess node : started) {
      if (!Files.exists(node.log)) continue;
      Path copy = kept.resolve((++n) + "-" + node.name + ".log");
      Files.copy(node.log, copy, StandardCopyOption.REPLACE_EXISTING);
      List<String> lines = Files.readAllLines(node.log).stream().filter(line -> NOTEWORTHY.matcher(line).find()).toList();
      out.append("---- ").append(node.name).append(" (port ").append(node.port).append("): ").append(lines.size())
        .append(" warning and error lines").append(lines.size() > LINES_PER_NODE ? ", the first " + LINES_PER_NODE : "")
        .append('\n');
      lines.stream().limit(LINES_PER_NODE).forEach(line -> out.append("  ").append(line).append('\n'));
    }
    System.out.print(out);
  }

  private static ExtensionContext.Store store(ExtensionContext context) {
    return context.getStore(ExtensionContext.Namespace.create(NodeLogs.class, context.getUniqueId()));
  }
}
