-- Shared by the processes of a cluster: token buckets for rate and login limits (the single node keeps them in
-- memory), and one row per live process (its role and a heartbeat), so two processes never share a worker id.
CREATE TABLE limit_buckets (
  key         TEXT PRIMARY KEY,
  tokens      DOUBLE PRECISION NOT NULL,
  -- 1 when the last take got a token, 0 when it was refused (read back by the same statement).
  ok          INTEGER NOT NULL DEFAULT 1,
  updated_at  BIGINT NOT NULL
);
CREATE INDEX limit_buckets_updated ON limit_buckets(updated_at);

CREATE TABLE cluster_nodes (
  node_id     TEXT PRIMARY KEY,
  boot_id     TEXT NOT NULL,
  role        TEXT NOT NULL,
  started_at  BIGINT NOT NULL,
  seen_at     BIGINT NOT NULL
);
