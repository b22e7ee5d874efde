// The control plane (in this process, HTTPS with a loopback CA), a region on the sandbox
// namespace, the operator (in this process) and the agent as its own process, optionally
// reaching the control plane through a TCP proxy that can black-hole.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { createLoopbackTls, waitFor, type LoopbackTls } from '@qhc/kube-sandbox';
import type { SandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '@qhc/control-plane';
import type { RunningOperator } from '@qhc/operator';
import { startAgentProcess, type AgentProcess } from './agent-process.ts';
import { installCrds, startTestOperator } from './clusters.ts';

const ADMIN = 'qhc_u_faults-admin-token-abcdefghijklmnop';
export const REGION = 'faults';

// Response bodies, read loosely: the assertions say what they must hold.
// oxlint-disable-next-line typescript/no-explicit-any
export type Body = any;

export interface Hybrid {
  client: KubeClient;
  cp: RunningControlPlane;
  operator: RunningOperator;
  tls: LoopbackTls;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Body }>;
  /** Starts the agent against `url` (default: the control plane itself). */
  startAgent(url?: string): AgentProcess;
  createCluster(id: string, size: number): Promise<void>;
  /** Waits until the control plane shows every cluster Healthy (the status flowed back). */
  waitApiHealthy(ids: string[], timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startHybrid(sandbox: SandboxNamespace): Promise<Hybrid> {
  const client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-faults' });
  await installCrds(client, sandbox.namespace);
  const tls = await createLoopbackTls(mkdtempSync(join(tmpdir(), 'qhc-faults-tls-')), 'qhc-control-plane');
  const trusted = new Agent({ connect: { ca: tls.ca } });
  const database = join(mkdtempSync(join(tmpdir(), 'qhc-faults-cp-')), 'control-plane.db');
  const cp = await startControlPlane({
    database,
    port: 0,
    tls: { cert: tls.cert, key: tls.key },
    adminToken: ADMIN,
    logger: createLogger({ level: 'error', component: 'qhc-control-plane' }),
    pollIntervalMs: 100,
  });
  const api = hybridApi(cp.url, trusted);
  await registerRegion(api, client, sandbox.namespace, tls);
  const operator = await startTestOperator(sandbox.kubeconfigPath, sandbox.namespace, { leaderElection: false });
  const agents: AgentProcess[] = [];
  return {
    client,
    cp,
    operator,
    tls,
    api,
    startAgent(url = cp.url) {
      const agent = startAgentProcess(agentArgs(url, sandbox.namespace, sandbox.kubeconfigPath, tls.caPath));
      agents.push(agent);
      return agent;
    },
    async createCluster(id, size) {
      const res = await api('POST', `/api/v1/regions/${REGION}/clusters`, {
        name: id,
        spec: { version: 'v1.16.2', size, resources: { cpu: '100m', memory: '256Mi', storage: '1Gi' } },
      });
      if (res.status !== 201) throw new Error(`creating ${id}: ${res.status} ${JSON.stringify(res.json)}`);
    },
    async waitApiHealthy(ids, timeoutMs = 60_000) {
      await waitFor(
        `${ids.length} clusters Healthy in the API`,
        async () => {
          const states = await Promise.all(ids.map(async (id) => (await api('GET', `/api/v1/regions/${REGION}/clusters/${id}`)).json?.status?.phase));
          return states.every((p) => p === 'Healthy') ? true : undefined;
        },
        { timeoutMs, intervalMs: 250 },
      );
    },
    async stop() {
      for (const agent of agents) await agent.stop();
      await operator.stop();
      await cp.stop();
      await trusted.close();
    },
  };
}

/** The one client of the control plane's API in the fault suite: admin token, loopback CA. */
function hybridApi(baseUrl: string, trusted: Agent): Hybrid['api'] {
  return async (method, path, body) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      dispatcher: trusted,
      headers: { authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : undefined) as Body };
  };
}

/** The region on the sandbox namespace, and the agent Secret the installation script would leave. */
async function registerRegion(api: Hybrid['api'], client: KubeClient, namespace: string, tls: LoopbackTls): Promise<void> {
  const created = await api('POST', '/api/v1/regions', {
    name: REGION,
    namespace,
    agentVersion: '0.1.0',
    operatorVersion: '0.1.0',
    advanced: { caCertificate: tls.ca },
  });
  if (created.status !== 201) throw new Error(`creating the region: ${created.status} ${JSON.stringify(created.json)}`);
  const install = await api('POST', `/api/v1/regions/${REGION}/installation`);
  await client.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'qhc-agent-credentials', namespace },
    data: { 'bootstrap-token': Buffer.from(String(install.json.bootstrapToken)).toString('base64') },
  });
}

function agentArgs(url: string, namespace: string, kubeconfigPath: string, caPath: string): string[] {
  const flags: Record<string, string> = {
    'control-plane-url': url,
    region: REGION,
    namespace,
    kubeconfig: kubeconfigPath,
    'ca-file': caPath,
    'health-port': '0',
    'status-interval': '1',
    'poll-seconds': '5',
    'max-backoff': '2',
  };
  return Object.entries(flags).flatMap(([flag, value]) => [`--${flag}`, value]);
}
