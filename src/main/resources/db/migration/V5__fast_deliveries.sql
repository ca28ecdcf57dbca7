-- Deliveries without a row on the fast path (issue #16: a POST with one subscription ran at 60-74% of one
-- without, the delivery row's insert and index entries in every write transaction being most of the difference).
-- A delivery the node that commits the event has room for is attempted from memory and its row is written once,
-- with the first attempt's outcome. The event row names that node (fanout_node) and the subscriptions it holds
-- the event for (fanout: their ids, comma-separated); null when every delivery of the event has a row.
ALTER TABLE assessment_event ADD COLUMN fanout_node VARCHAR(64);
ALTER TABLE assessment_event ADD COLUMN fanout VARCHAR;

-- One row per node that may hold deliveries in memory: through_ms, the event time before which every delivery it
-- held has its row, written every webhook_poll_ms (updated_ms). A node silent for webhook_lease_ms (on the
-- embedded store: any other than the one running) is gone; another writes the rows of its events after
-- through_ms (pending, attempted again: at least once) and removes its row.
CREATE TABLE webhook_fanout (
  node_id     VARCHAR(64) PRIMARY KEY,
  through_ms  BIGINT      NOT NULL,
  updated_ms  BIGINT      NOT NULL
);
