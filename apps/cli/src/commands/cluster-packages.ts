// A cluster's package (BookingService): named by --package (name or id), or the smallest one
// with at least the --cpu and --memory asked for; --storage above the package's disk is
// additional disk.
import type { bookingV1 } from '@qhc/cloud-api';
import type { CloudApi } from '../cloud.ts';
import { CliError, EXIT } from '../exit.ts';
import { HYBRID } from './resolve.ts';

/** "500m", "1", "2.5" cores → millicores. */
const millicores = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000);
const UNITS: Record<string, number> = {
  Ki: 2 ** -20,
  Mi: 2 ** -10,
  Gi: 1,
  Ti: 2 ** 10,
  K: 1e3 / 2 ** 30,
  M: 1e6 / 2 ** 30,
  G: 1e9 / 2 ** 30,
  T: 1e12 / 2 ** 30,
};
/** "4Gi", "4GiB", "512Mi" → GiB. */
export function gibibytes(q: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]i?)?B?$/.exec(q.trim());
  if (!m) return Number.NaN;
  return Number(m[1]) * (m[2] ? UNITS[m[2]]! : 2 ** -30);
}

export interface PackageWish {
  package?: string;
  cpu?: string;
  memory?: string;
}

export async function packagesOf(api: CloudApi, environmentId: string): Promise<bookingV1.Package[]> {
  const answer = await api.call('ListPackages', () =>
    api.booking.listPackages({ accountId: api.accountId, cloudProviderId: HYBRID, cloudProviderRegionId: environmentId }),
  );
  return answer.items;
}

/** The package wished for: by name or id, else the smallest with enough CPU and memory. */
export function choosePackage(packages: bookingV1.Package[], wish: PackageWish): bookingV1.Package {
  if (wish.package) {
    const found = packages.find((p) => p.id === wish.package || p.name === wish.package);
    if (!found)
      throw new CliError(`package "${wish.package}" does not exist`, { code: EXIT.usage, hint: `packages: ${packages.map((p) => p.name).join(', ')}` });
    return found;
  }
  const cpu = wish.cpu ? millicores(wish.cpu) : 0;
  const memory = wish.memory ? gibibytes(wish.memory) : 0;
  if (Number.isNaN(cpu) || Number.isNaN(memory))
    throw new CliError(`--cpu ${wish.cpu ?? ''} / --memory ${wish.memory ?? ''}: not a quantity`, { code: EXIT.usage });
  const fits = packages
    .filter((p) => millicores(p.resourceConfiguration?.cpu ?? '0') >= cpu && gibibytes(p.resourceConfiguration?.ram ?? '0') >= memory)
    .toSorted((a, b) => millicores(a.resourceConfiguration!.cpu) - millicores(b.resourceConfiguration!.cpu));
  if (!fits[0])
    throw new CliError(`no package has ${wish.cpu ?? 'any'} CPU and ${wish.memory ?? 'any'} memory`, {
      code: EXIT.usage,
      hint: `packages: ${packages.map((p) => `${p.name} (${p.resourceConfiguration?.cpu}, ${p.resourceConfiguration?.ram})`).join(', ')}`,
    });
  return fits[0];
}

/** Disk beyond the package's, in whole GiB (AdditionalResources.disk), for --storage. */
export function additionalDisk(pkg: bookingV1.Package, storage: string | undefined): number {
  if (!storage) return 0;
  const wanted = gibibytes(storage);
  if (Number.isNaN(wanted)) throw new CliError(`--storage ${storage}: not a quantity, e.g. 64Gi`, { code: EXIT.usage });
  return Math.max(0, Math.ceil(wanted - gibibytes(pkg.resourceConfiguration?.disk ?? '0')));
}
