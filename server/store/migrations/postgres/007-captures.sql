-- "Listen for a real event": per-flow capture windows and the deliveries captured during them (docs/listen.md).
CREATE TABLE capture_windows (
  flow_id     TEXT PRIMARY KEY REFERENCES flows(id) ON DELETE CASCADE,
  until       BIGINT NOT NULL
);

CREATE TABLE captures (
  id            TEXT COLLATE "C" PRIMARY KEY,
  flow_id       TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
  received_at   BIGINT NOT NULL,
  method        TEXT NOT NULL,
  query         TEXT NOT NULL,
  headers       TEXT NOT NULL,
  body          BYTEA NOT NULL,
  sig_ok        INTEGER NOT NULL CHECK (sig_ok IN (0, 1)),
  sig_reason    TEXT,
  auth_kind     TEXT NOT NULL,
  auth_preset   TEXT,
  client        TEXT,
  live          INTEGER NOT NULL CHECK (live IN (0, 1))
);
CREATE INDEX captures_flow ON captures(flow_id, id DESC);
