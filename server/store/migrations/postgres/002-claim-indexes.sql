-- Claiming must not scan the table: one index for due work, one for expired leases.
CREATE INDEX executions_lease ON executions(status, lease_until);
