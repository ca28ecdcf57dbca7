package org.atsassessments.graphql;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.Node;
import graphql.language.NodeTraverser;
import graphql.language.NodeVisitorStub;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Parsed and validated documents, kept by query text (bounded, least recently used out) and shared by the
 * event loops of one Vert.x instance: a repeated query is neither parsed nor validated again. Two limits
 * apply here, before anything runs: the query's size in characters and its number of aliases.
 */
final class DocumentCache implements PreparsedDocumentProvider {

  private record Entry(PreparsedDocumentEntry document, int aliases) {
  }

  /** The documents of one Vert.x instance, in its local shared data. */
  static final class Documents implements Shareable {
    private final Map<String, Entry> entries;
    private final AtomicLong parsed = new AtomicLong();

    private Documents(int capacity) {
      this.entries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
          return size() > capacity;
        }
      };
    }

    static Documents of(Vertx vertx, int capacity) {
      LocalMap<String, Documents> shared = vertx.sharedData().getLocalMap("ats.graphql.documents");
      Documents created = new Documents(capacity);
      Documents existing = shared.putIfAbsent("documents", created);
      return existing != null ? existing : created;
    }

    /** How many documents were parsed and validated (tests count work with it). */
    long parsed() {
      return parsed.get();
    }
  }

  private final int maxQueryChars;
  private final int maxAliases;
  private final Documents documents;

  DocumentCache(Documents documents, int maxQueryChars, int maxAliases) {
    this.documents = documents;
    this.maxQueryChars = maxQueryChars;
    this.maxAliases = maxAliases;
  }

  @Override
  public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
                                                                    Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
    String query = input.getQuery();
    if (query.length() > maxQueryChars) {
      return CompletableFuture.completedFuture(new PreparsedDocumentEntry(GraphQLErrors.requestError("QUERY_TOO_LARGE",
        "The query has " + query.length() + " characters; at most " + maxQueryChars + " are allowed")));
    }
    Entry entry;
    synchronized (documents.entries) {
      entry = documents.entries.get(query);
    }
    if (entry == null) {
      documents.parsed.incrementAndGet();
      PreparsedDocumentEntry parsed = parseAndValidate.apply(input);
      entry = new Entry(parsed, parsed.getDocument() == null ? 0 : aliases(parsed.getDocument()));
      synchronized (documents.entries) {
        documents.entries.put(query, entry);
      }
    }
    if (entry.aliases() > maxAliases) {
      return CompletableFuture.completedFuture(new PreparsedDocumentEntry(GraphQLErrors.requestError("TOO_MANY_ALIASES",
        "The query uses " + entry.aliases() + " aliases; at most " + maxAliases + " are allowed")));
    }
    return CompletableFuture.completedFuture(entry.document());
  }

  static int aliases(Document document) {
    AtomicInteger count = new AtomicInteger();
    new NodeTraverser().preOrder(new NodeVisitorStub() {
      @Override
      public TraversalControl visitField(Field field, TraverserContext<Node> context) {
        if (field.getAlias() != null) count.incrementAndGet();
        return TraversalControl.CONTINUE;
      }
    }, document);
    return count.get();
  }
}
