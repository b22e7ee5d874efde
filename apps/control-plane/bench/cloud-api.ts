// pnpm bench (@qhc/control-plane): what the Cloud API costs over gRPC and over its REST routes
// (google.api.http), in the same run, with 1,000 clusters in one environment, on SQLite and
// PostgreSQL. The clusters are made through the Cloud API (CreateHybridCloudEnvironment, then
// CreateCluster over gRPC). Each client keeps ONE connection over TLS: gRPC (HTTP/2, as
// Terraform and qcloud call), REST over HTTP/2, and REST over HTTP/1.1 keep-alive (as curl calls). Calls are sequential and round-robin across
// the three clients, so a busy moment of the machine lands on all of them alike; each
// client warms up first. Latency is end to end (request encoded, answer decoded); the server
// runs in this process; PostgreSQL is a throwaway server this bench starts and stops. Not a
// test: one table, a row per database × API × call, written as JSON too (@qhc/bench).
//   node bench/cloud-api.ts [calls]     (default 500 per figure; list-all walks: a fifth)
import { create } from '@bufbuild/protobuf';
import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { clusterV1, hybridV1 } from '@qhc/cloud-api';
import { writeBenchTable } from '@qhc/bench';
import { createLogger } from '@qhc/kube';
import { createLoopbackTls } from '@qhc/kube-sandbox';
import { DEFAULT_PACKAGES } from '@qhc/schemas';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { connect, type ClientHttp2Session } from 'node:http2';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, type RunningControlPlane } from '../src/index.ts';
import { createTestDatabase, startTestPostgres } from '../test/support/postgres.ts';

const CLUSTERS = 1000;
const CALLS = Number(process.argv[2]) > 0 ? Number(process.argv[2]) : 500;
const WARMUP = 50;
const ENVIRONMENT = 'bench';
const KEY = 'qhc_m_bench-management-key-0123456789';
const SECRETS_KEY = `b1:${Buffer.alloc(32, 9).toString('base64')}`;
const headers = { authorization: `apikey ${KEY}` };
// Ctrl-C, or turbo stopping the task, ends the run through process.exit, whose hook kills
// the PostgreSQL it started (test/support/postgres.ts) rather than leaving them running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

type Dialect = 'sqlite' | 'postgres';
type ApiName = 'gRPC ClusterService' | 'REST HTTP/2' | 'REST HTTP/1.1';
type CallName = 'get one cluster' | 'list, first page (100)' | 'list all 1,000 (every page)';
interface Figure {
  dialect: Dialect;
  api: ApiName;
  call: CallName;
  calls: number;
  p50Ms: number;
  p99Ms: number;
}
/** One API's client: `get` a cluster by its index, `first` page, `all` pages; each checks its answer. */
interface Probe {
  api: ApiName;
  get(i: number): Promise<void>;
  first(): Promise<void>;
  all(): Promise<void>;
  close(): void;
}
interface Seeded {
  accountId: string;
  environmentId: string;
  ids: string[];
  names: string[];
}

const percentile = (samples: number[], p: number) => samples.toSorted((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * p))]!;
const round = (ms: number) => Math.round(ms * 100) / 100;
const clusterName = (i: number) => `bench-${String(i).padStart(4, '0')}`;
/** CreateCluster calls per second while seeding, by database: context for the table. */
const seedRates: Partial<Record<Dialect, number>> = {};

/** The control plane on `dialect`, serving HTTPS with a private CA; `stop` also stops PostgreSQL. */
async function startPlane(dialect: Dialect): Promise<{ cp: RunningControlPlane; ca: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'qhc-bench-cloud-'));
  const postgres = dialect === 'postgres' ? await startTestPostgres() : undefined;
  const cleanUp = async () => {
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const database = postgres ? await createTestDatabase(postgres.url, 'bench') : join(dir, 'cp.db');
    const tls = await createLoopbackTls(join(dir, 'tls'));
    const cp = await startControlPlane({
      database,
      host: '127.0.0.1',
      port: 0,
      tls: { cert: tls.cert, key: tls.key },
      managementKey: KEY,
      // PostgreSQL needs the key ring given (replicas share it); SQLite would make its own.
      secrets: { key: SECRETS_KEY },
      logger: createLogger({ level: 'error' }),
      console: false,
    });
    const stop = async () => {
      await cp.stop();
      await cleanUp();
    };
    return { cp, ca: tls.ca, stop };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** One environment and its 1,000 clusters, made through the Cloud API as Terraform makes them. */
async function seed(dialect: Dialect, cp: RunningControlPlane, ca: string): Promise<Seeded> {
  const transport = createGrpcTransport({ baseUrl: cp.url, nodeOptions: { ca } });
  const hybrid = createClient(hybridV1.HybridCloudService, transport);
  const clusters = createClient(clusterV1.ClusterService, transport);
  const accountId = cp.accountId;
  const env = create(hybridV1.HybridCloudEnvironmentSchema, { accountId, name: ENVIRONMENT, configuration: { namespace: 'qhc-bench' } });
  const environmentId = (await hybrid.createHybridCloudEnvironment({ hybridCloudEnvironment: env }, { headers })).hybridCloudEnvironment!.id;
  const started = performance.now();
  const ids: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < CLUSTERS; i++) {
    const cluster = create(clusterV1.ClusterSchema, {
      accountId,
      name: clusterName(i),
      cloudProviderId: 'hybrid',
      cloudProviderRegionId: environmentId,
      configuration: { numberOfNodes: 1, version: 'v1.16.3', packageId: DEFAULT_PACKAGES[1]!.id },
    });
    ids.push((await clusters.createCluster({ cluster }, { headers })).cluster!.id);
    names.push(clusterName(i));
  }
  seedRates[dialect] = Math.round(CLUSTERS / ((performance.now() - started) / 1000));
  return { accountId, environmentId, ids, names };
}

function grpcProbe(cp: RunningControlPlane, ca: string, seeded: Seeded): Probe {
  // connect-node's gRPC transport keeps one HTTP/2 session for all its calls.
  const client: Client<typeof clusterV1.ClusterService> = createClient(clusterV1.ClusterService, createGrpcTransport({ baseUrl: cp.url, nodeOptions: { ca } }));
  const { accountId, environmentId } = seeded;
  const filter = { accountId, cloudProviderId: 'hybrid', cloudProviderRegionId: environmentId };
  return {
    api: 'gRPC ClusterService',
    async get(i) {
      const id = seeded.ids[i % CLUSTERS]!;
      const got = await client.getCluster({ accountId, clusterId: id }, { headers });
      if (got.cluster?.id !== id) throw new Error(`GetCluster answered ${got.cluster?.id} for ${id}`);
    },
    async first() {
      const page = await client.listClusters(filter, { headers });
      if (page.items.length !== 100) throw new Error(`ListClusters answered ${page.items.length} clusters`);
    },
    async all() {
      let count = 0;
      let pageToken: string | undefined;
      do {
        const page = await client.listClusters({ ...filter, pageSize: 250, ...(pageToken ? { pageToken } : {}) }, { headers });
        count += page.items.length;
        pageToken = page.nextPageToken;
      } while (pageToken);
      if (count !== CLUSTERS) throw new Error(`ListClusters walked ${count} clusters`);
    },
    close: () => undefined,
  };
}

type Fetch = (path: string) => Promise<unknown>;

/** GET over one HTTP/2 session; the body parsed as a client would. */
function http2Fetch(cp: RunningControlPlane, ca: string): { fetch: Fetch; close(): void } {
  const session: ClientHttp2Session = connect(cp.url, { ca });
  const fetch: Fetch = (path) =>
    new Promise((resolve, reject) => {
      const req = session.request({ ':method': 'GET', ':path': path, ...headers });
      let status = 0;
      const chunks: Buffer[] = [];
      req.on('response', (h) => (status = Number(h[':status'])));
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => settle(path, status, Buffer.concat(chunks).toString('utf8'), resolve, reject));
      req.on('error', reject);
      req.end();
    });
  return { fetch, close: () => session.close() };
}

/** GET over one HTTP/1.1 keep-alive socket. */
function http1Fetch(cp: RunningControlPlane, ca: string): { fetch: Fetch; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca });
  const fetch: Fetch = (path) =>
    new Promise((resolve, reject) => {
      const req = request(new URL(path, cp.url), { agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => settle(path, res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), resolve, reject));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  return { fetch, close: () => agent.destroy() };
}

function settle(path: string, status: number, text: string, resolve: (value: unknown) => void, reject: (error: Error) => void): void {
  if (status === 200) resolve(JSON.parse(text));
  else reject(new Error(`GET ${path}: ${status} ${text.slice(0, 300)}`));
}

function restProbe(api: ApiName, { fetch, close }: { fetch: Fetch; close(): void }, seeded: Seeded): Probe {
  const base = `/api/cluster/v1/accounts/${seeded.accountId}/clusters`;
  const list = `${base}?cloud_provider_id=hybrid&cloud_provider_region_id=${seeded.environmentId}`;
  return {
    api,
    async get(i) {
      const id = seeded.ids[i % CLUSTERS]!;
      const got = (await fetch(`${base}/${id}`)) as { cluster?: { id?: string } };
      if (got.cluster?.id !== id) throw new Error(`${base}/${id} answered ${got.cluster?.id}`);
    },
    async first() {
      const page = (await fetch(list)) as { items: unknown[] };
      if (page.items.length !== 100) throw new Error(`${list} answered ${page.items.length} clusters`);
    },
    async all() {
      let count = 0;
      let pageToken: string | undefined;
      do {
        const page = (await fetch(`${list}&page_size=250${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ''}`)) as {
          items: unknown[];
          nextPageToken?: string;
        };
        count += page.items.length;
        pageToken = page.nextPageToken || undefined;
      } while (pageToken);
      if (count !== CLUSTERS) throw new Error(`${list} walked ${count} clusters`);
    },
    close,
  };
}

/** `calls` rounds after a warm-up; each round calls every probe once, timing each call alone. */
async function measure(probes: Probe[], calls: number, call: (probe: Probe, i: number) => Promise<void>): Promise<number[][]> {
  for (let i = 0; i < WARMUP; i++) for (const probe of probes) await call(probe, i);
  const samples = probes.map(() => [] as number[]);
  for (let i = 0; i < calls; i++)
    for (const [p, probe] of probes.entries()) {
      const started = performance.now();
      await call(probe, i);
      samples[p]!.push(performance.now() - started);
    }
  return samples;
}

async function benchDialect(dialect: Dialect): Promise<Figure[]> {
  const plane = await startPlane(dialect);
  try {
    const seeded = await seed(dialect, plane.cp, plane.ca);
    const probes = [
      grpcProbe(plane.cp, plane.ca, seeded),
      restProbe('REST HTTP/2', http2Fetch(plane.cp, plane.ca), seeded),
      restProbe('REST HTTP/1.1', http1Fetch(plane.cp, plane.ca), seeded),
    ];
    const kinds: Array<[CallName, number, (probe: Probe, i: number) => Promise<void>]> = [
      ['get one cluster', CALLS, (probe, i) => probe.get(i)],
      ['list, first page (100)', CALLS, (probe) => probe.first()],
      ['list all 1,000 (every page)', Math.max(1, Math.round(CALLS / 5)), (probe) => probe.all()],
    ];
    const figures: Figure[] = [];
    for (const [call, calls, run] of kinds) {
      const samples = await measure(probes, calls, run);
      for (const [p, probe] of probes.entries()) {
        figures.push({ dialect, api: probe.api, call, calls, p50Ms: round(percentile(samples[p]!, 0.5)), p99Ms: round(percentile(samples[p]!, 0.99)) });
      }
    }
    for (const probe of probes) probe.close();
    return figures;
  } finally {
    await plane.stop();
  }
}

const loadBefore = loadavg()[0]!;
const figures = [...(await benchDialect('sqlite')), ...(await benchDialect('postgres'))];
writeBenchTable({
  component: 'control-plane-cloud-api',
  title: `the Cloud API over gRPC, REST HTTP/2 and REST HTTP/1.1 (TLS, one connection each), ${CLUSTERS} clusters in one environment`,
  columns: [
    { key: 'dialect', header: 'database' },
    { key: 'api', header: 'api' },
    { key: 'call', header: 'call' },
    { key: 'calls', header: 'calls' },
    { key: 'p50Ms', header: 'p50 (ms)' },
    { key: 'p99Ms', header: 'p99 (ms)' },
  ],
  rows: figures.map((f) => ({ ...f })),
  context: {
    'seeding, CreateCluster/s': Object.entries(seedRates)
      .map(([d, rate]) => `${d} ${rate}`)
      .join(', '),
    'load average': `${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`,
  },
});
