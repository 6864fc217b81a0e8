-- What a synchronous webhook caller was actually answered (status, headers, capped body, time), as JSON;
-- NULL for async deliveries (always 202), test runs and replays (no HTTP caller). Twin of ../009-execution-answer.sql.
ALTER TABLE executions ADD COLUMN answer TEXT;
