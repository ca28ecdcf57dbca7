package org.atsassessments.repository.api;

/**
 * A result to report: the body as received, the HTTP {@code If-Match} (null: apply whatever the current
 * version), the request that carried it, and a key unique to this update: when the update is sent again (the
 * bus client repeats it on another node after a node died), the repository recognizes it by the key and answers
 * what it answered the first time rather than a 412.
 */
public record ResultUpdate(Object body, String ifMatch, Exchange request, String key) {
}
