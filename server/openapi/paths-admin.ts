/** OpenAPI paths for /api/credentials*, /api/inventory*, /api/endpoints*, /api/setup, /api/auth/* and /api/tokens*. */
import { errors, idParam, json, listOf, noContent, op, PAGE, ref, type Json } from './build-helpers.js';

const credId = [idParam('credential')];
const sku: Json = { name: 'sku', in: 'path', required: true, description: 'The stock keeping unit', schema: { type: 'string' } };

export const ADMIN_PATHS: Readonly<Record<string, Json>> = {
  '/api/credentials': {
    get: op({ tag: 'credentials', summary: 'List credentials (field names only, never values)', params: PAGE, responses: { 200: json(listOf(ref('Credential'))), ...errors(400) } }),
    post: op({ tag: 'credentials', summary: 'Store a credential; its secret fields are write-only', body: ref('CredentialInput'), responses: { 201: json(ref('Credential'), 'Created'), ...errors(400) } }),
  },
  '/api/credentials/{id}': {
    get: op({ tag: 'credentials', summary: 'One credential (field names only)', params: credId, responses: { 200: json(ref('Credential')), ...errors(404) } }),
    put: op({ tag: 'credentials', summary: 'Rename or rotate a credential', params: credId, body: ref('CredentialUpdate'), responses: { 200: json(ref('Credential')), ...errors(400, 404) } }),
    delete: op({ tag: 'credentials', summary: 'Delete a credential', params: credId, responses: { 204: noContent, ...errors(404, 409) } }),
  },
  '/api/inventory': {
    get: op({ tag: 'inventory', summary: 'List stock items', params: [{ name: 'search', in: 'query', schema: { type: 'string', maxLength: 100 } }, ...PAGE],
      responses: { 200: json(listOf(ref('StockItem'))), ...errors(400) } }),
  },
  '/api/inventory/{sku}': {
    get: op({ tag: 'inventory', summary: 'One stock item', params: [sku], responses: { 200: json(ref('StockItem')), ...errors(400, 404) } }),
    put: op({ tag: 'inventory', summary: 'Set a stock item by hand (creates it if new)', params: [sku], body: ref('StockPut'),
      responses: { 200: json(ref('StockItem')), 201: json(ref('StockItem'), 'Created'), ...errors(400) } }),
  },
  '/api/inventory/{sku}/movements': {
    get: op({ tag: 'inventory', summary: "A stock item's movements, newest first", params: [sku, ...PAGE], responses: { 200: json(listOf(ref('Movement'))), ...errors(400, 404) } }),
  },
  '/api/endpoints': {
    get: op({ tag: 'endpoints', summary: 'Health of outgoing-HTTP endpoints (per origin)', params: [{ name: 'state', in: 'query', schema: { enum: ['healthy', 'failing', 'disabled'] } }, ...PAGE],
      responses: { 200: json(listOf(ref('Endpoint'))), ...errors(400) } }),
  },
  '/api/endpoints/{id}': {
    get: op({ tag: 'endpoints', summary: 'One endpoint', params: [idParam('endpoint')], responses: { 200: json(ref('Endpoint')), ...errors(404) } }),
  },
  '/api/endpoints/{id}/enable': {
    post: op({ tag: 'endpoints', summary: 'Re-enable a disabled endpoint', params: [idParam('endpoint')], responses: { 200: json(ref('Endpoint')), ...errors(404) } }),
  },
  '/api/setup': {
    post: op({ tag: 'accounts', summary: 'Create the owner (only while no user exists); starts a session', public: true, body: ref('SetupRequest'),
      responses: { 201: json(ref('User'), 'Created; Set-Cookie carries the session'), ...errors(400, 403, 409, 429) } }),
  },
  '/api/auth/login': {
    post: op({ tag: 'accounts', summary: 'Log in; sets the HttpOnly session cookie', public: true, body: ref('LoginRequest'),
      responses: { 200: json(ref('User')), ...errors(400, 401, 429, 503) } }),
  },
  '/api/auth/logout': { post: op({ tag: 'accounts', summary: 'End the session', responses: { 204: noContent } }) },
  '/api/auth/me': { get: op({ tag: 'accounts', summary: 'Who is calling', responses: { 200: json(ref('Me')) } }) },
  '/api/tokens': {
    get: op({ tag: 'accounts', summary: 'List API tokens (never their values)', responses: { 200: json(listOf(ref('Token'))) } }),
    post: op({ tag: 'accounts', summary: 'Create an API token; the value is shown once', body: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, scope: { enum: ['owner', 'read'], description: 'read: GET and HEAD only, no webhook URLs (default owner)' } } },
      responses: { 201: json(ref('TokenCreated'), 'Created'), ...errors(400) } }),
  },
  '/api/tokens/{id}': {
    delete: op({ tag: 'accounts', summary: 'Revoke an API token', params: [idParam('token')], responses: { 204: noContent, ...errors(404) } }),
  },
};
