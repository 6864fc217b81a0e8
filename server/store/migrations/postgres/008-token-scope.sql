-- API token scopes: 'owner' (everything, as before) or 'read' (GET and HEAD only; no webhook URLs).
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'owner' CHECK (scope IN ('owner', 'read'));
