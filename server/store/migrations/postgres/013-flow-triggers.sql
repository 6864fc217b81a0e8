-- Issue 15: signals delivered to parked steps (a request to a wait node's resume URL, a called flow's result),
-- parent/child links between executions (sub-flows, error flows), and the slots a schedule has fired.
-- Shaped like ../013-flow-triggers.sql.
CREATE TABLE signals (
  execution_id TEXT NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
  node_id      TEXT NOT NULL,
  payload      TEXT NOT NULL,
  received_at  BIGINT NOT NULL,
  PRIMARY KEY (execution_id, node_id)
);

ALTER TABLE executions ADD COLUMN parent_id TEXT;
ALTER TABLE executions ADD COLUMN parent_step TEXT;
CREATE INDEX executions_parent ON executions(parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE schedule_slots (
  flow_id      TEXT NOT NULL,
  slot         BIGINT NOT NULL,
  execution_id TEXT,
  fired_at     BIGINT NOT NULL,
  PRIMARY KEY (flow_id, slot)
);
