import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { hybridV1 } from '@qhc/cloud-api';
import { ComponentPhase, Creation, Distribution, Phase } from './enums.ts';
import { regionStatusOf, type RegionHealth, type RegionRecordStatus } from '@qhc/schemas';

// A region's status in the API's words, from what its agent last reported (its own status and
// the health it found): the environment's phase, preflight and the storage it can use.

/** The agent reports every few seconds: two minutes of silence means it no longer syncs (as the console tells it). */
export const SYNC_WITHIN_MS = 120_000;

const D = Distribution as Record<string, hybridV1.KubernetesDistribution>;

/** What the agent tells from the version string and the nodes' provider IDs, as the API names it. */
const DISTRIBUTIONS: Record<string, hybridV1.KubernetesDistribution> = {
  eks: D.AWS!,
  gke: D.GCP!,
  aks: D.AZURE!,
  doks: D.DO!,
  digitalocean: D.DO!,
  scaleway: D.SCALEWAY!,
  kapsule: D.SCALEWAY!,
  openshift: D.OPENSHIFT!,
  lke: D.LINODE!,
  linode: D.LINODE!,
  civo: D.CIVO!,
  oke: D.OCI!,
  oci: D.OCI!,
  ovh: D.OVHCLOUD!,
  ovhcloud: D.OVHCLOUD!,
  stackit: D.STACKIT!,
  vke: D.VULTR!,
  vultr: D.VULTR!,
  k3s: D.K3S!,
};

export interface ReportedRegion {
  status: unknown;
  lastSeenAt: string | undefined;
  namespace: string;
}

function phaseOf(status: RegionRecordStatus, lastSeen: number, now: number): { phase: hybridV1.HybridCloudEnvironmentStatusPhase; message?: string } {
  if (now - lastSeen > SYNC_WITHIN_MS) return { phase: Phase.FAILED_TO_SYNC!, message: `the agent last reported at ${new Date(lastSeen).toISOString()}` };
  const ready = status.phase === 'Ready' && (status.health?.canCreateClusters ?? true);
  const message = status.message ?? status.health?.reason;
  return { phase: ready ? Phase.READY! : Phase.NOT_READY!, ...(message ? { message } : {}) };
}

function componentsOf(status: RegionRecordStatus, namespace: string): hybridV1.HybridCloudEnvironmentComponentStatus[] {
  const reported = new Map((status.components ?? []).map((c) => [c.name, c]));
  const health = status.health?.components ?? [];
  const names = [...new Set([...health.map((c) => c.name), ...reported.keys()])];
  return names.map((name) => {
    const seen = health.find((c) => c.name === name);
    const own = reported.get(name);
    const phase = seen
      ? seen.ready
        ? ComponentPhase.READY!
        : ComponentPhase.NOT_READY!
      : own?.phase === 'Ready'
        ? ComponentPhase.READY!
        : ComponentPhase.NOT_READY!;
    const version = seen?.version ?? own?.version;
    return create(hybridV1.HybridCloudEnvironmentComponentStatusSchema, {
      name,
      namespace: own?.namespace ?? namespace,
      phase,
      ...(version ? { version } : {}),
      ...(seen?.message ? { message: seen.message } : {}),
    });
  });
}

function healthFields(health: RegionHealth | undefined) {
  if (!health) return {};
  const distribution = DISTRIBUTIONS[health.kubernetes.distribution.toLowerCase()];
  return {
    kubernetesVersion: health.kubernetes.version,
    ...(distribution !== undefined ? { kubernetesDistribution: distribution } : {}),
    capabilities: { volumeSnapshot: health.capabilities.volumeSnapshot, volumeExpansion: health.capabilities.volumeExpansion },
    clusterCreationReadiness: health.canCreateClusters ? Creation.READY! : Creation.NOT_READY!,
    storageClasses: health.storageClasses.map((s) => ({
      name: s.name,
      default: s.default,
      provisioner: s.provisioner,
      allowVolumeExpansion: s.allowVolumeExpansion,
      reclaimPolicy: s.reclaimPolicy,
    })),
    volumeSnapshotClasses: health.volumeSnapshotClasses.map((v) => ({ name: v.name, driver: v.driver })),
  };
}

/** The environment's status: unspecified (with what to do) until an agent has reported. */
export function environmentStatusOf(region: ReportedRegion, now: number): hybridV1.HybridCloudEnvironmentStatus {
  const status = regionStatusOf(region.status);
  if (!region.lastSeenAt || !status)
    return create(hybridV1.HybridCloudEnvironmentStatusSchema, {
      phase: Phase.UNSPECIFIED!,
      message: 'no agent has reported yet: run the commands GenerateBootstrapCommands answers in the Kubernetes cluster',
    });
  const lastSeen = Date.parse(region.lastSeenAt);
  return create(hybridV1.HybridCloudEnvironmentStatusSchema, {
    lastModifiedAt: timestampFromDate(new Date(lastSeen)),
    ...phaseOf(status, lastSeen, now),
    numberOfNodes: status.health?.nodes.count ?? status.numberOfNodes ?? 0,
    componentStatuses: componentsOf(status, region.namespace),
    ...healthFields(status.health),
  });
}
