package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.FieldSelection;
import org.atsassessments.store.DocumentTable;
import org.atsassessments.store.StoredDocument;

import java.util.List;

/** A page of a document table in StackOne's list envelope {@code {"next", "data": [...], "raw"?}}. */
final class Listing {

  private Listing() {
  }

  /** With {@code cursors}, the reply also has {@code "cursors"}: each item's own cursor (for GraphQL edges). */
  static Future<JsonObject> page(DocumentTable table, String listing, String accountId, PageRequest request,
                                 FieldSelection fields, boolean raw, boolean cursors) {
    long after = request.next() == null || request.next().isBlank() ? 0 : Cursor.decode(request.next(), listing, accountId);
    return table.list(accountId, after, request.updatedAfterMs(), request.pageSize() + 1, raw).map(rows -> {
      boolean more = rows.size() > request.pageSize();
      List<StoredDocument> page = more ? rows.subList(0, request.pageSize()) : rows;
      JsonArray data = new JsonArray();
      JsonArray exchanges = new JsonArray();
      JsonArray itemCursors = new JsonArray();
      for (StoredDocument row : page) {
        data.add(fields.apply(row.document()));
        if (raw) exchanges.add(row.exchange());
        if (cursors) itemCursors.add(Cursor.encode(listing, accountId, row.changeSeq()));
      }
      String next = more ? Cursor.encode(listing, accountId, page.get(page.size() - 1).changeSeq()) : null;
      JsonObject reply = new JsonObject().put("next", next).put("data", data);
      if (raw) reply.put("raw", exchanges);
      if (cursors) reply.put("cursors", itemCursors);
      return reply;
    });
  }

  /** {@code {"data": record}} cut down to {@code fields}, plus the exchange that wrote it when asked. */
  static JsonObject single(JsonObject document, JsonObject exchange, FieldSelection fields, boolean raw) {
    JsonObject reply = new JsonObject().put("data", fields.apply(document));
    if (raw) reply.put("raw", new JsonArray().add(exchange));
    return reply;
  }
}
