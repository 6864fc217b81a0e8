-- Drafts and publishing (issue 11): every save is a new version, a draft; webhooks run `published_version`.
-- Existing flows keep running what they ran: their current version is published. `saved_by` names who saved a
-- version (an email, "api token …", "cli"); versions saved before this migration have none.
ALTER TABLE flows ADD COLUMN published_version INTEGER;
UPDATE flows SET published_version = version;
ALTER TABLE flow_versions ADD COLUMN saved_by TEXT;
