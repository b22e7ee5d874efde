import { create, type JsonObject } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { qhcV1 } from '@qhc/cloud-api';
import { regionStatusOf, type RegionRecord } from '@qhc/schemas';

// An environment's health as its agent last reported it (pure): the typed parts a client
// acts on, and the whole report as stored for what the API has no field for.

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

export function healthOf(region: Pick<RegionRecord, 'status' | 'lastSeenAt' | 'revision' | 'appliedRevision'>): qhcV1.EnvironmentHealth {
  const status = regionStatusOf(region.status);
  const health = status?.health;
  const installation = status?.installation;
  return create(qhcV1.EnvironmentHealthSchema, {
    ...(region.lastSeenAt ? { lastSeenAt: timestampFromDate(new Date(region.lastSeenAt)) } : {}),
    revision: BigInt(region.revision),
    appliedRevision: BigInt(region.appliedRevision ?? 0),
    ...(installation ? { installation: { managedBy: installation.managedBy, upToDate: installation.upToDate, message: installation.message ?? '' } } : {}),
    components: (health?.components ?? []).map((c) => ({ name: c.name, version: c.version ?? '', ready: c.ready, message: c.message ?? '' })),
    // As stored: the agent's report is JSON (an object); anything else was never a report.
    ...(isObject(region.status) ? { report: region.status } : {}),
    canCreateClusters: health?.canCreateClusters ?? false,
    reason: health?.reason ?? '',
  });
}
