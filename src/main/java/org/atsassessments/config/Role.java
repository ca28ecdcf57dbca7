package org.atsassessments.config;

import java.util.Locale;

/** What a node runs: the HTTP facades, the order repository, or both. */
public enum Role {
  ALL, HTTP, REPOSITORY;

  public static Role parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("role must be all, http or repository, not '" + value + "'");
    }
  }

  public boolean servesApi() {
    return this != REPOSITORY;
  }

  public boolean ownsData() {
    return this != HTTP;
  }
}
