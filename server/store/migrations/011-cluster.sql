-- Shared by the processes of a cluster: token buckets for rate and login limits, and one row per live process.
-- Numbered and shaped like postgres/011-cluster.sql; a single node on SQLite keeps its limits in memory and
-- does not use these tables (they exist so both stores have every table, docs/scale-out.md).
CREATE TABLE limit_buckets (
  key         TEXT PRIMARY KEY,
  tokens      REAL NOT NULL,
  -- 1 when the last take got a token, 0 when it was refused (read back by the same statement).
  ok          INTEGER NOT NULL DEFAULT 1,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX limit_buckets_updated ON limit_buckets(updated_at);

CREATE TABLE cluster_nodes (
  node_id     TEXT PRIMARY KEY,
  boot_id     TEXT NOT NULL,
  role        TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  seen_at     INTEGER NOT NULL
);
