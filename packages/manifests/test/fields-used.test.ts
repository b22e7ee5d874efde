import { existsSync, readFileSync } from 'node:fs';
import * as schemas from '@qhc/schemas';
import { OPERATOR_SETTINGS_CONFIGMAP, buildClusterObjects, buildInstallation, ManifestError, toYaml, type KubeObject } from '../src/index.ts';
import { safeValidateOperatorSettings, safeValidateQdrantCluster, type OperatorSettings, type QdrantCluster } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { CREDENTIALS, region } from './installation-fixtures.ts';
import { cluster as clusterFixture } from './fixtures.ts';
import { CONTEXTS, CONTROLLER_USED, REFUSED, SAMPLES } from './fields-used-lists.ts';

// Nothing accepted and ignored. Every leaf of the QdrantCluster spec and of the operator
// settings, enumerated from the generated JSON Schemas (so a new field joins the walk by
// itself), is set to a valid non-default value on a fixture; then one of these must hold:
//   - the parser refuses it, naming the field (REFUSED, with the reason it is refused);
//   - the objects the builders make change (cluster objects; for settings also the
//     installation, minus the settings ConfigMap that carries every setting verbatim);
//   - it is read by a controller, not a builder (CONTROLLER_USED), and the named test file
//     exists and sets that field: the test that proves its use.
// A leaf in none of them fails the walk, and so does a stale entry in either list.

type Json = { type?: string; properties?: Record<string, Json>; enum?: unknown[]; default?: unknown; anyOf?: Json[]; minimum?: number };

function leaves(node: Json, path: string[], out: Array<{ path: string; node: Json }>): Array<{ path: string; node: Json }> {
  if (node.type === 'object' && node.properties) {
    for (const [key, child] of Object.entries(node.properties)) leaves(child, [...path, key], out);
  } else {
    out.push({ path: path.join('.'), node });
  }
  return out;
}

const jsonSchema = (file: string) => JSON.parse(readFileSync(new URL(`../../schemas/generated/json-schema/${file}`, import.meta.url), 'utf8')) as Json;
const specLeaves = leaves(jsonSchema('qdrantcluster.json').properties!.spec!, ['spec'], []);
const settingsLeaves = leaves(jsonSchema('operator-settings.json'), [], []);

function setAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

/** A valid value different from the fixture's: from SAMPLES, else from the leaf's type. */
function sampleFor(path: string, node: Json, current: unknown): unknown {
  if (path in SAMPLES) return SAMPLES[path];
  const branch = node.anyOf?.find((b) => b.enum || b.type === 'boolean' || b.type === 'integer') ?? node;
  const effective = current ?? node.default ?? branch.default;
  if (branch.enum) return branch.enum.find((v) => v !== effective && v !== '');
  if (branch.type === 'boolean') return effective !== true;
  if (branch.type === 'integer' || branch.type === 'number') return typeof current === 'number' ? current + 1 : Math.max(branch.minimum ?? 0, 0) + 2;
  throw new Error(`no sample value for ${path} (type ${branch.type ?? 'union'}): add one to SAMPLES in fields-used-lists.ts`);
}

function getAt(target: unknown, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), target);
}

const ID = 'walk';
const contextOf = (path: string) => CONTEXTS.find((c) => path === c.prefix || path.startsWith(`${c.prefix}.`));

/** The fixture cluster's spec with the leaf's context on top, and the settings text. */
function fixture(path: string): { spec: Record<string, unknown>; settingsText: string } {
  const context = contextOf(path);
  const base = clusterFixture(ID).spec as unknown as Record<string, unknown>;
  return { spec: structuredClone({ ...base, ...context?.spec }), settingsText: context?.settings ?? 'settings: {}\n' };
}

/** Everything the builders make: a cluster's objects, and the installation without the ConfigMap that holds the settings verbatim. */
function built(cluster: QdrantCluster, settings: OperatorSettings): string {
  let objects: KubeObject[] | string;
  try {
    objects = buildClusterObjects(cluster, settings);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    objects = `ManifestError at ${error.path}`;
  }
  const installation = buildInstallation({ ...region(), operatorSettings: settings }, CREDENTIALS).filter(
    (o) => !(o.kind === 'ConfigMap' && o.metadata.name === OPERATOR_SETTINGS_CONFIGMAP),
  );
  return `${typeof objects === 'string' ? objects : toYaml(objects)}\n---\n${toYaml(installation)}`;
}

/** The cluster with this spec; its name and cluster-id label follow spec.id, as they must. */
function parseCluster(spec: Record<string, unknown>) {
  const base = clusterFixture(ID);
  const id = String(spec.id);
  const metadata = { ...base.metadata, name: `qdrant-${id}`, labels: { ...base.metadata.labels, 'cluster-id': id } };
  return safeValidateQdrantCluster({ ...base, metadata, status: undefined, spec });
}

type Verdict = { kind: 'builder' } | { kind: 'refused'; message: string } | { kind: 'unused' } | { kind: 'invalid-sample'; message: string };

function judge(path: string, node: Json): Verdict & { value: unknown } {
  const { spec, settingsText } = fixture(path);
  const settings = schemas.parseOperatorSettings(settingsText);
  const before = parseCluster(spec);
  if (!before.success) throw new Error(`the fixture of ${path} is invalid: ${before.error.message}`);
  const keys = path.split('.');
  if (path.startsWith('spec.')) {
    const value = sampleFor(path, node, getAt(before.data, keys));
    const changed = structuredClone(spec);
    setAt(changed, keys.slice(1), value);
    const after = parseCluster(changed);
    if (!after.success) {
      const problem = after.error.problems.find((p) => p.path.join('.') === path);
      return problem ? { kind: 'refused', message: problem.message, value } : { kind: 'invalid-sample', message: after.error.message, value };
    }
    return { kind: built(before.data, settings) === built(after.data, settings) ? 'unused' : 'builder', value };
  }
  const value = sampleFor(path, node, getAt(settings, keys));
  const raw = structuredClone(settings) as unknown as Record<string, unknown>;
  setAt(raw, keys, value);
  const parsed = safeValidateOperatorSettings(raw);
  if (!parsed.success) return { kind: 'invalid-sample', message: parsed.error.message, value };
  return { kind: built(before.data, settings) === built(before.data, parsed.data) ? 'unused' : 'builder', value };
}

describe('every field is used or refused', () => {
  const all = [...specLeaves, ...settingsLeaves];

  it('enumerates the leaves of both schemas from the generated JSON Schemas', () => {
    expect(specLeaves.length).toBeGreaterThan(80);
    expect(settingsLeaves.length).toBeGreaterThan(35);
    for (const known of [
      'spec.multiAZ',
      'spec.ingress.traefik.entryPoints',
      'spec.storage.iops',
      'settings.clusterManager.enable',
      'settings.qdrant.log_level',
    ]) {
      expect(all.map((l) => l.path)).toContain(known);
    }
  });

  it.each(all.map((l) => [l.path, l.node] as const))('%s', (path, node) => {
    const verdict = judge(path, node);
    if (verdict.kind === 'invalid-sample') throw new Error(`the sample value of ${path} does not parse: ${verdict.message}`);
    if (path in REFUSED) {
      expect(verdict.kind, `${path} is listed as refused`).toBe('refused');
      expect((verdict as { message: string }).message).toMatch(REFUSED[path]!);
      return;
    }
    if (verdict.kind === 'refused') throw new Error(`${path} is refused (${verdict.message}) but not listed in REFUSED`);
    const listed = CONTROLLER_USED[path];
    if (listed) {
      expect(verdict.kind, `${path} changes what the builders make: remove it from CONTROLLER_USED`).toBe('unused');
      const { file, proof } = typeof listed === 'string' ? { file: listed, proof: path.split('.').at(-1)! } : listed;
      const url = new URL(`../../../${file}`, import.meta.url);
      expect(existsSync(url), `${file}, the test that proves ${path} is used, is missing`).toBe(true);
      expect(readFileSync(url, 'utf8'), `${file} never mentions ${proof}`).toContain(proof);
      return;
    }
    expect(
      verdict.kind,
      `${path}: set to ${JSON.stringify(verdict.value)}, no built object changed, and it is neither refused nor listed as used by a controller`,
    ).toBe('builder');
  });

  it('lists nothing that is not a field', () => {
    const paths = new Set(all.map((l) => l.path));
    for (const listed of [...Object.keys(REFUSED), ...Object.keys(CONTROLLER_USED), ...Object.keys(SAMPLES)]) expect(paths, listed).toContain(listed);
  });
});

const annotationsOf = (annotations: Record<string, string>) => clusterFixture(ID, {}, { annotations });
const yaml = (c: QdrantCluster) => toYaml(buildClusterObjects(c, schemas.defaultOperatorSettings()));

describe("annotations of Qdrant's API on a cluster", () => {
  it.each([
    [schemas.ANNOTATION_RESTARTED_AT, '2026-01-01T00:00:00Z'],
    [schemas.ANNOTATION_ON_DEMAND_REPLICATION_RESTART, '2026-01-01T00:00:00Z'],
    [schemas.ANNOTATION_BOOTSTRAP_NODE, '2'],
    [schemas.ANNOTATION_VOLUME_RETENTION, 'Delete'],
  ])('%s changes what the builders make', (key, value) => {
    expect(yaml(annotationsOf({ [key]: value }))).not.toBe(yaml(annotationsOf({})));
  });

  it('operator.qdrant.com/reinit is refused, naming it and saying reinitialising consensus is a manual recovery step', () => {
    const result = safeValidateQdrantCluster({
      ...clusterFixture(ID),
      metadata: { ...clusterFixture(ID).metadata, annotations: { [schemas.ANNOTATION_REINIT]: 'now' } },
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result)).toContain(
      `${schemas.ANNOTATION_REINIT} is not supported by this operator: reinitialising consensus is a manual recovery step`,
    );
  });
});
