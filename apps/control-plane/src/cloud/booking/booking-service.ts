import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import { bookingV1 } from '@qhc/cloud-api';
import type { ResourcePackage } from '@qhc/schemas';
import { accountRegion } from '../../repositories/cloud-clusters.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import { enumNumber } from '../cluster/enums.ts';
import { invalid, isUuid } from '../cluster/validate.ts';

// qdrant.cloud.booking.v1.BookingService: the packages catalogue (the operator's, or the
// defaults). Only the "hybrid" provider has packages; qhc charges nothing, so every price is 0.

const status = (name: string) => enumNumber<bookingV1.PackageStatus>(bookingV1.PackageStatusSchema, name);
const tier = (name: string) => enumNumber<bookingV1.PackageTier>(bookingV1.PackageTierSchema, name);
const STATUS = { active: status('ACTIVE'), deactivated: status('DEACTIVATED') } as const;
const TIER = { standard: tier('STANDARD'), premium: tier('PREMIUM') } as const;

export function packageMessage(pkg: ResourcePackage): bookingV1.Package {
  return create(bookingV1.PackageSchema, {
    id: pkg.id,
    name: pkg.name,
    type: 'free',
    resourceConfiguration: { cpu: pkg.resources.cpu, ram: pkg.resources.ram, disk: pkg.resources.disk },
    currency: 'usd',
    unitIntPricePerHour: 0,
    status: STATUS[pkg.status],
    tier: pkg.tier ? TIER[pkg.tier] : tier('STATUS_UNSPECIFIED'),
    availableAdditionalResources: { diskPricePerHour: 0 },
    multiAz: false,
  });
}

/** "1000m" → 1000 millicores, "4GiB" → 4096 MiB; undefined when not that spelling. */
function amount(value: string): number | undefined {
  const cpu = /^(\d+)m$/.exec(value);
  if (cpu) return Number(cpu[1]);
  const size = /^(\d+)(MiB|GiB)$/.exec(value);
  return size ? Number(size[1]) * (size[2] === 'GiB' ? 1024 : 1) : undefined;
}

type Filter = bookingV1.ResourceConfigurationFilter;

function checkFilter(filter: Filter | undefined): void {
  for (const key of ['cpu', 'ram', 'disk'] as const) {
    const value = filter?.[key];
    if (value !== undefined && amount(value) === undefined)
      throw invalid([{ field: `min_resources.${key}`, message: `${JSON.stringify(value.slice(0, 32))} is not a size such as "1000m" (cpu) or "4GiB"` }]);
  }
  if (filter?.gpu !== undefined) throw invalid([{ field: 'min_resources.gpu', message: 'qhc packages have no GPUs' }]);
}

const atLeast = (pkg: ResourcePackage, filter: Filter | undefined) =>
  (['cpu', 'ram', 'disk'] as const).every((key) => filter?.[key] === undefined || amount(pkg.resources[key])! >= amount(filter[key])!);

async function checkProvider(
  deps: CloudDeps,
  accountId: string,
  req: { cloudProviderId: string; cloudProviderRegionId?: string | undefined },
): Promise<boolean> {
  const region = req.cloudProviderRegionId;
  if (region !== undefined && req.cloudProviderId === 'hybrid') {
    if (!isUuid(region)) throw invalid([{ field: 'cloud_provider_region_id', message: `${JSON.stringify(region.slice(0, 64))} is not a UUID` }]);
    if (!(await accountRegion(deps.db, accountId, region.toLowerCase())))
      throw new ConnectError(`cloud_provider_region_id: hybrid environment ${region} does not exist`, Code.NotFound);
  }
  return req.cloudProviderId === 'hybrid';
}

export function bookingService(deps: CloudDeps): Partial<ServiceImpl<typeof bookingV1.BookingService>> {
  return {
    async listPackages(req, ctx) {
      checkFilter(req.minResources);
      if (!(await checkProvider(deps, callerOf(ctx).accountId, req))) return { items: [] };
      const statuses = new Set(req.statuses);
      const items = deps.packages.filter(
        (p) =>
          (statuses.size === 0 || statuses.has(STATUS[p.status])) &&
          atLeast(p, req.minResources) &&
          req.multiAz !== true &&
          req.gpu !== true &&
          (req.tier === undefined || req.tier === 0 || (p.tier !== undefined && TIER[p.tier] === req.tier)),
      );
      return { items: items.map(packageMessage) };
    },
    async getPackage(req, ctx) {
      if (!isUuid(req.id)) throw invalid([{ field: 'id', message: `${JSON.stringify(req.id.slice(0, 64))} is not a UUID` }]);
      const hybrid = await checkProvider(deps, callerOf(ctx).accountId, req);
      const pkg = hybrid ? deps.packages.find((p) => p.id === req.id.toLowerCase()) : undefined;
      if (!pkg)
        throw new ConnectError(
          `package ${req.id} does not exist${hybrid ? '' : ` for cloud provider ${JSON.stringify(req.cloudProviderId.slice(0, 32))}`}`,
          Code.NotFound,
        );
      return { package: packageMessage(pkg) };
    },
  };
}
