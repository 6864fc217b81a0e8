-- Flows, their saved versions, inbound events, executions (with their steps and attempts), dedup keys.
-- PostgreSQL twin of ../001-initial.sql: same tables, columns and indexes; times are ms since the epoch (bigint).
-- Ids and SKUs compare byte-wise (COLLATE "C") as in SQLite, so keyset paging and "newest first" agree.
CREATE TABLE flows (
  id          TEXT COLLATE "C" PRIMARY KEY,
  name        TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 0,
  version     INTEGER NOT NULL,
  doc         TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  token_enc   TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);

CREATE TABLE flow_versions (
  flow_id     TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
  version     INTEGER NOT NULL,
  doc         TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (flow_id, version)
);

CREATE TABLE events (
  id           TEXT COLLATE "C" PRIMARY KEY,
  flow_id      TEXT NOT NULL,
  received_at  BIGINT NOT NULL,
  envelope     TEXT NOT NULL
);

CREATE TABLE executions (
  id           TEXT COLLATE "C" PRIMARY KEY,
  flow_id      TEXT NOT NULL,
  flow_version INTEGER NOT NULL,
  event_id     TEXT NOT NULL REFERENCES events(id),
  mode         TEXT NOT NULL,
  status       TEXT NOT NULL,
  due_at       BIGINT NOT NULL,
  lease_owner  TEXT,
  lease_until  BIGINT NOT NULL DEFAULT 0,
  fence        INTEGER NOT NULL DEFAULT 0,
  replay_of    TEXT,
  created_at   BIGINT NOT NULL,
  started_at   BIGINT,
  finished_at  BIGINT,
  error        TEXT,
  response     TEXT,
  -- Every step and every attempt, as JSON arrays (text): one row write per commit keeps the runner fast.
  steps        TEXT NOT NULL DEFAULT '[]',
  attempts     TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX executions_due ON executions(status, due_at);
CREATE INDEX executions_flow ON executions(flow_id, created_at DESC);
CREATE INDEX executions_created ON executions(created_at DESC);

CREATE TABLE idempotency_keys (
  flow_id      TEXT NOT NULL,
  key          TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  expires_at   BIGINT NOT NULL,
  PRIMARY KEY (flow_id, key)
);
CREATE INDEX idempotency_expiry ON idempotency_keys(expires_at);
