import { KubeApiError, type EventInput, type EventRecorder, type KubeClient, type KubeObject } from '@qhc/kube';
import type { Kind, ObjectCache } from '../../src/cache.ts';

// An in-memory apiserver, informer cache and event recorder for step tests: no sandbox, so
// a step runs in milliseconds. Every read and write goes into `journal` in order, which is
// what makes a swapped or missing step visible.

type Ref = { apiVersion: string; kind: string; namespace?: string; name?: string };
type JsonPatchOp = { op: 'test' | 'add' | 'remove'; path: string; value?: unknown };

const keyOf = (ref: Ref) => `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}|${ref.name ?? ''}`;
const clone = <T>(value: T): T => structuredClone(value);
const notFound = (ref: Ref) => new KubeApiError({ method: 'GET', path: keyOf(ref), status: 404, body: { message: 'not found' } });

function matches(object: KubeObject, labels: Record<string, string>): boolean {
  return Object.entries(labels).every(([k, v]) => object.metadata.labels?.[k] === v);
}

function parseSelector(selector: string | undefined): Record<string, string> {
  if (!selector) return {};
  return Object.fromEntries(selector.split(',').map((pair) => pair.split('=') as [string, string]));
}

function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (typeof v === 'object' && !Array.isArray(v)) out[k] = mergePatch((out[k] as Record<string, unknown>) ?? {}, v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

function jsonPatch(object: KubeObject, ops: JsonPatchOp[]): KubeObject {
  const out = clone(object);
  for (const op of ops) {
    if (op.op === 'test' && op.path === '/metadata/resourceVersion' && op.value !== out.metadata.resourceVersion) {
      throw new KubeApiError({ method: 'PATCH', path: op.path, status: 409, body: { message: 'resourceVersion changed' } });
    }
    if (op.op === 'add' && op.path === '/metadata/finalizers') out.metadata.finalizers = op.value as string[];
    if (op.op === 'add' && op.path === '/metadata/finalizers/-') out.metadata.finalizers = [...(out.metadata.finalizers ?? []), op.value as string];
    if (op.op === 'remove' && op.path.startsWith('/metadata/finalizers/')) {
      out.metadata.finalizers = out.metadata.finalizers?.filter((_, i) => i !== Number(op.path.split('/').pop()));
    }
  }
  return out;
}

export class FakeKube {
  readonly journal: string[] = [];
  readonly events: Array<EventInput & { regarding: string }> = [];
  /** Every status body written, in order, with the object it was written to. */
  readonly statuses: Array<{ object: string; status: unknown }> = [];
  /** Kinds `client.resource` answers for (`apiVersion/kind`); any other is not served. */
  readonly served = new Set<string>();
  private readonly objects = new Map<string, KubeObject>();
  private version = 1;

  constructor(objects: KubeObject[] = []) {
    for (const o of objects) this.put(o);
  }

  put(object: KubeObject): KubeObject {
    const stored = clone(object);
    stored.metadata.resourceVersion = String(this.version++);
    stored.metadata.uid ??= `uid-${object.kind}-${object.metadata.name}`;
    this.objects.set(keyOf({ ...object, ...object.metadata }), stored);
    return clone(stored);
  }

  find<T extends KubeObject = KubeObject>(ref: Ref): T | undefined {
    const found = this.objects.get(keyOf(ref));
    return found ? (clone(found) as T) : undefined;
  }

  all(kind: Pick<Ref, 'apiVersion' | 'kind'>, namespace: string | undefined, labels: Record<string, string> = {}): KubeObject[] {
    return [...this.objects.values()]
      .filter((o) => o.apiVersion === kind.apiVersion && o.kind === kind.kind && (namespace === undefined || o.metadata.namespace === namespace))
      .filter((o) => matches(o, labels))
      .map(clone);
  }

  readonly client = {
    get: async (ref: Ref) => {
      this.journal.push(`get ${ref.kind} ${ref.name}`);
      return this.find(ref);
    },
    list: async (kind: Ref, options: { namespace?: string; labelSelector?: string } = {}) => {
      this.journal.push(`list ${kind.kind}`);
      return { items: this.all(kind, options.namespace, parseSelector(options.labelSelector)) };
    },
    apply: async (object: KubeObject) => {
      this.journal.push(`apply ${object.kind} ${object.metadata.name}`);
      const live = this.find({ ...object, ...object.metadata });
      return this.put({
        ...live,
        ...object,
        metadata: { ...live?.metadata, ...object.metadata },
        ...(live?.status ? { status: live.status } : {}),
      } as KubeObject);
    },
    applyStatus: async (object: KubeObject & { status?: unknown }) => {
      this.journal.push(`applyStatus ${object.kind} ${object.metadata.name}`);
      this.statuses.push({ object: `${object.kind}/${object.metadata.name}`, status: clone(object.status) });
      const live = this.find({ ...object, ...object.metadata });
      if (!live) throw notFound({ ...object, ...object.metadata });
      return this.put({ ...live, status: object.status } as KubeObject);
    },
    patch: async (ref: Ref, body: Record<string, unknown> | JsonPatchOp[]) => {
      this.journal.push(`patch ${ref.kind} ${ref.name}`);
      const live = this.find(ref);
      if (!live) throw notFound(ref);
      return this.put(Array.isArray(body) ? jsonPatch(live, body) : (mergePatch(live as unknown as Record<string, unknown>, body) as unknown as KubeObject));
    },
    delete: async (ref: Ref) => {
      this.journal.push(`delete ${ref.kind} ${ref.name}`);
      return this.objects.delete(keyOf(ref));
    },
    create: async (object: KubeObject) => {
      this.journal.push(`create ${object.kind} ${object.metadata.name}`);
      if (this.find({ ...object, ...object.metadata })) throw new KubeApiError({ method: 'POST', path: '', status: 409, body: { message: 'exists' } });
      return this.put(object);
    },
    resource: async (apiVersion: string, kind: string) => {
      this.journal.push(`resource ${kind}`);
      if (!this.served.has(`${apiVersion}/${kind}`)) throw notFound({ apiVersion, kind });
      return { apiVersion, kind };
    },
  } as unknown as KubeClient;

  readonly cache: ObjectCache = {
    get: <T extends KubeObject>(kind: Kind, namespace: string | undefined, name: string) => {
      this.journal.push(`cache.get ${kind.kind} ${name}`);
      return this.find<T>({ ...kind, namespace, name });
    },
    list: <T extends KubeObject>(kind: Kind, namespace: string | undefined, labels: Record<string, string>) => {
      this.journal.push(`cache.list ${kind.kind}`);
      return this.all(kind, namespace, labels) as T[];
    },
  };

  readonly recorder = {
    record: (regarding: KubeObject, input: EventInput) => {
      this.journal.push(`event ${input.type} ${input.reason}`);
      this.events.push({ ...input, regarding: `${regarding.kind}/${regarding.metadata.name}` });
    },
  } as unknown as EventRecorder;
}
