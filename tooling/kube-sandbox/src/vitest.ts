import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import type { ProvidedSandbox } from './global-setup.ts';
import { SandboxClient } from './http.ts';
import { waitFor } from './wait.ts';
import type { ProvidedRealNode } from './real-node-routes.ts';

export interface SandboxNamespace extends ProvidedSandbox {
  /** This test file's namespace, valid after beforeAll. */
  namespace: string;
  client: SandboxClient;
  /** Restarts the shared apiserver (through the global setup) and waits until it is ready. */
  restartApiServer(): Promise<void>;
  /** Restarts the shared etcd (same data, same port) and waits until the apiserver is ready again. */
  restartEtcd(): Promise<void>;
}

/**
 * Call at the top of a test file that runs against the shared sandbox. A unique namespace
 * is created before the file's tests (with its default ServiceAccount ready) and deleted
 * after them.
 */
export function useSandboxNamespace(prefix = 'test'): SandboxNamespace {
  const provided = inject('qhcSandbox');
  if (!provided) throw new Error('no sandbox: add "@qhc/kube-sandbox/global-setup" to this package\'s vitest globalSetup');
  const client = new SandboxClient(provided);
  const context: SandboxNamespace = {
    ...provided,
    namespace: '',
    client,
    restartApiServer: () => restart(provided.controlUrl, 'apiserver'),
    restartEtcd: () => restart(provided.controlUrl, 'etcd'),
  };

  beforeAll(async () => {
    const name = `${prefix}-${randomBytes(4).toString('hex')}`.slice(0, 63);
    await client.call('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
    await waitFor(`the default ServiceAccount of ${name}`, async () =>
      (await client.call('GET', `/api/v1/namespaces/${name}/serviceaccounts/default`, { allowNotFound: true })) ? true : undefined,
    );
    context.namespace = name;
  });

  // A failed test quotes the end of the control plane's logs: most sandbox failures are
  // explained there (an admission error, a kwok stage that did not match).
  afterEach((ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    for (const component of ['kube-apiserver', 'kube-controller-manager', 'kwok']) {
      const file = join(provided.logsDir, `${component}.log`);
      let tail = '(no log)';
      try {
        tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
      } catch {
        // The sandbox may already be gone.
      }
      process.stderr.write(`\n--- last lines of ${file} ---\n${tail}\n`);
    }
  });

  afterAll(async () => {
    if (context.namespace) await client.call('DELETE', `/api/v1/namespaces/${context.namespace}`, { allowNotFound: true });
  });

  return context;
}

async function restart(controlUrl: string, component: 'apiserver' | 'etcd'): Promise<void> {
  const res = await fetch(`${controlUrl}/restart-${component}`, { method: 'POST' });
  if (!res.ok) throw new Error(`restarting ${component} failed: ${res.status} ${await res.text()}`);
}

export interface RealNodeContext {
  /** Valid after beforeAll. */
  node: ProvidedRealNode;
  /** Resident memory (MiB) of the kubelet, containerd and the pods' shims now. */
  memory(): Promise<Record<string, number>>;
}

/**
 * Opt-in, per test file: the package run's real kubelet node (started by the first file that
 * asks, in the global setup, so every file of the run shares it). Costs a few seconds and
 * about 130 MiB; see real-node.ts.
 */
export function useRealNode(): RealNodeContext {
  const provided = inject('qhcSandbox');
  if (!provided) throw new Error('no sandbox: add "@qhc/kube-sandbox/global-setup" to this package\'s vitest globalSetup');
  const context: RealNodeContext = {
    node: undefined as unknown as ProvidedRealNode,
    memory: async () => {
      const res = await fetch(`${provided.controlUrl}/real-node/memory`);
      if (!res.ok) throw new Error(`reading the real node's memory failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, number>;
    },
  };
  beforeAll(async () => {
    const res = await fetch(`${provided.controlUrl}/real-node`, { method: 'POST' });
    if (!res.ok) throw new Error(`starting the real node failed: ${res.status} ${await res.text()}`);
    context.node = (await res.json()) as ProvidedRealNode;
  }, 180_000);
  return context;
}
