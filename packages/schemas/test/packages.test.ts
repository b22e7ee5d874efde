import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PACKAGES,
  PackagesCatalogue,
  QhcSchemaError,
  clusterResourcesOf,
  isQuantity,
  parsePackagesCatalogue,
  parseQuantity,
  safeParsePackagesCatalogue,
  validateQdrantCluster,
} from '../src/index.ts';
import { qdrantClusterFixture } from '../src/test/index.ts';

const ID = '0b6a3f8e-2c4d-4e1f-9a7b-5c3d2e1f0a9b';
const CATALOGUE = `# sizes of this installation
- id: ${ID}
  name: small
  resources:
    cpu: 1000m
    ram: 4GiB
    disk: 32GiB
- id: 1c7b4a9f-3d5e-4f2a-8b8c-6d4e3f2a1b0c
  name: tiny_dev
  resources: { cpu: 250m, ram: 512MiB, disk: 1GiB }
  status: deactivated
  tier: premium
`;

/** The problems of a refused catalogue as `path (line L, column C): message` lines. */
function refusal(text: string): string[] {
  const result = safeParsePackagesCatalogue(text, { source: 'packages.yaml' });
  if (result.success) throw new Error('the catalogue was accepted');
  expect(result.error).toBeInstanceOf(QhcSchemaError);
  expect(result.error.message).toMatch(/^packages catalogue \(packages\.yaml\) is invalid/);
  return result.error.problems.map((p) => `${p.path.join('.')} (${p.line}:${p.column}): ${p.message}`);
}

describe('a packages catalogue file', () => {
  it('parses a list of packages; the status defaults to active, the tier stays unset', () => {
    expect(parsePackagesCatalogue(CATALOGUE)).toEqual([
      { id: ID, name: 'small', resources: { cpu: '1000m', ram: '4GiB', disk: '32GiB' }, status: 'active' },
      {
        id: '1c7b4a9f-3d5e-4f2a-8b8c-6d4e3f2a1b0c',
        name: 'tiny_dev',
        resources: { cpu: '250m', ram: '512MiB', disk: '1GiB' },
        status: 'deactivated',
        tier: 'premium',
      },
    ]);
  });

  it('refuses a bad id, cpu, ram, disk and status, naming each field with its line and column', () => {
    const text = `- id: not-a-uuid\n  name: small\n  resources: { cpu: "1", ram: 4GB, disk: 32Gi }\n  status: gone\n`;
    expect(refusal(text)).toEqual([
      '0.id (1:7): must be a UUID such as "3f0e8b2a-5c1d-4e7f-9a6b-0c2d4e6f8a1b"',
      '0.resources.cpu (3:21): must be whole millicores such as "500m" or "1000m" (1 core)',
      '0.resources.ram (3:31): must be a whole number of MiB or GiB such as "512MiB" or "4GiB"',
      '0.resources.disk (3:42): must be a whole number of MiB or GiB such as "512MiB" or "4GiB"',
      expect.stringMatching(/^0\.status \(4:11\): .*active.*deactivated/),
    ]);
  });

  it('refuses an unknown field, a bad name, a missing resource and an empty list', () => {
    const text = `- id: ${ID}\n  name: a.b\n  resources: { cpu: 1000m, ram: 4GiB }\n  price: 3\n`;
    const problems = refusal(text);
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        '0.name (2:9): must be letters, digits, "-" and "_" only',
        '0.resources.disk (3:3): is required',
        expect.stringMatching(/^0\.price \(4:3\): unknown key "price"/),
      ]),
    );
    expect(refusal('[]\n')).toEqual([' (1:1): must list at least 1 package']);
  });

  it('refuses two packages with the same id or the same name, naming the second', () => {
    const twice = `${CATALOGUE}- id: ${ID}\n  name: tiny_dev\n  resources: { cpu: 1000m, ram: 4GiB, disk: 32GiB }\n`;
    expect(refusal(twice)).toEqual([
      `2.id (13:7): must be unique: package 0 has the id "${ID}" too`,
      '2.name (14:9): must be unique: package 1 has the name "tiny_dev" too',
    ]);
  });
});

describe('the default packages', () => {
  it('are six sizes, doubling from 0.5 core, 2 GiB and 16 GiB, with ids fixed in the source', () => {
    expect(PackagesCatalogue.parse(DEFAULT_PACKAGES)).toEqual(DEFAULT_PACKAGES);
    expect(DEFAULT_PACKAGES.map((p) => [p.name, p.resources.cpu, p.resources.ram, p.resources.disk])).toEqual([
      ['hybrid-500mcpu-2gb', '500m', '2GiB', '16GiB'],
      ['hybrid-1cpu-4gb', '1000m', '4GiB', '32GiB'],
      ['hybrid-2cpu-8gb', '2000m', '8GiB', '64GiB'],
      ['hybrid-4cpu-16gb', '4000m', '16GiB', '128GiB'],
      ['hybrid-8cpu-32gb', '8000m', '32GiB', '256GiB'],
      ['hybrid-16cpu-64gb', '16000m', '64GiB', '512GiB'],
    ]);
    // A Terraform configuration names these: changing one breaks it.
    expect(DEFAULT_PACKAGES[1]!.id).toBe('afa9022f-ab12-4fd0-914b-b0d1d5d1c46e');
    expect(DEFAULT_PACKAGES.every((p) => p.status === 'active' && p.tier === 'standard')).toBe(true);
    expect(Object.isFrozen(DEFAULT_PACKAGES)).toBe(true);
  });
});

describe('clusterResourcesOf', () => {
  const [half, one] = DEFAULT_PACKAGES;

  it("maps a package to a QdrantCluster's resources, the additional disk added to the storage", () => {
    expect(clusterResourcesOf(one!)).toEqual({ cpu: '1000m', memory: '4Gi', storage: '32Gi' });
    expect(clusterResourcesOf(half!, 20)).toEqual({ cpu: '500m', memory: '2Gi', storage: '36Gi' });
    expect(clusterResourcesOf({ resources: { cpu: '250m', ram: '512MiB', disk: '512MiB' } }, 1)).toEqual({ cpu: '250m', memory: '512Mi', storage: '1536Mi' });
  });

  it('gives quantities the QdrantCluster schema takes, of the same size', () => {
    for (const pkg of DEFAULT_PACKAGES) {
      const resources = clusterResourcesOf(pkg, 8);
      expect(() => validateQdrantCluster(qdrantClusterFixture('c1', { resources }))).not.toThrow();
      expect(Object.values(resources).every(isQuantity)).toBe(true);
      expect(parseQuantity(resources.memory)).toBe(parseQuantity(pkg.resources.ram.replace('iB', 'i')));
      expect(parseQuantity(resources.storage)).toBe(parseQuantity(pkg.resources.disk.replace('iB', 'i')) + 8 * 2 ** 30);
    }
  });

  it('refuses an additional disk that is not a whole number of GiB, 0 or more', () => {
    for (const bad of [-1, 1.5, Number.NaN]) expect(() => clusterResourcesOf(one!, bad)).toThrow(RangeError);
  });
});
