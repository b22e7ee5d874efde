import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createLoopbackTls, freePorts, startSandbox, waitFor, type LoopbackTls, type Sandbox } from '@qhc/kube-sandbox';
import { PREFLIGHT_STOP_MESSAGE, buildInstallation, renderInstallScript } from '@qhc/manifests';
import { parseRegion } from '@qhc/schemas';
import { qhc, type Run } from './support.ts';

// The preflight of the installation script and `qhc region preflight`, against a real
// apiserver. The scenarios delete StorageClasses and the VolumeSnapshot CRDs, so this file
// starts a sandbox of its own: nothing it changes can reach another test.
// The control plane is stood in for by an HTTPS server behind a private CA that answers
// /healthz, which is all the check asks of it.

let sandbox: Sandbox;
let tls: LoopbackTls;
let cpServer: Server;
let cpUrl = '';
let deadUrl = '';
const work = mkdtempSync(join(tmpdir(), 'qhc-preflight-'));

beforeAll(async () => {
  sandbox = await startSandbox();
  tls = await createLoopbackTls(join(work, 'tls'));
  cpServer = createServer({ cert: tls.cert, key: tls.key }, (req, res) => void res.writeHead(req.url === '/healthz' ? 200 : 404).end('ok'));
  await new Promise<void>((resolve) => cpServer.listen(0, '127.0.0.1', resolve));
  cpUrl = `https://127.0.0.1:${(cpServer.address() as { port: number }).port}`;
  // A port that was free a moment ago and that nothing listens on: the control plane "not answering".
  deadUrl = `https://127.0.0.1:${(await freePorts(1))[0]}`;
}, 180_000);
afterAll(async () => {
  cpServer?.close();
  await sandbox?.stop();
});

const CHECK_LINE = /^(ok {2}|warn|FAIL) [a-z-]+: /;
const checks = (stdout: string) => stdout.split('\n').filter((l) => CHECK_LINE.test(l));
const statusAndId = (lines: string[]) => lines.map((l) => l.slice(0, l.indexOf(':')));

function bash(script: string, args: string[], kubeconfig: string): Promise<Run> {
  return new Promise((resolve) => {
    // A discovery cache of its own: what kubectl finds is what the apiserver serves now.
    const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: mkdtempSync(join(work, 'kubecache-')) };
    execFile('bash', [script, ...args], { env, timeout: 280_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Outcome {
  script: Run & { checks: string[] };
  cli: Run & { checks: string[] };
}

/** Renders the region's installation script and runs it, then `qhc region preflight` on the same region. */
async function scenario(namespace: string, options: { controlPlaneUrl?: string; kubeconfig?: string; args?: string[] } = {}): Promise<Outcome> {
  const input = { name: 'pf', namespace, agentVersion: '0.1.0', operatorVersion: '0.1.0', advanced: { caCertificate: tls.ca } };
  const region = parseRegion(JSON.stringify(input));
  const url = options.controlPlaneUrl ?? cpUrl;
  const kubeconfig = options.kubeconfig ?? sandbox.kubeconfigPath;
  const script = join(work, `install-${namespace}.sh`);
  writeFileSync(script, renderInstallScript(region, buildInstallation(region, { controlPlaneUrl: url, bootstrapToken: 'qhc_b_preflight-test' })));
  const regionFile = join(work, `region-${namespace}.json`);
  writeFileSync(regionFile, JSON.stringify(input));
  const ran = await bash(script, options.args ?? [], kubeconfig);
  const cli = await qhc(['region', 'preflight', '--kubeconfig', kubeconfig, '--control-plane-url', url, '-f', regionFile]);
  return { script: { ...ran, checks: checks(ran.stdout) }, cli: { ...cli, checks: checks(cli.stdout) } };
}

async function nothingApplied(namespace: string): Promise<void> {
  expect(await sandbox.client.call('GET', `/api/v1/namespaces/${namespace}`, { allowNotFound: true })).toBeUndefined();
  expect(
    await sandbox.client.call('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/qdrantclusters.qdrant.io', { allowNotFound: true }),
  ).toBeUndefined();
}

const patchClass = (name: string, isDefault: string | null) =>
  sandbox.client.call('PATCH', `/apis/storage.k8s.io/v1/storageclasses/${name}`, {
    body: { metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': isDefault } } },
    contentType: 'application/merge-patch+json',
  });

/** A kubeconfig for a ServiceAccount that holds only a namespaced Role, with a token from the TokenRequest API. */
async function limitedKubeconfig(): Promise<string> {
  const ns = 'pf-limited';
  const c = sandbox.client;
  await c.call('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
  await c.call('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'installer' } } });
  await c.call('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'deployer' },
      rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] }],
    },
  });
  await c.call('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'deployer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' },
      subjects: [{ kind: 'ServiceAccount', name: 'installer', namespace: ns }],
    },
  });
  const request = await c.call<{ status: { token: string } }>('POST', `/api/v1/namespaces/${ns}/serviceaccounts/installer/token`, {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  });
  const path = join(work, 'limited.kubeconfig');
  const ca = (await import('node:fs')).readFileSync(sandbox.caFile).toString('base64');
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'sandbox', cluster: { server: sandbox.server, 'certificate-authority-data': ca } }],
      users: [{ name: 'installer', user: { token: request!.status.token } }],
      contexts: [{ name: 'installer', context: { cluster: 'sandbox', user: 'installer', namespace: ns } }],
      'current-context': 'installer',
    }),
    { mode: 0o600 },
  );
  return path;
}

describe('preflight: the installation script and qhc region preflight on the sandbox stop the install', () => {
  it('(f) a control plane that does not answer stops the install before anything is applied', async () => {
    const { script, cli } = await scenario('pf-f', { controlPlaneUrl: deadUrl });
    expect(script.code, script.stderr).toBe(1);
    expect(script.checks.find((l) => l.startsWith('FAIL control-plane:'))).toMatch(
      new RegExp(`^FAIL control-plane: ${deadUrl}/healthz did not answer: curl: \\(7\\) .+\\. Fix: allow outbound HTTPS`),
    );
    expect(script.stderr).toContain(PREFLIGHT_STOP_MESSAGE);
    expect(statusAndId(script.checks)).toEqual([
      'ok   cluster-reachable',
      'ok   kubernetes-version',
      'ok   cluster-scope-rights',
      'ok   storage-class',
      'ok   volume-expansion',
      'ok   volume-snapshots',
      'FAIL control-plane',
    ]);
    await nothingApplied('pf-f');
    // The CLI: the same checks and words (the connection error is undici's, not curl's), exit 1.
    expect(cli.code).toBe(1);
    expect(statusAndId(cli.checks)).toEqual(statusAndId(script.checks));
    expect(cli.checks.slice(0, -1)).toEqual(script.checks.slice(0, -1));
    expect(cli.checks.at(-1)).toMatch(new RegExp(`^FAIL control-plane: ${deadUrl}/healthz did not answer: .*ECONNREFUSED`));
  });

  it('(e) a user without cluster-scope rights (a ServiceAccount with a namespaced Role) is stopped before anything is applied', async () => {
    const kubeconfig = await limitedKubeconfig();
    const { script, cli } = await scenario('pf-e', { kubeconfig });
    expect(script.code, script.stderr).toBe(1);
    const rights =
      'FAIL cluster-scope-rights: this user may not create customresourcedefinitions.apiextensions.k8s.io, patch customresourcedefinitions.apiextensions.k8s.io, create clusterroles.rbac.authorization.k8s.io, patch clusterroles.rbac.authorization.k8s.io, create clusterrolebindings.rbac.authorization.k8s.io, patch clusterrolebindings.rbac.authorization.k8s.io, create namespaces, patch namespaces. Fix: run the installation as a cluster administrator';
    expect(script.checks.find((l) => l.includes('cluster-scope-rights'))).toMatch(new RegExp(`^${rights.replaceAll('.', '\\.')}`));
    // It may not even list StorageClasses: said as such, not mistaken for "none".
    expect(script.checks.find((l) => l.includes('storage-class'))).toMatch(/^FAIL storage-class: could not list StorageClasses: .*forbidden/);
    await nothingApplied('pf-e');
    expect(cli.code).toBe(1);
    expect(statusAndId(cli.checks)).toEqual(statusAndId(script.checks));
    expect(cli.checks.find((l) => l.includes('cluster-scope-rights'))).toBe(script.checks.find((l) => l.includes('cluster-scope-rights')));
  });

  it('(b) no default StorageClass stops the install before anything is applied', async () => {
    await patchClass('qhc-expandable', null);
    try {
      const { script, cli } = await scenario('pf-b');
      expect(script.code, script.stderr).toBe(1);
      expect(script.checks).toContain(
        "FAIL storage-class: no StorageClass is marked as the default and the operator settings name none. Fix: mark a CSI block-storage class as the default (kubectl annotate storageclass <name> storageclass.kubernetes.io/is-default-class=true) or name one at settings.storage.default_storage_class_names.db in the region's operator settings",
      );
      expect(script.checks.some((l) => l.includes('volume-expansion'))).toBe(false);
      await nothingApplied('pf-b');
      expect([cli.code, cli.checks]).toEqual([1, script.checks]);
    } finally {
      await patchClass('qhc-expandable', 'true');
    }
  });
});

// After the stopping cases, in this order: (d) and (c) change the sandbox for the tests after them.
describe('preflight: warnings and a skipped preflight let the install go on', () => {
  it('(a) everything present: every check ok, the install proceeds, and the CLI says the same', async () => {
    const { script, cli } = await scenario('pf-a');
    expect(script.code, script.stderr).toBe(0);
    expect(script.checks).toEqual([
      `ok   cluster-reachable: reached ${sandbox.server}`,
      'ok   kubernetes-version: Kubernetes v1.37.2 (1.27 or newer is supported)',
      'ok   cluster-scope-rights: this user may create and patch CRDs, ClusterRoles, ClusterRoleBindings and namespaces',
      'ok   storage-class: StorageClass "qhc-expandable" (the default) will hold the database volumes',
      'ok   volume-expansion: StorageClass "qhc-expandable" allows volume expansion',
      'ok   volume-snapshots: VolumeSnapshot API served; VolumeSnapshotClass "csi-snapclass" exists',
      `ok   control-plane: ${cpUrl}/healthz answered from here; from inside the cluster the agent's first call confirms it (qhc region get shows when it was last seen)`,
    ]);
    expect(script.stdout).toContain('qhc: region pf installed');
    expect([cli.code, cli.checks]).toEqual([0, script.checks]);
  }, 300_000);

  it('(d) no VolumeSnapshot CRDs: a warning, and the install continues', async () => {
    for (const name of ['volumesnapshots', 'volumesnapshotclasses', 'volumesnapshotcontents']) {
      await sandbox.client.call('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}.snapshot.storage.k8s.io`);
    }
    await waitFor('the snapshot API to be gone', async () =>
      (await sandbox.client.request('GET', '/apis/snapshot.storage.k8s.io/v1')).status === 404 ? true : undefined,
    );
    const { script, cli } = await scenario('pf-a');
    expect(script.code, script.stderr).toBe(0);
    expect(script.checks).toContain(
      'warn volume-snapshots: the VolumeSnapshot CRDs (snapshot.storage.k8s.io) are not installed: backups cannot be taken. Fix: install the CSI snapshot CRDs and snapshot controller (github.com/kubernetes-csi/external-snapshotter) and a VolumeSnapshotClass for your CSI driver, named at settings.storage.snapshot_class; until then backups cannot be taken',
    );
    expect(script.checks.filter((l) => !l.startsWith('ok'))).toHaveLength(1);
    expect(script.stdout).toContain('qhc: region pf installed');
    expect([cli.code, cli.checks]).toEqual([0, script.checks]);
  }, 300_000);

  it('(c) only a class that cannot expand: a warning, and the install continues', async () => {
    await sandbox.client.call('DELETE', '/apis/storage.k8s.io/v1/storageclasses/qhc-expandable');
    await patchClass('qhc-fixed', 'true');
    const { script, cli } = await scenario('pf-a');
    expect(script.code, script.stderr).toBe(0);
    expect(script.checks).toContain('ok   storage-class: StorageClass "qhc-fixed" (the default) will hold the database volumes');
    expect(script.checks).toContain(
      'warn volume-expansion: StorageClass "qhc-fixed" does not allow volume expansion: clusters\' storage cannot grow. Fix: set allowVolumeExpansion: true on the class if its CSI driver can resize volumes, or use a class that can; until then clusters\' storage cannot grow',
    );
    expect(script.stdout).toContain('qhc: region pf installed');
    expect([cli.code, cli.checks]).toEqual([0, script.checks]);
  }, 300_000);

  it('--skip-preflight installs even when a check fails', async () => {
    const { script } = await scenario('pf-skip', { controlPlaneUrl: deadUrl, args: ['--skip-preflight'] });
    expect(script.code, script.stderr).toBe(0);
    expect(script.checks).toEqual([]);
    expect(script.stdout).toContain('qhc: preflight skipped (--skip-preflight)');
    expect(script.stdout).toContain('qhc: region pf installed');
  }, 300_000);
});
