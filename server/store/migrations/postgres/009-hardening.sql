-- PostgreSQL twin of ../009-hardening.sql: addresses each account signed in from (A-15), and endpoint health per
-- flow and URL template (H-16) instead of per origin (rows kept per origin are dropped, as on SQLite).
CREATE TABLE login_addresses (
  user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  address        TEXT NOT NULL,
  last_login_at  BIGINT NOT NULL,
  PRIMARY KEY (user_id, address)
);
CREATE INDEX login_addresses_age ON login_addresses(last_login_at);

CREATE TABLE endpoints_v2 (
  id               TEXT COLLATE "C" PRIMARY KEY,
  flow_id          TEXT NOT NULL DEFAULT '',
  url              TEXT NOT NULL,
  origin           TEXT NOT NULL,
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
  UNIQUE (flow_id, url),
  CHECK ((disabled_at IS NULL) = (disabled_reason IS NULL))
);
DROP TABLE endpoints;
ALTER TABLE endpoints_v2 RENAME TO endpoints;
