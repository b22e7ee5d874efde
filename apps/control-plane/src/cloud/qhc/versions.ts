import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { qhcV1 } from '@qhc/cloud-api';
import { Region, regionStatusOf, type RegionRecord } from '@qhc/schemas';

// The agent and operator versions of an environment (pure): desired (the region's spec),
// reported (the agent's last status), available (this control plane's release).

const AGENT = 'qhc-agent';
const OPERATOR = 'qhc-operator';

/** The version a component reports: in the region's status, else in its health report. */
function reportedVersion(status: unknown, name: string): string {
  const parsed = regionStatusOf(status);
  return parsed?.components?.find((c) => c.name === name)?.version ?? parsed?.health?.components.find((c) => c.name === name)?.version ?? '';
}

export function versionsOf(region: Pick<RegionRecord, 'spec' | 'status'>, releaseVersion: string): qhcV1.EnvironmentVersions {
  return create(qhcV1.EnvironmentVersionsSchema, {
    agent: { desired: region.spec.agentVersion, reported: reportedVersion(region.status, AGENT) },
    operator: { desired: region.spec.operatorVersion, reported: reportedVersion(region.status, OPERATOR) },
    availableVersions: [releaseVersion],
  });
}

export interface VersionsChange {
  agentVersion?: string;
  operatorVersion?: string;
}

/** The versions asked for, each checked as the region's spec checks it; all problems in one refusal. */
export function parseVersionsChange(req: Pick<qhcV1.UpdateEnvironmentVersionsRequest, 'agentVersion' | 'operatorVersion'>): VersionsChange {
  if (req.agentVersion === undefined && req.operatorVersion === undefined)
    throw new ConnectError('agent_version, operator_version: set at least one', Code.InvalidArgument);
  const problems: string[] = [];
  const check = (field: string, value: string | undefined) => {
    if (value === undefined) return;
    const parsed = Region.shape.agentVersion.safeParse(value);
    if (!parsed.success) problems.push(`${field}: ${JSON.stringify(value.slice(0, 64))} ${parsed.error.issues[0]?.message ?? 'is not a version'}`);
  };
  check('agent_version', req.agentVersion);
  check('operator_version', req.operatorVersion);
  if (problems.length > 0) throw new ConnectError(problems.join('; '), Code.InvalidArgument);
  return {
    ...(req.agentVersion !== undefined ? { agentVersion: req.agentVersion } : {}),
    ...(req.operatorVersion !== undefined ? { operatorVersion: req.operatorVersion } : {}),
  };
}

/** The region's spec with the change applied; undefined when nothing changes (nothing to write). */
export function changedSpec(spec: Region, change: VersionsChange): Region | undefined {
  const next = { ...spec, ...change };
  return next.agentVersion === spec.agentVersion && next.operatorVersion === spec.operatorVersion ? undefined : next;
}
