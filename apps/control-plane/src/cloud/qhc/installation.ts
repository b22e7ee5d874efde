import { create, type JsonObject } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { qhcV1 } from '@qhc/cloud-api';
import { chartReference, chartValues } from '@qhc/manifests';
import type { RegionRecord } from '@qhc/schemas';
import { installationProblem, issueInstallation } from '../../installation.ts';
import { registryCredentials } from '../../repositories/regions.ts';
import type { CloudDeps } from '../context.ts';

// qhc.v1 CreateInstallation: the same installation /api/v1 issues, plus the chart and its values
// for those who install with their own Helm tooling.

export async function createInstallation(deps: CloudDeps, region: RegionRecord): Promise<qhcV1.Installation> {
  const publicUrl = deps.publicUrl();
  // Checked before a token is issued: a refused call leaves the region's tokens as they were.
  const problem = installationProblem(region, publicUrl);
  if (problem) throw new ConnectError(problem, Code.FailedPrecondition);
  const issued = await issueInstallation(deps.db, { regionId: region.id, publicUrl, ttlSeconds: deps.bootstrapTokenTtlSeconds, now: deps.now });
  const registry = await registryCredentials(deps.db, region.id);
  const values = chartValues(region.spec, { controlPlaneUrl: publicUrl, bootstrapToken: issued.bootstrapToken, ...(registry ? { registry } : {}) });
  return create(qhcV1.InstallationSchema, {
    bootstrapToken: issued.bootstrapToken,
    expiresAt: timestampFromDate(new Date(issued.expiresAt)),
    scriptUrl: issued.scriptUrl,
    command: issued.command,
    helmScriptUrl: issued.helmScriptUrl,
    helmCommand: issued.helmCommand,
    helmChart: chartReference(region.spec),
    // Through JSON: the values are plain data, and a Struct holds no undefined.
    helmValues: JSON.parse(JSON.stringify(values)) as JsonObject,
  });
}
