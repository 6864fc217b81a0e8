/** Builds the credentials part of Hookflow on an open database: key check, API service, node reader, webhook secrets. */
import type { Clock, CredentialReader, Logger } from '../../nodes/contract.js';
import type { Ids } from '../adapters/ids.js';
import type { FlowNodeDoc } from '../flows/flow-doc.js';
import type { FlowProblem } from '../flows/validate-flow.js';
import type { AuthSecrets } from '../ingress/inbound-auth.js';
import { deriveKey } from '../secrets/crypto.js';
import type { ClusterChannel, CredentialStore } from '../store/types.js';
import { createCredentialAccess } from './credential-access.js';
import { createCredentialService, type CredentialService } from './credential-service.js';
import { checkCredentialRefs } from './flow-refs.js';
import { loadVerifiedMasterKey } from './key-check.js';

export interface CredentialsDeps {
  store: CredentialStore;
  /** In a cluster: a rotation or delete through any process drops every process's decrypted copy at once. */
  cluster?: Pick<ClusterChannel, 'publish' | 'onMessage' | 'onReconnect'>;
  /** HOOKFLOW_SECRET_KEY, if set. */
  secretKey?: string;
  /** The data directory's key file, used (or generated, for a directory without sealed data) when secretKey is unset. */
  keyFile: string;
  ids: Ids;
  clock: Clock;
  log: Logger;
}

export interface Credentials {
  /** The verified master key; other purposes derive their own sub-keys from it. */
  master: Buffer;
  service: CredentialService;
  reader: CredentialReader;
  authSecrets: AuthSecrets;
  /** The secret strings of a credential, for scrubbing what leaves an execution (error flows). */
  secretValues(id: string): Promise<string[]>;
  /** Save-time check of a flow's credential references (for the flow service). */
  checkRefs(nodes: readonly FlowNodeDoc[]): Promise<FlowProblem[]>;
}

/** Throws KeyMismatch when the key does not fit the data directory: start-up must stop. */
export async function openCredentials(d: CredentialsDeps): Promise<Credentials> {
  const store = d.store;
  const master = await loadVerifiedMasterKey(store, d.secretKey, d.keyFile, d.clock.now());
  const key = deriveKey(master, 'credentials');
  const access = createCredentialAccess({ store, key, clock: d.clock, log: d.log });
  d.cluster?.onMessage((m) => { if (m.k === 'credential') access.invalidate(m.id); });
  d.cluster?.onReconnect(() => access.invalidateAll());
  const invalidate = (id: string): void => {
    access.invalidate(id);
    d.cluster?.publish({ k: 'credential', id });
  };
  const service = createCredentialService({ store, key, ids: d.ids, clock: d.clock, invalidate });
  return {
    master, service, reader: access.reader, authSecrets: access.authSecrets, secretValues: access.secretValues,
    checkRefs: (nodes) => checkCredentialRefs(nodes, async (id) => (await store.get(id))?.type),
  };
}
