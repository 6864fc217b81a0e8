-- Credentials, sealed with AES-256-GCM (data_enc; the row id and type are the associated data), and one
-- sealed check value that lets start-up tell a wrong master key from a right one (every process of a cluster).
CREATE TABLE credentials (
  id          TEXT COLLATE "C" PRIMARY KEY,
  name        TEXT NOT NULL,
  type        TEXT NOT NULL,
  -- JSON array of the data field names present (never values), so listing needs no decryption.
  fields      TEXT NOT NULL,
  data_enc    TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);

CREATE TABLE secret_key_check (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  sealed      TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
