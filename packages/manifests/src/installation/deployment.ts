import type { Region } from '@qhc/schemas';
import type { KubeObject } from '../object.ts';
import { CA_BUNDLE_CONFIGMAP, REGISTRY_SECRET } from './names.ts';
import { CA_CHECKSUM_ANNOTATION, sha256Hex } from './hash.ts';

const CA_PATH = '/etc/qhc/ca';
/** Where the operator and the cluster manager read the settings ConfigMap. */
export const SETTINGS_PATH = '/etc/qhc/settings';

export function installerLabels(component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': component, 'app.kubernetes.io/part-of': 'qhc', 'app.kubernetes.io/managed-by': 'qhc-installer' };
}
const labels = installerLabels;

function proxyEnv(region: Region): Array<{ name: string; value: string }> {
  const proxy = region.advanced.proxy;
  if (!proxy) return [];
  const env: Array<{ name: string; value: string }> = [];
  if (proxy.httpProxy) env.push({ name: 'HTTP_PROXY', value: proxy.httpProxy });
  if (proxy.httpsProxy) env.push({ name: 'HTTPS_PROXY', value: proxy.httpsProxy });
  // The apiserver and in-cluster names must never go through the proxy.
  const noProxy = [...new Set([...proxy.noProxy, 'kubernetes.default.svc', '.svc', '.cluster.local', '10.0.0.0/8'])];
  env.push({ name: 'NO_PROXY', value: noProxy.join(',') });
  return env;
}

/** The operator's and the agent's placement, from the region (the cluster manager's is the settings'). */
export function regionScheduling(region: Region): Record<string, unknown> {
  const nodeSelector = region.advanced.nodeSelector ?? {};
  const tolerations = region.advanced.tolerations ?? [];
  return { ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}), ...(tolerations.length > 0 ? { tolerations } : {}) };
}

export interface DeploymentOptions {
  name: string;
  image: string;
  args: string[];
  env: Array<Record<string, unknown>>;
  ports: Array<Record<string, unknown>>;
  mounts: Array<Record<string, unknown>>;
  volumes: Array<Record<string, unknown>>;
  probes?: Record<string, unknown>;
  scheduling?: Record<string, unknown>;
}

/**
 * /readyz and /healthz on a named port. The kubelet neither probes nor records anything before
 * initialDelaySeconds: a probe sent before the Node process listens would be refused and show as
 * a failure in every rollout. The apps listen first thing in their main, well within the delay.
 * A probe waits 5 s for its answer, not the kubelet's default 1 s: a busy node stretches the
 * loading of the apps' modules, during which the process answers nothing, past a second.
 */
export function healthProbes(port: string): Record<string, unknown> {
  return {
    readinessProbe: { httpGet: { path: '/readyz', port }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5 },
    livenessProbe: { httpGet: { path: '/healthz', port }, initialDelaySeconds: 15, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
  };
}

export function deployment(region: Region, options: DeploymentOptions): KubeObject {
  const { namespace } = region;
  const ca = region.advanced.caCertificate;
  const hasCa = ca !== undefined;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: options.name, namespace, labels: labels(options.name) },
    spec: {
      replicas: 1,
      // One active instance at a time: the new pod starts after the old one is gone.
      strategy: { type: 'Recreate' },
      selector: { matchLabels: { 'app.kubernetes.io/name': options.name } },
      template: {
        // Node reads NODE_EXTRA_CA_CERTS once, at start: a changed CA must restart the pod, and
        // only that changes the template (a new pull Secret or settings restart nothing).
        metadata: { labels: labels(options.name), ...(hasCa ? { annotations: { [CA_CHECKSUM_ANNOTATION]: sha256Hex(ca) } } : {}) },
        spec: {
          serviceAccountName: options.name,
          imagePullSecrets: [{ name: REGISTRY_SECRET }],
          ...options.scheduling,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 20001, fsGroup: 30001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: options.name,
              image: options.image,
              imagePullPolicy: 'IfNotPresent',
              args: options.args,
              env: [
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                ...proxyEnv(region),
                ...(hasCa ? [{ name: 'NODE_EXTRA_CA_CERTS', value: `${CA_PATH}/ca.crt` }] : []),
                ...options.env,
              ],
              ports: options.ports,
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [...options.mounts, ...(hasCa ? [{ name: 'ca-bundle', mountPath: CA_PATH, readOnly: true }] : [])],
              ...options.probes,
            },
          ],
          volumes: [...options.volumes, ...(hasCa ? [{ name: 'ca-bundle', configMap: { name: CA_BUNDLE_CONFIGMAP } }] : [])],
        },
      },
    },
  };
}

export function proxyPorts(region: Region): Array<{ protocol: 'TCP'; port: number }> {
  const ports = new Set<number>();
  for (const url of [region.advanced.proxy?.httpProxy, region.advanced.proxy?.httpsProxy]) {
    if (!url) continue;
    const parsed = new URL(url);
    ports.add(Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)));
  }
  ports.delete(443);
  return [...ports].toSorted((a, b) => a - b).map((port) => ({ protocol: 'TCP', port }));
}
