import * as z from 'zod';
import type { QdrantResources } from '../crds/qdrant-cluster-fields.ts';
import { createParser } from '../parse/create-parser.ts';

// Resource packages: the sizes a cluster of the Cloud API is made in (BookingService with
// cloud_provider_id "hybrid"; a cluster's configuration names one by id). The control plane
// serves a catalogue, the defaults below or a file of its own (--packages).

/** CPU in millicores, as the Cloud API writes it: "1000m" is one core. */
const millicores = z.string().regex(/^[1-9][0-9]{0,6}m$/, 'must be whole millicores such as "500m" or "1000m" (1 core)');
/** A size in whole MiB or GiB, as the Cloud API writes it: "4GiB", "512MiB". */
const binarySize = z.string().regex(/^[1-9][0-9]{0,6}(MiB|GiB)$/, 'must be a whole number of MiB or GiB such as "512MiB" or "4GiB"');

export const PackageResources = z.strictObject({
  cpu: millicores,
  /** Memory of each node. */
  ram: binarySize,
  /** The database volume of each node, before the cluster's additional disk. */
  disk: binarySize,
});
export type PackageResources = z.infer<typeof PackageResources>;

export const ResourcePackage = z.strictObject({
  /** Stable: clusters and Terraform configurations name the package by it. */
  id: z.uuid('must be a UUID such as "3f0e8b2a-5c1d-4e7f-9a6b-0c2d4e6f8a1b"'),
  /** Shown to people; the Cloud API's rule for names. */
  name: z
    .string()
    .min(3)
    .max(64)
    .regex(/^[a-zA-Z0-9-_]+$/, 'must be letters, digits, "-" and "_" only'),
  resources: PackageResources,
  /** A deactivated package is listed (clusters may use it) but new clusters cannot take it. */
  status: z.enum(['active', 'deactivated']).default('active'),
  tier: z.enum(['standard', 'premium']).optional(),
});
export type ResourcePackage = z.infer<typeof ResourcePackage>;

/** The catalogue file: a list of packages, with unique ids and names. */
export const PackagesCatalogue = z
  .array(ResourcePackage)
  .min(1, 'must list at least 1 package')
  .max(1000)
  .superRefine((packages, ctx) => {
    for (const key of ['id', 'name'] as const) {
      const seen = new Map<string, number>();
      packages.forEach((p, index) => {
        const first = seen.get(p[key]);
        if (first === undefined) seen.set(p[key], index);
        else ctx.addIssue({ code: 'custom', path: [index, key], message: `must be unique: package ${first} has the ${key} ${JSON.stringify(p[key])} too` });
      });
    }
  });
export type PackagesCatalogue = z.infer<typeof PackagesCatalogue>;

const parser = createParser(PackagesCatalogue, 'packages catalogue');
/** YAML or JSON text; problems located by line and column. */
export const parsePackagesCatalogue = parser.parse;
export const safeParsePackagesCatalogue = parser.safeParse;
export const validatePackagesCatalogue = parser.validate;

const standard = (id: string, cores: number, ramGiB: number, diskGiB: number): ResourcePackage => ({
  id,
  name: `hybrid-${cores < 1 ? `${cores * 1000}m` : cores}cpu-${ramGiB}gb`,
  resources: { cpu: `${cores * 1000}m`, ram: `${ramGiB}GiB`, disk: `${diskGiB}GiB` },
  status: 'active',
  tier: 'standard',
});

/**
 * The catalogue when none is given: 1 core to 4 GiB of memory to 32 GiB of disk, doubling. The
 * ids are fixed forever (every control plane, every start), so a configuration naming one keeps working.
 */
export const DEFAULT_PACKAGES: readonly ResourcePackage[] = Object.freeze([
  standard('e39e522e-f771-4b24-b425-0f80aac7d8c2', 0.5, 2, 16),
  standard('afa9022f-ab12-4fd0-914b-b0d1d5d1c46e', 1, 4, 32),
  standard('863a5caa-6a9f-474e-b74d-ad89b136b851', 2, 8, 64),
  standard('7fc44b50-8274-4e26-bbef-4ef006bcc741', 4, 16, 128),
  standard('bf2203d8-c819-47a4-b891-07ffff95a449', 8, 32, 256),
  standard('8311f1a0-787a-48b4-ae4b-187c6c182475', 16, 64, 512),
]);

/** "4GiB" → "4Gi", "512MiB" → "512Mi": the Kubernetes spelling of the same size. */
const toKubernetesSize = (size: string) => size.replace(/iB$/, 'i');

/**
 * A QdrantCluster's `resources` for a cluster of `pkg` with `additionalDiskGiB` more disk per
 * node: the package's cpu, its ram as memory, its disk plus the additional disk as storage.
 */
export function clusterResourcesOf(
  pkg: Pick<ResourcePackage, 'resources'>,
  additionalDiskGiB = 0,
): Required<Pick<QdrantResources, 'cpu' | 'memory' | 'storage'>> {
  if (!Number.isSafeInteger(additionalDiskGiB) || additionalDiskGiB < 0)
    throw new RangeError(`additional disk must be a whole number of GiB, 0 or more; got ${additionalDiskGiB}`);
  const { cpu, ram, disk } = pkg.resources;
  const [, amount, unit] = /^(\d+)(MiB|GiB)$/.exec(disk) ?? [];
  if (!amount) throw new RangeError(`not a package disk size: ${JSON.stringify(disk)}`);
  const storage = unit === 'GiB' ? `${Number(amount) + additionalDiskGiB}Gi` : `${Number(amount) + additionalDiskGiB * 1024}Mi`;
  return { cpu, memory: toKubernetesSize(ram), storage };
}
