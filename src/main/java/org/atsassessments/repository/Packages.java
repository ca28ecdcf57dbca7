package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.atsassessments.model.Contract;
import org.atsassessments.model.FieldSelection;
import org.atsassessments.store.Store;
import org.atsassessments.store.StoredDocument;

import java.util.List;

/**
 * Assessment packages, per account. StackOne has no call that creates them, so a vendor or operator
 * publishes its catalogue with {@code PUT .../packages/{id}} (create or replace); StackOne's two GETs read it.
 */
final class Packages {

  static final String LISTING = "packages";
  /** assessment_package.id is a VARCHAR(255): a longer id is refused, not a failed insert. */
  static final int MAX_ID_LENGTH = 255;
  private static final String SCHEMA = "AssessmentPackage";

  private final Store store;
  private final FieldSelection packageShape = Contract.get().shape(SCHEMA);

  Packages(Store store) {
    this.store = store;
  }

  Future<Reply> get(String accountId, String id, List<String> fields, boolean raw) {
    return store.packages().find(accountId, id, raw).map(found -> {
      if (found == null) throw RepositoryFailure.notFound();
      return Reply.of(Listing.single(found.document(), found.exchange(), FieldSelection.ofPaths(fields), raw));
    });
  }

  Future<JsonObject> list(String accountId, PageRequest page, List<String> fields, boolean raw, boolean cursors) {
    return Listing.page(store.packages(), LISTING, accountId, page, FieldSelection.ofPaths(fields), raw, cursors);
  }

  /** Creates or replaces the package {@code id} of the account; answers {@code {"data": package}}. */
  Future<Reply> put(String accountId, String id, Object body, JsonObject request) {
    JsonObject sent = Bodies.valid(SCHEMA, body);
    Object bodyId = sent.getValue("id");
    if (bodyId != null && !id.equals(bodyId)) {
      throw new RepositoryFailure(422, "id: must be absent or equal to the id in the path");
    }
    Bodies.checkedId("id", id, MAX_ID_LENGTH);
    String remoteId = Bodies.checkedId("remote_id", Bodies.nonBlankString(sent.getValue("remote_id")));
    JsonObject document = packageShape.apply(sent.copy().put("id", id).put("remote_id", remoteId));
    JsonObject response = new JsonObject().put("data", document);
    JsonObject exchange = request.copy().put("body", body).put("response", response);
    long now = System.currentTimeMillis();
    return store.write((connection, change) -> store.packages().findById(connection, accountId, id).compose(existing -> {
      if (existing == null) {
        return store.packages().insert(connection,
          new StoredDocument(id, accountId, remoteId, document, exchange, now, now, change, 1));
      }
      StoredDocument replaced = new StoredDocument(id, accountId, remoteId, document, exchange, existing.createdMs(), now,
        change, existing.version() + 1);
      return store.packages().update(connection, replaced).mapEmpty();
    })).map(done -> Reply.of(response));
  }
}
