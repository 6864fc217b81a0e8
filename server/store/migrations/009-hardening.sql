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
