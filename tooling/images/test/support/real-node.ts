// Helpers of real-node.test.ts: the control plane's API over HTTPS (private CA), the images
// pushed to a registry that needs a login, and the pods' logs as the kubelet wrote them.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { applyRealNodePolicy, REAL_NODE_NAMESPACE_LABEL, waitFor, type SandboxClient } from '@qhc/kube-sandbox';
import type { KubeClient, KubeObject } from '@qhc/kube';
import { request } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { releaseArtifacts } from '@qhc/manifests';
import { STORAGE, type ImageName } from '../../src/index.ts';

const exec = promisify(execFile);

export { https, type HttpsAnswer as Answer } from './https.ts';

/** The release's images under `<registry>/qdrant`, as `pnpm release` names them, pushed with a login. */
export async function pushImages(
  version: string,
  registry: string,
  login: { username: string; password: string },
  local: Partial<Record<ImageName, string>>,
): Promise<string[]> {
  const pushed: string[] = [];
  for (const artifact of releaseArtifacts(version)) {
    const source = local[artifact.source as ImageName];
    if (artifact.kind !== 'image' || !source) continue;
    const reference = `${registry}/qdrant/${artifact.name}:${artifact.tag}`;
    // A test registry's throw-away login: on the command line is fine here.
    await exec(
      'buildah',
      [...STORAGE, 'push', '--quiet', '--tls-verify=false', '--creds', `${login.username}:${login.password}`, source, `docker://${reference}`],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    pushed.push(reference);
  }
  return pushed;
}

/** Every line the kubelet logged for the containers of pods whose name starts with `prefix`. */
export function podLogs(podLogsDir: string, namespace: string, prefix: string): string {
  if (!existsSync(podLogsDir)) return '';
  let out = '';
  for (const pod of readdirSync(podLogsDir).filter((d) => d.startsWith(`${namespace}_${prefix}`))) {
    for (const container of readdirSync(join(podLogsDir, pod))) {
      for (const file of readdirSync(join(podLogsDir, pod, container)).toSorted()) out += readFileSync(join(podLogsDir, pod, container, file), 'utf8');
    }
  }
  return out;
}

/** A short-lived token of a ServiceAccount (the TokenRequest API, as the kubelet gets one for a pod). */
export async function serviceAccountToken(client: SandboxClient, namespace: string, serviceAccount: string): Promise<string> {
  const answer = await client.call<{ status: { token: string } }>('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`, {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } },
  });
  return answer!.status.token;
}

/** GET on the apiserver with a bearer token: the status it answers. */
export function kubeGet(apiserver: { server: string; caFile: string }, token: string, path: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, apiserver.server), { ca: readFileSync(apiserver.caFile), headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The namespace marked for the real node and the policy with qhc's extras (see the test's
 * header); waits until the apiserver has loaded the policy (a dry-run pod comes out mutated).
 */
export async function placeInstallerOnRealNode(
  client: KubeClient,
  sandbox: { namespace: string; client: SandboxClient },
  node: { name: string; apiServerPort: number },
): Promise<void> {
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: sandbox.namespace, labels: { [REAL_NODE_NAMESPACE_LABEL]: 'true' } } });
  // The installer's label: Qdrant's pods carry part-of: qhc too, and stay on kwok.
  const podLabels = { 'app.kubernetes.io/managed-by': 'qhc-installer' };
  await applyRealNodePolicy(sandbox.client, {
    nodeName: node.name,
    apiServerPort: node.apiServerPort,
    podLabels,
    containers: {
      'qhc-operator': {
        env: {
          QHC_OPERATOR_BIND: '127.0.0.1',
          QHC_CLUSTER_MANAGER_URL: 'http://127.0.0.1:7333',
          QHC_QDRANT_URL_TEMPLATE: 'http://127.0.0.1:1/{namespace}/{name}/{node}',
        },
      },
      'qhc-cluster-manager': { args: ['--host', '127.0.0.1'] },
    },
  });
  const probe = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'policy-probe', namespace: sandbox.namespace, labels: podLabels },
    spec: { containers: [{ name: 'probe', image: 'example.invalid/probe:1' }] },
  };
  await waitFor('the real-node policy to act', async () => {
    const dry = await sandbox.client.call<{ spec: { hostNetwork?: boolean } }>('POST', `/api/v1/namespaces/${sandbox.namespace}/pods?dryRun=All`, {
      body: probe,
    });
    return dry?.spec.hostNetwork ? true : undefined;
  });
}

type ProbeEvent = KubeObject & { reason?: string; message?: string; lastTimestamp?: string; eventTime?: string; involvedObject?: { name?: string } };

/**
 * Every failed probe (the kubelet's Unhealthy events: liveness or readiness, any pod, before or
 * after it was Ready) since `since`, as `pod: message`.
 */
export async function probeFailuresSince(client: KubeClient, namespace: string, since: Date): Promise<string[]> {
  const events = (await client.list<ProbeEvent>({ apiVersion: 'v1', kind: 'Event' }, { namespace })).items;
  return events
    .filter((e) => e.reason === 'Unhealthy' && Date.parse(e.lastTimestamp ?? e.eventTime ?? '') >= since.getTime() - 1000)
    .map((e) => `${e.involvedObject?.name}: ${e.message}`);
}
