-- "Listen for a real event": per-flow capture windows and the deliveries captured during them (docs/listen.md).
-- A capture is the request as sent (credential-carrying headers redacted), its signature check result, and
-- nothing else: it never runs the flow by itself. At most 50 per flow are kept (oldest pruned on insert);
-- both tables follow their flow on delete.
CREATE TABLE capture_windows (
  flow_id     TEXT PRIMARY KEY REFERENCES flows(id) ON DELETE CASCADE,
  until       INTEGER NOT NULL
);

CREATE TABLE captures (
  id            TEXT PRIMARY KEY,
  flow_id       TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
  received_at   INTEGER NOT NULL,
  method        TEXT NOT NULL,
  -- The query string as sent, without "?"; the path is never stored (it holds the webhook token).
  query         TEXT NOT NULL,
  -- JSON object of lower-cased header names to values; Authorization and token headers are "[redacted]".
  headers       TEXT NOT NULL,
  body          BLOB NOT NULL,
  sig_ok        INTEGER NOT NULL CHECK (sig_ok IN (0, 1)),
  sig_reason    TEXT,
  auth_kind     TEXT NOT NULL,
  auth_preset   TEXT,
  client        TEXT,
  -- 1 when the flow was active: the delivery also went through the live path (and ran if accepted).
  live          INTEGER NOT NULL CHECK (live IN (0, 1))
);
CREATE INDEX captures_flow ON captures(flow_id, id DESC);
