package org.atsassessments.repository.api;

import java.time.Instant;

/**
 * Which page of a list: its size (1 to {@value #MAX_SIZE}), the cursor of the previous page ({@code next},
 * null for the first), an optional lower bound on updates (strictly after), and whether each item's own cursor
 * is wanted (GraphQL edges). Built at the edge from what the client sent; this record only holds values that
 * are already valid.
 */
public record Page(int size, String after, Instant updatedAfter, boolean cursors) {

  public static final int DEFAULT_SIZE = 25;
  public static final int MAX_SIZE = 100;

  public Page {
    if (size < 1 || size > MAX_SIZE) throw new IllegalArgumentException("page size " + size + " is not 1 to " + MAX_SIZE);
    if (after != null && after.isBlank()) after = null;
  }

  /** A requested size as a page size: at least 1 (or the caller's refusal), above {@value #MAX_SIZE} means that. */
  public static int clamp(long requested) {
    return (int) Math.min(Math.max(requested, 1), MAX_SIZE);
  }
}
