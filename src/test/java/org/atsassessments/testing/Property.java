package org.atsassessments.testing;

import java.util.List;
import java.util.Random;

/**
 * A small property-test runner on JUnit Jupiter: a check is run against the listed edge cases, then against
 * {@code tries} generated inputs. Each run draws a seed (printed when a try fails); {@code -Dats.property.seed=N}
 * replays it, {@code -Dats.property.tries=N} changes how many random tries every property makes.
 *
 * <p>In-repo rather than jqwik: jqwik 1.10 carries an "Anti-AI Usage Clause" asking that it not be used by AI
 * coding agents, and these tests were written by one. There is no shrinking: generators keep inputs small,
 * and the failing input is printed whole.
 */
public final class Property {

  @FunctionalInterface
  public interface Check<T> {
    void accept(T input) throws Exception;
  }

  private Property() {
  }

  public static long seed() {
    String fixed = System.getProperty("ats.property.seed");
    return fixed != null ? Long.parseLong(fixed) : new Random().nextLong();
  }

  public static int tries(int wanted) {
    String override = System.getProperty("ats.property.tries");
    return override != null ? Integer.parseInt(override) : wanted;
  }

  /** Runs {@code check} on every edge case, then on {@code tries} inputs of {@code gen}. */
  public static <T> void forAll(String name, int tries, List<T> edgeCases, Gen<T> gen, Check<T> check) {
    long seed = seed();
    for (T input : edgeCases) run(name, "edge case", seed, input, check);
    Random random = new Random(seed);
    int count = tries(tries);
    for (int i = 0; i < count; i++) run(name, "try " + (i + 1) + " of " + count, seed, gen.next(random), check);
  }

  public static <T> void forAll(String name, int tries, Gen<T> gen, Check<T> check) {
    forAll(name, tries, List.of(), gen, check);
  }

  private static <T> void run(String name, String which, long seed, T input, Check<T> check) {
    try {
      check.accept(input);
    } catch (Throwable failure) {
      throw new AssertionError(name + " falsified on " + which + " (replay: -Dats.property.seed=" + seed + ")\n  input: "
        + describe(input) + "\n  " + failure.getMessage(), failure);
    }
  }

  /** The input with control and non-ASCII characters escaped, so the report shows exactly what was sent. */
  public static String describe(Object input) {
    String text = input instanceof byte[] bytes ? "bytes " + java.util.HexFormat.of().formatHex(bytes)
      : input instanceof Object[] array ? java.util.Arrays.deepToString(array) : String.valueOf(input);
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(2_000).forEach(c -> {
      if (c >= 0x20 && c < 0x7f) out.appendCodePoint(c);
      else out.append(String.format(c <= 0xffff ? "\\u%04x" : "\\U%08x", c));
    });
    if (text.length() > 2_000) out.append("… (").append(text.length()).append(" chars)");
    return out.toString();
  }
}
