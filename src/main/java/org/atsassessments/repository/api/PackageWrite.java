package org.atsassessments.repository.api;

/** A package to publish (create or replace): the body as received and the request that carried it. */
public record PackageWrite(Object body, Exchange request) {
}
