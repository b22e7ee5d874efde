import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import type { qhcV1 } from '@qhc/cloud-api';
import { regionToken } from '../../repositories/account-objects.ts';
import { updateRegion } from '../../repositories/regions.ts';
import { revokeToken, tokenPage } from '../../repositories/tokens.ts';
import type { CloudDeps } from '../context.ts';
import { toAgentToken } from './agent-tokens.ts';
import { pageOf, uuidField } from './fields.ts';
import { healthOf } from './health.ts';
import { createInstallation } from './installation.ts';
import { credentialsView, parseRegistryCredentials, storeRegistryCredentials } from './registry-credentials.ts';
import { environmentOf } from './lookup.ts';
import { changedSpec, parseVersionsChange, versionsOf } from './versions.ts';

// qhc.v1.EnvironmentAgentService: the qhc agent's side of an environment (a region). Each
// handler finds the caller's region first: another account's is NotFound whatever the body.

export function environmentAgentService(deps: CloudDeps): ServiceImpl<typeof qhcV1.EnvironmentAgentService> {
  return {
    async getEnvironmentVersions(req, ctx) {
      const region = await environmentOf(deps, ctx, req.hybridCloudEnvironmentId);
      return { versions: versionsOf(region, deps.releaseVersion) };
    },
    // The agent sees the new versions on its next poll (the write bumps the region's revision).
    async updateEnvironmentVersions(req, ctx) {
      const region = await environmentOf(deps, ctx, req.hybridCloudEnvironmentId);
      const spec = changedSpec(region.spec, parseVersionsChange(req));
      if (!spec) return { versions: versionsOf(region, deps.releaseVersion) };
      await updateRegion(deps.db, region.id, spec, undefined);
      return { versions: versionsOf({ ...region, spec }, deps.releaseVersion) };
    },
    async createInstallation(req, ctx) {
      return { installation: await createInstallation(deps, await environmentOf(deps, ctx, req.hybridCloudEnvironmentId)) };
    },
    async listAgentTokens(req, ctx) {
      const region = await environmentOf(deps, ctx, req.hybridCloudEnvironmentId);
      // The sort key is (created_at, id): two values in a page token.
      const page = await tokenPage(deps.db, region.id, pageOf(req, 2));
      return { items: page.items.map(toAgentToken), nextPageToken: page.nextPageToken ?? '' };
    },
    async revokeAgentToken(req, ctx) {
      const region = await environmentOf(deps, ctx, req.hybridCloudEnvironmentId);
      const id = uuidField('agent_token_id', req.agentTokenId);
      const token = await regionToken(deps.db, region.id, id);
      if (!token) throw new ConnectError(`agent token ${id} does not exist in hybrid cloud environment ${region.id}`, Code.NotFound);
      if (!(await revokeToken(deps.db, id, deps.now))) throw new ConnectError(`agent token ${id} is already revoked`, Code.FailedPrecondition);
      return {};
    },
    async getEnvironmentHealth(req, ctx) {
      return { health: healthOf(await environmentOf(deps, ctx, req.hybridCloudEnvironmentId)) };
    },
    async getRegistryCredentials(req, ctx) {
      return { registryCredentials: credentialsView(await environmentOf(deps, ctx, req.hybridCloudEnvironmentId)) };
    },
    async setRegistryCredentials(req, ctx) {
      const region = await environmentOf(deps, ctx, req.hybridCloudEnvironmentId);
      const credentials = parseRegistryCredentials(req);
      await storeRegistryCredentials(deps, region, credentials);
      return { registryCredentials: credentialsView({ registryCredentials: { username: credentials.username } }) };
    },
    async deleteRegistryCredentials(req, ctx) {
      const region = await environmentOf(deps, ctx, req.hybridCloudEnvironmentId);
      if (!region.registryCredentials) throw new ConnectError(`hybrid cloud environment ${region.id} has no registry credentials`, Code.NotFound);
      await storeRegistryCredentials(deps, region, null);
      return {};
    },
  };
}
