package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.FieldSelection;
import org.atsassessments.repository.api.Page;
import org.atsassessments.repository.api.PageReply;
import org.atsassessments.store.DocumentTable;
import org.atsassessments.store.StoredDocument;

import java.util.List;

/** StackOne's envelopes: a page of a document table {@code {"next", "data": [...], "raw"?}}, one record {@code {"data", "raw"?}}. */
final class Envelopes {

  private Envelopes() {
  }

  /** When the page asks for cursors, the reply also has {@code "cursors"}: each item's own cursor (for GraphQL edges). */
  static Future<PageReply> page(DocumentTable table, String listing, String accountId, Page request, FieldSelection fields,
                                boolean raw) {
    long after = request.after() == null ? 0 : Cursor.decode(request.after(), listing, accountId);
    long updatedAfterMs = request.updatedAfter() == null ? Long.MIN_VALUE : request.updatedAfter().toEpochMilli();
    boolean cursors = request.cursors();
    return table.list(accountId, after, updatedAfterMs, request.size() + 1, raw).map(rows -> {
      boolean more = rows.size() > request.size();
      List<StoredDocument> page = more ? rows.subList(0, request.size()) : rows;
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
      return new PageReply(reply);
    });
  }

  /** {@code {"data": record}} cut down to {@code fields}, plus the exchange that wrote it when asked. */
  static JsonObject single(JsonObject document, JsonObject exchange, FieldSelection fields, boolean raw) {
    JsonObject reply = new JsonObject().put("data", fields.apply(document));
    if (raw) reply.put("raw", new JsonArray().add(exchange));
    return reply;
  }
}
