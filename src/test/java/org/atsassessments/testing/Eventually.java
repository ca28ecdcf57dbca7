package org.atsassessments.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waiting for what must happen, polling with a deadline, instead of sleeping a guessed time. */
public final class Eventually {

  private Eventually() {
  }

  /** Reads until {@code until} holds for what was read (at most {@code seconds}); answers that. */
  public static <T> T await(String what, Supplier<T> read, Predicate<T> until, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    T last = read.get();
    while (!until.test(last)) {
      if (System.nanoTime() > deadline) return fail(what + " did not happen within " + seconds + " s; last seen: " + last);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail("interrupted while waiting for " + what);
      }
      last = read.get();
    }
    return last;
  }
}
