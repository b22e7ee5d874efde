import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { qhcV1 } from '@qhc/cloud-api';
import type { RegionRecord } from '@qhc/schemas';
import { RegistryCredentialsInput } from '../../api/inputs.ts';
import { updateRegion } from '../../repositories/regions.ts';
import type { RegistryCredentials } from '../../repositories/rows.ts';
import type { CloudDeps } from '../context.ts';

// An environment's registry pull credentials: write-only (the password never leaves the control
// plane except to the region), checked as /api/v1 checks them.

/** The credentials of a request, or every problem naming its field. */
export function parseRegistryCredentials(req: Pick<qhcV1.SetRegistryCredentialsRequest, 'username' | 'password'>): RegistryCredentials {
  const parsed = RegistryCredentialsInput.safeParse({ username: req.username, password: req.password });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.join('.');
    return `${field}: ${issue.message.startsWith(`${field}: `) ? issue.message.slice(field.length + 2) : issue.message}`;
  });
  throw new ConnectError(problems.join('; '), Code.InvalidArgument);
}

export const credentialsView = (region: Pick<RegionRecord, 'registryCredentials'>) =>
  region.registryCredentials ? create(qhcV1.RegistryCredentialsSchema, { username: region.registryCredentials.username }) : undefined;

/** Stores (or with null removes) the credentials: a new revision, so the agent renews its pull Secret. */
export async function storeRegistryCredentials(deps: CloudDeps, region: RegionRecord, credentials: RegistryCredentials | null): Promise<void> {
  await updateRegion(deps.db, region.id, region.spec, credentials);
}
