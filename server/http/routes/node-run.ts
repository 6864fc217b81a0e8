/** POST /api/flows/:id/nodes/:nodeId/run: run one node on a given input ("run this node" in the editor). */
import { Router } from 'express';
import type { NodeRunner, NodeRunRequest } from '../../flows/run-node.js';

export function nodeRunRouter(runner: NodeRunner): Router {
  const r = Router();
  r.post('/:id/nodes/:nodeId/run', async (req, res) => {
    res.json(await runner.run(req.params.id, req.params.nodeId, (req.body ?? {}) as NodeRunRequest));
  });
  return r;
}
