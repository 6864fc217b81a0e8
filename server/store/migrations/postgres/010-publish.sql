-- Drafts and publishing (issue 11). PostgreSQL twin of ../010-publish.sql: every save is a new version, a draft;
-- webhooks run `published_version`. Existing flows keep running what they ran: their current version is published.
ALTER TABLE flows ADD COLUMN published_version INTEGER;
UPDATE flows SET published_version = version;
ALTER TABLE flow_versions ADD COLUMN saved_by TEXT;
