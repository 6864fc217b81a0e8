-- Health of outgoing-HTTP endpoints (one row per URL origin, scheme://host:port) for auto-disable (THREATS H-15).
CREATE TABLE endpoints (
  id               TEXT COLLATE "C" PRIMARY KEY,
  origin           TEXT NOT NULL UNIQUE,
  failing_since    BIGINT,
  failures         INTEGER NOT NULL DEFAULT 0,
  last_failure_at  BIGINT,
  last_success_at  BIGINT,
  last_status      INTEGER,
  last_error       TEXT,
  disabled_at      BIGINT,
  disabled_reason  TEXT CHECK (disabled_reason IN ('gone', 'failing')),
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL,
  CHECK ((disabled_at IS NULL) = (disabled_reason IS NULL))
);
