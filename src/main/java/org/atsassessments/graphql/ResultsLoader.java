package org.atsassessments.graphql;

import io.vertx.core.json.JsonObject;
import org.atsassessments.repository.api.AssessmentRepository;
import org.atsassessments.repository.api.Scope;
import org.dataloader.BatchLoaderEnvironment;
import org.dataloader.BatchLoaderWithContext;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderOptions;
import org.dataloader.DataLoaderRegistry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The DataLoader behind {@code AssessmentOrder.result}: the results of every order in one response are loaded
 * with one {@code result.getMany}, the union of the selections asked. One registry per request, installed only
 * when the parsed document selects that field (graphql-java dispatches DataLoaders level by level whenever a
 * registry has any, which costs on every field).
 */
final class ResultsLoader {

  static final String NAME = "results";
  private static final int MAX_BATCH = 100;

  private ResultsLoader() {
  }

  static DataLoaderRegistry registry(AssessmentRepository repository, Scope scope) {
    BatchLoaderWithContext<String, JsonObject> results = (orderIds, environment) -> load(repository, scope, orderIds, environment);
    return DataLoaderRegistry.newRegistry()
      .register(NAME, DataLoaderFactory.newDataLoader(results, DataLoaderOptions.newOptions().setMaxBatchSize(MAX_BATCH).build()))
      .build();
  }

  @SuppressWarnings("unchecked")
  private static CompletionStage<List<JsonObject>> load(AssessmentRepository repository, Scope scope, List<String> orderIds,
                                                        BatchLoaderEnvironment environment) {
    Set<String> paths = new LinkedHashSet<>();
    for (Object context : environment.getKeyContextsList()) paths.addAll((List<String>) context);
    return repository.latestResults(scope, orderIds, new ArrayList<>(paths)).toCompletionStage();
  }
}
