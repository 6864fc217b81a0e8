-- Health of outgoing-HTTP endpoints (one row per URL origin, scheme://host:port) for auto-disable (THREATS H-15).
-- failing_since is the start of the current run of consecutive failures (NULL while healthy); an endpoint
-- failing for the whole configured window, or answering 410 Gone, gets disabled_at and is not called again
-- until it is re-enabled through the API.
CREATE TABLE endpoints (
  id               TEXT PRIMARY KEY,
  origin           TEXT NOT NULL UNIQUE,
  failing_since    INTEGER,
  failures         INTEGER NOT NULL DEFAULT 0,
  last_failure_at  INTEGER,
  last_success_at  INTEGER,
  last_status      INTEGER,
  last_error       TEXT,
  disabled_at      INTEGER,
  disabled_reason  TEXT CHECK (disabled_reason IN ('gone', 'failing')),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  CHECK ((disabled_at IS NULL) = (disabled_reason IS NULL))
);
