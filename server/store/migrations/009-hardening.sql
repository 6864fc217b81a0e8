-- Addresses each account signed in from (A-15): while failed logins from elsewhere wall the account, a known
-- address gets a delay instead. `address` is a keyed hash of the limiter's address key (an IPv4 address or an
-- IPv6 /64), never the address itself.
CREATE TABLE login_addresses (
  user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  address        TEXT NOT NULL,
  last_login_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, address)
);
CREATE INDEX login_addresses_age ON login_addresses(last_login_at);

-- Endpoint health per flow and URL template (H-16), no longer per origin across flows: a 410 on one templated
-- path of flow A must not disable flow B's calls to the same origin. `url` is the http node's URL as saved,
-- with its variable parts as written (`https://shop.example/orders/{{ input.id }}`); when the origin itself is
-- templated, it is `<rendered origin> <template>`. `flow_id` is '' for calls made outside a flow. `origin` is
-- the origin of the last call, for messages. Rows kept per origin cannot be attributed to a flow: they are
-- dropped, so an origin disabled before the upgrade is tried again (and disabled again per flow if it still fails).
CREATE TABLE endpoints_v2 (
  id               TEXT PRIMARY KEY,
  flow_id          TEXT NOT NULL DEFAULT '',
  url              TEXT NOT NULL,
  origin           TEXT NOT NULL,
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
  UNIQUE (flow_id, url),
  CHECK ((disabled_at IS NULL) = (disabled_reason IS NULL))
);
DROP TABLE endpoints;
ALTER TABLE endpoints_v2 RENAME TO endpoints;
