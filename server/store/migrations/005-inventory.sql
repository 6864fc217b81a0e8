-- Built-in stock and its movements ledger. A movement is keyed by (execution, node, sku), so a retried,
-- resumed or re-run step finds its earlier moves and never moves stock twice. Manual sets have no execution.
CREATE TABLE stock_items (
  sku         TEXT PRIMARY KEY,
  name        TEXT NOT NULL DEFAULT '',
  quantity    INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE stock_movements (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  sku           TEXT NOT NULL,
  delta         INTEGER NOT NULL,
  before        INTEGER NOT NULL,
  after         INTEGER NOT NULL,
  execution_id  TEXT,
  node_id       TEXT,
  created_at    INTEGER NOT NULL,
  UNIQUE (execution_id, node_id, sku)
);
CREATE INDEX stock_movements_sku ON stock_movements(sku, id DESC);
