import fc from 'fast-check';
import { QdrantClusterSpec, Region } from '@qhc/schemas';
import { RESOURCE_KINDS } from '../../../src/api/inputs.ts';
import { AgentReport } from '../../../src/api/agent-report.ts';
import { anyBadValue, deepValue, hostileString, prototypeKeys } from './values.ts';

// Request bodies: valid ones shaped like the schemas, then mutated at a field the schema knows
// (or does not), or replaced wholesale by something hostile.

/** What a route takes as its body; the names the fuzzer gives route bodies. */
export type BodyKind = 'region' | 'cluster' | 'scale' | 'backups' | 'backup-schedules' | 'restores' | 'token' | 'session' | 'status' | 'none';

/** Names from small pools, so creates also collide (409) and later requests find what was made. */
export const REGION_NAMES = ['r', 'r2', 'fz-a', 'fz-b'] as const;
export const CLUSTER_NAMES = ['c1', 'fz-c', 'fz-d'] as const;
export const RESOURCE_NAMES = ['b1', 'fz-b', 'fz-s'] as const;

const version = fc.constantFrom('0.1.0', 'v1.2.3', '1.0.0-rc.1');
const quantity = fc.constantFrom('1', '500m', '2', '1Gi', '512Mi', '10Gi');

const region = fc
  .record(
    { name: fc.constantFrom(...REGION_NAMES), namespace: fc.constantFrom('ns-a', 'ns-b'), agentVersion: version, operatorVersion: version },
    { noNullPrototype: true },
  )
  .chain((r) =>
    fc.oneof(
      fc.constant<Record<string, unknown>>(r),
      fc.constant({ ...r, advanced: { logLevel: { agent: 'DEBUG' }, proxy: { httpsProxy: 'http://proxy.internal:3128', noProxy: ['.svc', '10.0.0.0/8'] } } }),
      fc.constant({ ...r, operatorSettings: 'settings:\n  backupTimeout: 600\n' }),
      fc.constant({ ...r, registryCredentials: { username: 'u', password: 'p' } }),
    ),
  );
const clusterSpec = fc.record(
  {
    version: fc.constantFrom('v1.16.2', 'v1.15.0'),
    size: fc.integer({ min: 1, max: 5 }),
    resources: fc.record({ cpu: quantity, memory: quantity, storage: quantity }),
  },
  { noNullPrototype: true },
);
const cluster = fc.record({ name: fc.constantFrom(...CLUSTER_NAMES), spec: clusterSpec }, { noNullPrototype: true });
const resourceName = fc.constantFrom(...RESOURCE_NAMES);
const resources: Record<'backups' | 'backup-schedules' | 'restores', fc.Arbitrary<Record<string, unknown>>> = {
  backups: fc
    .record({ name: resourceName, clusterId: fc.constantFrom(...CLUSTER_NAMES) })
    .map((b) => ({ ...b, spec: { 'cluster-id': b.clusterId, retention: '24h' } })),
  'backup-schedules': fc
    .record({ name: resourceName, clusterId: fc.constantFrom(...CLUSTER_NAMES) })
    .map((b) => ({ ...b, spec: { 'cluster-id': b.clusterId, scheduleShortId: 'abc', schedule: '0 2 * * *', retention: '72h' } })),
  restores: fc
    .record({ name: resourceName, clusterId: fc.constantFrom(...CLUSTER_NAMES) })
    .map((b) => ({ ...b, spec: { source: { snapshotName: 'b1', namespace: 'ns-r' }, destination: { name: `qdrant-${b.clusterId}`, namespace: 'ns-r' } } })),
};
const status = fc.record(
  { appliedRevision: fc.integer({ min: 0, max: 50 }), clusters: fc.constant([{ id: 'c1', phase: 'Healthy' }]), region: fc.constant({ phase: 'Ready' }) },
  { noNullPrototype: true },
);

const VALID: Record<Exclude<BodyKind, 'none'>, fc.Arbitrary<Record<string, unknown>>> = {
  region,
  cluster,
  scale: fc.integer({ min: 1, max: 5 }).map((size) => ({ size })),
  ...resources,
  token: fc.constantFrom('ci', 'fuzz').map((name) => ({ name })),
  session: fc.constant({ token: '<admin>' }),
  status,
};

/** The fields each body's schema knows, by path prefix: where a mutation puts a bad value. */
type Shaped = { shape?: Record<string, unknown>; def?: { type?: string; in?: Shaped; out?: Shaped } };
// A bounded schema is a pipe (bounds first, then the object): its keys are the object's.
const objectKeys = (schema: unknown): string[] => {
  const s = schema as Shaped;
  if (s.shape) return Object.keys(s.shape);
  if (s.def?.type === 'pipe') return [...new Set([...objectKeys(s.def.in), ...objectKeys(s.def.out)])];
  return [];
};
const SCHEMA_FIELDS: Record<Exclude<BodyKind, 'none'>, string[][]> = {
  region: objectKeys(Region).map((k) => [k]),
  cluster: [
    ['name'],
    ['apiKey'],
    ['readOnlyApiKey'],
    ...objectKeys(QdrantClusterSpec).map((k) => ['spec', k]),
    ...['cpu', 'memory', 'storage'].map((k) => ['spec', 'resources', k]),
  ],
  scale: [['size']],
  backups: [['name'], ['clusterId'], ...objectKeys(RESOURCE_KINDS.backups.spec).map((k) => ['spec', k])],
  'backup-schedules': [['name'], ['clusterId'], ...objectKeys(RESOURCE_KINDS['backup-schedules'].spec).map((k) => ['spec', k])],
  restores: [['name'], ['clusterId'], ['spec', 'source'], ['spec', 'destination'], ['spec', 'source', 'snapshotName'], ['spec', 'destination', 'name']],
  token: [['name']],
  session: [['token']],
  status: objectKeys(AgentReport).map((k) => [k]),
};

/** The names a refusal of this body may point at: every key the schema has. */
export const schemaFieldNames = (kind: BodyKind): string[] => (kind === 'none' ? [] : [...new Set(SCHEMA_FIELDS[kind].flat())]);

function setPath(body: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) Object.defineProperty(at, key, { value: {}, enumerable: true, writable: true, configurable: true });
    at = at[key] as Record<string, unknown>;
  }
  Object.defineProperty(at, path.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function deletePath(body: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const copy = structuredClone(body);
  let at: Record<string, unknown> | undefined = copy;
  for (const key of path.slice(0, -1)) at = at?.[key] as Record<string, unknown> | undefined;
  if (at && typeof at === 'object') delete at[path.at(-1)!];
  return copy;
}

/** A body as sent: JSON of a value, or raw text that is not JSON. */
export type Body = { json: unknown; mutated: 'valid' | 'field' | 'missing' | 'extra' | 'whole' } | { raw: string; mutated: 'raw' };

/** A body for `kind`: valid, one field bad, one missing, an unknown key, or hostile as a whole. */
export function bodyFor(kind: BodyKind): fc.Arbitrary<Body | undefined> {
  const whole = fc.oneof(anyBadValue, deepValue, prototypeKeys).map((json): Body => ({ json, mutated: 'whole' }));
  const raw = fc
    .constantFrom('{"name":', '{', '}', "{'a':1}", 'undefined', 'NaN', '{"a":1}}', '\u0000', '[1,]', '{"a":"\\x"}', 'name=r', '\ufeff{}')
    .map((text): Body => ({ raw: text, mutated: 'raw' }));
  if (kind === 'none') return fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: whole }, { weight: 1, arbitrary: raw });
  const valid = VALID[kind];
  const fields = SCHEMA_FIELDS[kind];
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((json): Body => ({ json, mutated: 'valid' })) },
    { weight: 5, arbitrary: fc.tuple(valid, fc.constantFrom(...fields), anyBadValue).map(([b, p, v]): Body => ({ json: setPath(b, p, v), mutated: 'field' })) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom(...fields)).map(([b, p]): Body => ({ json: deletePath(b, p), mutated: 'missing' })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...fields), fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype'), hostileString), anyBadValue)
        .map(([b, p, key, v]): Body => ({ json: setPath(b, [...p.slice(0, -1), key], v), mutated: 'extra' })),
    },
    { weight: 1, arbitrary: whole },
    { weight: 1, arbitrary: raw },
  );
}
