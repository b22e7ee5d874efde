import { create } from '@bufbuild/protobuf';
import { clusterV1 } from '@qhc/cloud-api';
import type { ResourcePackage } from '@qhc/schemas';

// A package's resources in numbers: the pods' requests when a share is reserved for the system,
// and the per-node summary ClusterState reports.

const millicores = (cpu: string) => Number(cpu.replace(/m$/, ''));
const mebibytes = (size: string) => {
  const [, amount, unit] = /^(\d+)(MiB|GiB)$/.exec(size) ?? [];
  return Number(amount ?? 0) * (unit === 'GiB' ? 1024 : 1);
};

const share = (total: number, percent: number) => Math.max(1, Math.floor((total * (100 - percent)) / 100));

type Reserved = Pick<clusterV1.ClusterConfiguration, 'reservedCpuPercentage' | 'reservedMemoryPercentage'>;

/**
 * A reserved share is left to the node's system components: the pods request only the rest of
 * the package (their limit stays the package), so the scheduler keeps that share free.
 */
export function reservedRequests(pkg: ResourcePackage, config: Reserved): { requests?: { cpu?: string; memory?: string } } {
  const cpu = config.reservedCpuPercentage;
  const memory = config.reservedMemoryPercentage;
  if (cpu === undefined && memory === undefined) return {};
  return {
    requests: {
      ...(cpu !== undefined ? { cpu: `${share(millicores(pkg.resources.cpu), cpu)}m` } : {}),
      ...(memory !== undefined ? { memory: `${share(mebibytes(pkg.resources.ram), memory)}Mi` } : {}),
    },
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function breakdown(base: number, additional: number, reservedPercent: number) {
  const reserved = round((base * reservedPercent) / 100);
  return create(clusterV1.ClusterNodeResourcesSchema, { base, additional, reserved, available: round(base + additional - reserved) });
}

/** Per node: cores, GiB of memory and GiB of disk, as the package and the configuration make them. */
export function resourcesSummary(pkg: ResourcePackage, config: clusterV1.ClusterConfiguration | undefined): clusterV1.ClusterNodeResourcesSummary {
  return create(clusterV1.ClusterNodeResourcesSummarySchema, {
    cpu: breakdown(millicores(pkg.resources.cpu) / 1000, 0, config?.reservedCpuPercentage ?? 0),
    ram: breakdown(mebibytes(pkg.resources.ram) / 1024, 0, config?.reservedMemoryPercentage ?? 0),
    disk: breakdown(mebibytes(pkg.resources.disk) / 1024, config?.additionalResources?.disk ?? 0, 0),
  });
}
