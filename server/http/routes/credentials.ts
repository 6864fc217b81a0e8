/** /api/credentials*: create, list, get, rotate (PUT), delete. Answers carry field names, never secret values. */
import { Router } from 'express';
import type { CredentialService } from '../../credentials/credential-service.js';
import { pageArgs } from './paging.js';

export function credentialsRouter(credentials: CredentialService): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const { limit, cursor } = pageArgs(req.query);
    res.json(await credentials.list(limit, cursor));
  });
  r.post('/', async (req, res) => {
    res.status(201).json(await credentials.create(req.body));
  });
  r.get('/:id', async (req, res) => {
    res.json(await credentials.get(req.params.id));
  });
  r.put('/:id', async (req, res) => {
    res.json(await credentials.update(req.params.id, req.body));
  });
  r.delete('/:id', async (req, res) => {
    await credentials.remove(req.params.id);
    res.status(204).end();
  });
  return r;
}
