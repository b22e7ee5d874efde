// The agent parses the desired state the control plane answers with (never casts it): a bad
// answer is refused whole, naming the field, logged at warn, and nothing of it is applied.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createLoopbackTls, waitFor, type LoopbackTls } from '@qhc/kube-sandbox';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { AGENT_CREDENTIALS_SECRET } from '@qhc/manifests';
import { QDRANT_API_VERSION, allKinds, buildCrd, clusterResourceName, type DesiredStateInput } from '@qhc/schemas';
import { clusterSpecFixture } from '@qhc/schemas/test';
import { ControlPlaneClient, InvalidDesiredState, startAgent } from '../src/index.ts';
import { issuesOf, parseDesiredState } from '../src/control-plane.ts';

const sandbox = useSandboxNamespace('agent-desired');
let client: KubeClient;
let tls: LoopbackTls;
let server: Server;
let url = '';
/** What the fake control plane answers GET /agent/v1/desired-state with next. */
let answer: unknown;
/** The status reports the fake control plane got, and who waits for one. */
const reports: Array<{ region?: { conditions?: Array<Record<string, unknown>> } }> = [];
const reportWaiters = new Set<() => void>();

/** The DesiredStateApplied condition of a report. */
const appliedCondition = (report: (typeof reports)[number]) => report.region?.conditions?.find((c) => c.type === 'DesiredStateApplied');

/** Resolves with the first report (already received or next) whose condition matches. */
function reportWhere(match: (condition: Record<string, unknown> | undefined) => boolean): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    const check = () => {
      const found = reports.find((r) => match(appliedCondition(r)));
      if (!found) return;
      reportWaiters.delete(check);
      resolve(appliedCondition(found));
    };
    reportWaiters.add(check);
    check();
  });
}

const valid = (revision: number): DesiredStateInput => ({
  revision,
  region: { name: 'r1', namespace: sandbox.namespace },
  clusters: [{ id: 'good', spec: clusterSpecFixture('good') }],
  deletions: [],
});
const bad = () => ({ ...valid(1), clusters: [{ id: 'bad', spec: { size: 1 } }] });

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-agent' });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor('CRDs served', () => client.list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace: sandbox.namespace }).then(() => true));
  tls = await createLoopbackTls(mkdtempSync(join(tmpdir(), 'qhc-agent-cp-')));
  server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    if (req.url?.startsWith('/agent/v1/desired-state')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/agent/v1/status') reports.push(JSON.parse(body) as (typeof reports)[number]);
      res.writeHead(204).end();
      for (const waiter of reportWaiters) waiter();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

describe('ControlPlaneClient.desiredState', () => {
  it('returns the answer parsed with the contract, its defaults filled in', async () => {
    answer = valid(3);
    const cp = Object.assign(new ControlPlaneClient({ url, ca: tls.ca }), { token: 't' });
    try {
      expect(await cp.desiredState(2, 0)).toMatchObject({ revision: 3, resources: [], resourceDeletions: [], crds: [] });
    } finally {
      await cp.close();
    }
  });

  it('refuses an answer that does not parse, naming the field', async () => {
    answer = bad();
    const cp = Object.assign(new ControlPlaneClient({ url, ca: tls.ca }), { token: 't' });
    try {
      const refused = cp.desiredState(0, 0);
      await expect(refused).rejects.toBeInstanceOf(InvalidDesiredState);
      await expect(refused).rejects.toThrow(/^desired state not applied: clusters\.0\.spec\.id: /);
    } finally {
      await cp.close();
    }
  });
});

describe('the problems an error names', () => {
  it('cuts a huge key and a huge message, and bounds the whole', () => {
    const huge = 'k'.repeat(1024 * 1024);
    const text = issuesOf({ issues: Array.from({ length: 20 }, () => ({ path: ['clusters', 0, huge], message: `bad ${huge}` })) });
    expect(text.length).toBeLessThanOrEqual(2049);
    expect(text).toMatch(/^clusters\.0\.k{64}…: bad k{252}…; /);
  });

  it('keeps a 1 MiB unknown key of an answer out of the error', () => {
    const huge = 'x'.repeat(1024 * 1024);
    const refused = (() => {
      try {
        parseDesiredState({ ...valid(1), [huge]: 1, clusters: [{ id: 'bad', spec: { size: 'one', [huge]: 1 } }] });
      } catch (error) {
        return error as InvalidDesiredState;
      }
    })();
    expect(refused).toBeInstanceOf(InvalidDesiredState);
    expect(refused!.message.length).toBeLessThan(4096);
    expect(refused!.issues).toMatch(/clusters\.0\.spec/);
  });
});

describe('the agent, given a desired state it cannot read', () => {
  it('warns, applies none of it, stays connected, and applies the next good one', async () => {
    await client.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: AGENT_CREDENTIALS_SECRET, namespace: sandbox.namespace },
      stringData: { 'agent-token': 'agent-token-1' },
    } as KubeObject);
    answer = bad();
    const lines: Array<Record<string, unknown>> = [];
    const warning = Promise.withResolvers<void>();
    const logger = createLogger({
      level: 'warn',
      write: (line) => {
        const record = JSON.parse(line) as Record<string, unknown>;
        lines.push(record);
        if (record.level === 'warn' && String(record.error).includes('clusters.0.spec.id')) warning.resolve();
      },
    });
    const agent = await startAgent({
      client,
      namespace: sandbox.namespace,
      region: 'r1',
      controlPlane: { url, ca: tls.ca },
      logger,
      backoff: { baseMs: 20, maxMs: 50 },
    });
    try {
      await warning.promise;
      expect(agent.appliedRevision()).toBeUndefined();
      expect(agent.connected()).toBe(true);
      expect(
        await client.get({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster', namespace: sandbox.namespace, name: clusterResourceName('bad') }),
      ).toBeUndefined();
      expect(lines.find((l) => String(l.error).includes('clusters.0.spec.id'))?.msg).toMatch(/desired state this agent cannot read/);
      // The region's status says so, with the field path.
      const refused = await reportWhere((c) => c?.status === 'False');
      expect(refused).toMatchObject({ reason: 'InvalidDesiredState', message: expect.stringContaining('clusters.0.spec.id: ') });
      answer = valid(2);
      await waitFor('revision 2 applied', async () => (agent.appliedRevision() === 2 ? true : undefined));
      expect(
        await client.get({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster', namespace: sandbox.namespace, name: clusterResourceName('good') }),
      ).toBeDefined();
      expect(await reportWhere((c) => c?.status === 'True')).toMatchObject({ reason: 'Applied', message: 'revision 2 applied' });
    } finally {
      await agent.stop();
    }
  });
});
