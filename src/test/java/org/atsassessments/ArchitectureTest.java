package org.atsassessments;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The folders show the architecture and imports point down (docs/architecture.md): start-up wiring above the
 * facades, the facades above the edge and the repository contract, the wire below the contract, the repository
 * above the store. No two packages import each other. Checked on the compiled classes with ArchUnit.
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.atsassessments");

  @Test
  void noTwoPackagesImportEachOther() {
    slices().matching("org.atsassessments.(**)").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void importsPointDown() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("start-up").definedBy("org.atsassessments.boot..", "org.atsassessments.cluster..")
      .layer("REST").definedBy("org.atsassessments.rest..")
      .layer("GraphQL").definedBy("org.atsassessments.graphql..")
      .layer("connectors").definedBy("org.atsassessments.connectors..")
      .layer("bridges").definedBy("org.atsassessments.bridge..")
      .layer("edge").definedBy("org.atsassessments.edge..")
      .layer("contract").definedBy("org.atsassessments.repository.api..")
      .layer("wire").definedBy("org.atsassessments.repository.bus..")
      .layer("repository").definedBy("org.atsassessments.repository")
      .layer("events").definedBy("org.atsassessments.events..")
      .layer("store").definedBy("org.atsassessments.store..")
      .whereLayer("start-up").mayNotBeAccessedByAnyLayer()
      .whereLayer("REST").mayOnlyBeAccessedByLayers("start-up")
      .whereLayer("GraphQL").mayOnlyBeAccessedByLayers("start-up")
      .whereLayer("connectors").mayOnlyBeAccessedByLayers("start-up")
      .whereLayer("bridges").mayOnlyBeAccessedByLayers("start-up")
      .whereLayer("edge").mayOnlyBeAccessedByLayers("start-up", "REST", "GraphQL", "connectors", "bridges")
      // the bridges speak the wire itself to programs outside the JVM
      .whereLayer("wire").mayOnlyBeAccessedByLayers("start-up", "repository", "bridges")
      .whereLayer("repository").mayOnlyBeAccessedByLayers("start-up")
      .whereLayer("events").mayOnlyBeAccessedByLayers("repository")
      .whereLayer("store").mayOnlyBeAccessedByLayers("repository", "events")
      .whereLayer("contract").mayOnlyBeAccessedByLayers("start-up", "REST", "GraphQL", "connectors", "edge", "wire", "repository",
        "events", "bridges")
      .check(CLASSES);
  }
}
