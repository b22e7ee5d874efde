import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, loadKubeConfig, type KubeClient } from '@qhc/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInstallation, renderInstallScript } from '../src/index.ts';
import { CREDENTIALS, region } from './installation-fixtures.ts';

const run = promisify(execFile);
const sandbox = useSandboxNamespace('install');
let client: KubeClient;
const namespaces: string[] = [];

beforeAll(() => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-installer' });
});
afterAll(async () => {
  for (const name of namespaces) await client.delete({ apiVersion: 'v1', kind: 'Namespace', name });
});

const fresh = () => {
  const name = `region-${randomBytes(3).toString('hex')}`;
  namespaces.push(name);
  return name;
};

async function deploymentsAvailable(namespace: string): Promise<string[]> {
  return waitFor(`the operator, agent and cluster manager of ${namespace} to be available`, async () => {
    const list = await client.list<{ apiVersion: string; kind: string; metadata: { name?: string }; status?: { availableReplicas?: number } }>(
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      { namespace },
    );
    const available = list.items.filter((d) => d.status?.availableReplicas === 1).map((d) => d.metadata.name!);
    return available.length === 3 ? available.toSorted() : undefined;
  });
}

describe('the installation on the real apiserver', () => {
  it('applies for real: every object is accepted and the three Deployments become available', async () => {
    const namespace = fresh();
    for (const object of buildInstallation(region(namespace), CREDENTIALS)) await client.apply(object as never);
    expect(await deploymentsAvailable(namespace)).toEqual(['qhc-agent', 'qhc-cluster-manager', 'qhc-operator']);
  });

  it('the rendered script installs with kubectl, and running it again changes nothing', async () => {
    const namespace = fresh();
    const dir = mkdtempSync(join(tmpdir(), 'qhc-install-'));
    const script = join(dir, 'install.sh');
    writeFileSync(script, renderInstallScript(region(namespace), buildInstallation(region(namespace), CREDENTIALS)), { mode: 0o700 });
    const env = { ...process.env, KUBECONFIG: sandbox.kubeconfigPath };
    // The fixture's control plane (qhc.example.com through proxy.internal) does not exist, so the
    // preflight would stop here: skipped; apps/cli/test/preflight.test.ts runs it on a sandbox of its own.
    const first = await run('bash', [script, '--skip-preflight'], { env, timeout: 240_000 });
    expect(first.stdout).toContain('qhc: region prod-eu installed');
    const settings = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'qhc-operator-settings' });
    const second = await run('bash', [script, '--skip-preflight'], { env, timeout: 240_000 });
    expect(second.stdout).toContain('installed');
    const again = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'qhc-operator-settings' });
    expect(again?.metadata.resourceVersion).toBe(settings?.metadata.resourceVersion);
    expect(await deploymentsAvailable(namespace)).toEqual(['qhc-agent', 'qhc-cluster-manager', 'qhc-operator']);
  }, 300_000);
});
