package org.atsassessments.repository;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.atsassessments.events.EventTypes;
import org.atsassessments.model.FieldSelection;
import org.atsassessments.model.StackOneContract;
import org.atsassessments.repository.api.PackageWrite;
import org.atsassessments.repository.api.Page;
import org.atsassessments.repository.api.PageReply;
import org.atsassessments.repository.api.Read;
import org.atsassessments.repository.api.RecordReply;
import org.atsassessments.repository.api.RepositoryException;
import org.atsassessments.store.Store;
import org.atsassessments.store.DuplicateKeyException;
import org.atsassessments.store.StoredDocument;


/**
 * Assessment packages, per account. StackOne has no call that creates them, so a vendor or operator
 * publishes its catalogue with {@code PUT .../packages/{id}} (create or replace); StackOne's two GETs read it.
 */
final class AssessmentPackages {

  static final String LISTING = "packages";
  /** assessment_package.id is a VARCHAR(255): a longer id is refused, not a failed insert. */
  static final int MAX_ID_LENGTH = 255;
  private static final String SCHEMA = "AssessmentPackage";

  private final Store store;
  private final PackageCache cache;
  private final FieldSelection packageShape = StackOneContract.get().shape(SCHEMA);

  AssessmentPackages(Store store, PackageCache cache) {
    this.store = store;
    this.cache = cache;
  }

  /** {@code {"data": package}} cut down to {@code fields}, plus {@code raw} when asked; without raw, from the cache when it is there. */
  Future<RecordReply> get(String accountId, String id, Read read) {
    Future<StoredDocument> stored = read.raw() ? store.packages().find(accountId, id, true)
      : cache.get(accountId, id, () -> store.packages().find(accountId, id, false));
    return stored.map(found -> {
      if (found == null) throw RepositoryException.notFound();
      return RecordReply.of(Envelopes.single(found.document(), found.exchange(), FieldSelection.ofPaths(read.fields()),
        read.raw()), null);
    });
  }

  Future<PageReply> list(String accountId, Page page, Read read) {
    return Envelopes.page(store.packages(), LISTING, accountId, page, FieldSelection.ofPaths(read.fields()), read.raw());
  }

  /** Creates or replaces the package {@code id} of the account; answers {@code {"data": package}}. */
  Future<RecordReply> put(String accountId, String id, PackageWrite write) {
    Object body = write.body();
    JsonObject sent = BodyValidation.valid(SCHEMA, body);
    Object bodyId = sent.getValue("id");
    if (bodyId != null && !id.equals(bodyId)) {
      throw new RepositoryException(422, "id: must be absent or equal to the id in the path");
    }
    BodyValidation.checkedId("id", id, MAX_ID_LENGTH);
    String remoteId = BodyValidation.checkedId("remote_id", BodyValidation.nonBlankString(sent.getValue("remote_id")));
    JsonObject document = packageShape.apply(sent.copy().put("id", id).put("remote_id", remoteId));
    JsonObject response = new JsonObject().put("data", document);
    JsonObject exchange = write.request().toJson().put("body", body).put("response", response);
    long now = System.currentTimeMillis();
    return store.write(change -> store.packages().findById(change.connection(), accountId, id).compose(existing -> {
      change.emit(EventTypes.event(EventTypes.PACKAGE_UPDATED, accountId, EventTypes.NATIVE, EventTypes.PACKAGE, id, remoteId,
        document, change.seq(), System.currentTimeMillis()));  // when it runs: event dates follow the change order
      if (existing == null) {
        return store.packages().insert(change.connection(),
          new StoredDocument(id, accountId, remoteId, document, exchange, now, now, change.seq(), 1));
      }
      StoredDocument replaced = new StoredDocument(id, accountId, remoteId, document, exchange, existing.createdMs(), now,
        change.seq(), existing.version() + 1);
      return store.packages().update(change.connection(), replaced).mapEmpty();
    })).recover(e -> Future.failedFuture(e instanceof DuplicateKeyException
      // created by another request in the same moment (on another node): this one changed nothing
      ? new RepositoryException(409, "The package was created by another request at the same time; send it again") : e))
      .map(done -> {
        cache.changed(accountId);
        return RecordReply.of(response, null);
      });
  }
}
