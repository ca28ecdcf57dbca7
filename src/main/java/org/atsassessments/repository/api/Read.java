package org.atsassessments.repository.api;

import java.util.List;

/**
 * What a read asks for besides the record: the fields to keep (top-level names or dotted paths, as REST's
 * {@code fields=}; null = the whole record) and whether to add {@code raw}, the exchanges that wrote it.
 */
public record Read(List<String> fields, boolean raw) {

  /** The whole record, without raw. */
  public static final Read WHOLE = new Read(null, false);

  public Read {
    fields = fields == null || fields.isEmpty() ? null : List.copyOf(fields);
  }
}
