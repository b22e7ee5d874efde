import { allKinds, buildCrd, toYaml as schemasYaml, type Region } from '@qhc/schemas';
import { ManifestError } from '../errors.ts';
import { normalize, type KubeObject } from '../object.ts';
import {
  AGENT_CREDENTIALS_SECRET,
  AGENT_NAME,
  CA_BUNDLE_CONFIGMAP,
  CLUSTER_MANAGER_NAME,
  CLUSTER_MANAGER_PORT,
  OPERATOR_HEALTH_PORT,
  OPERATOR_METRICS_PORT,
  OPERATOR_NAME,
  OPERATOR_SETTINGS_CONFIGMAP,
  OPERATOR_SETTINGS_KEY,
  REGISTRY_SECRET,
} from './names.ts';
import { componentImages, registryPrefix } from './images.ts';
import { AGENT_CLUSTER_RULES, AGENT_ROLE_RULES, OPERATOR_CLUSTER_RULES, OPERATOR_ROLE_RULES, roleObjects } from './rbac.ts';

export interface InstallationCredentials {
  /** Where the agent reaches the control plane (https). */
  controlPlaneUrl: string;
  /** The one-time bootstrap token the agent exchanges for its long-lived credential. */
  bootstrapToken: string;
  /** Pull credentials for the region's container registry, when it needs them. */
  registry?: { username: string; password: string };
}

const CA_PATH = '/etc/qhc/ca';
const SETTINGS_PATH = '/etc/qhc/settings';

function labels(component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': component, 'app.kubernetes.io/part-of': 'qhc', 'app.kubernetes.io/managed-by': 'qhc-installer' };
}


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

function deployment(
  region: Region,
  options: { name: string; image: string; args: string[]; env: Array<Record<string, unknown>>; ports: Array<Record<string, unknown>>; mounts: Array<Record<string, unknown>>; volumes: Array<Record<string, unknown>>; probes?: Record<string, unknown>; scheduling?: Record<string, unknown> },
): KubeObject {
  const { namespace } = region;
  const hasCa = region.advanced.caCertificate !== undefined;
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
        metadata: { labels: labels(options.name) },
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

/**
 * Everything a region's first installation needs, helm-free, in apply order: namespace,
 * CRDs, identities and least-privilege RBAC, settings, secrets, the operator and the agent,
 * and the agent's network policy (outbound only). What the console's installation command
 * applies; later changes arrive through the agent.
 */
export function buildInstallation(region: Region, credentials: InstallationCredentials): KubeObject[] {
  let controlPlane: URL;
  try {
    controlPlane = new URL(credentials.controlPlaneUrl);
  } catch {
    throw new ManifestError('controlPlaneUrl', `is not a URL: ${JSON.stringify(credentials.controlPlaneUrl)}`);
  }
  if (controlPlane.protocol !== 'https:') throw new ManifestError('controlPlaneUrl', 'must be https: the agent only makes TLS connections');
  if (!credentials.bootstrapToken) throw new ManifestError('bootstrapToken', 'is required');

  const { namespace } = region;
  const registry = registryPrefix(region.advanced.containerRegistryUrl);
  const images = componentImages(region);
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { ...labels('qhc'), 'pod-security.kubernetes.io/enforce': 'baseline' } } },
    ...allKinds.map((kind) => buildCrd(kind) as unknown as KubeObject),
    ...roleObjects({ name: OPERATOR_NAME, namespace, labels: labels(OPERATOR_NAME), rules: OPERATOR_ROLE_RULES, clusterRules: OPERATOR_CLUSTER_RULES }),
    ...roleObjects({ name: AGENT_NAME, namespace, labels: labels(AGENT_NAME), rules: AGENT_ROLE_RULES, clusterRules: AGENT_CLUSTER_RULES }),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: OPERATOR_SETTINGS_CONFIGMAP, namespace, labels: labels(OPERATOR_NAME) },
      data: { [OPERATOR_SETTINGS_KEY]: schemasYaml(region.operatorSettings) },
    },
  ];
  if (region.advanced.caCertificate) {
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CA_BUNDLE_CONFIGMAP, namespace, labels: labels('qhc') }, data: { 'ca.crt': region.advanced.caCertificate } });
  }
  const auth = credentials.registry ? Buffer.from(`${credentials.registry.username}:${credentials.registry.password}`).toString('base64') : undefined;
  objects.push(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: REGISTRY_SECRET, namespace, labels: labels('qhc') },
      type: 'kubernetes.io/dockerconfigjson',
      stringData: { '.dockerconfigjson': JSON.stringify({ auths: auth ? { [registry.split('/')[0]!]: { auth } } : {} }) },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: AGENT_CREDENTIALS_SECRET, namespace, labels: labels(AGENT_NAME) },
      type: 'Opaque',
      stringData: { 'control-plane-url': controlPlane.toString(), 'bootstrap-token': credentials.bootstrapToken },
    },
    deployment(region, {
      name: OPERATOR_NAME,
      image: images[OPERATOR_NAME],
      args: ['--settings', `${SETTINGS_PATH}/${OPERATOR_SETTINGS_KEY}`],
      env: [
        { name: 'QHC_LOG_LEVEL', value: region.advanced.logLevel.operator },
        { name: 'QHC_CLUSTER_MANAGER_URL', value: `http://${CLUSTER_MANAGER_NAME}.${namespace}.svc:${CLUSTER_MANAGER_PORT}` },
      ],
      ports: [
        { name: 'metrics', containerPort: OPERATOR_METRICS_PORT, protocol: 'TCP' },
        { name: 'health', containerPort: OPERATOR_HEALTH_PORT, protocol: 'TCP' },
      ],
      mounts: [{ name: 'settings', mountPath: SETTINGS_PATH, readOnly: true }],
      volumes: [{ name: 'settings', configMap: { name: OPERATOR_SETTINGS_CONFIGMAP } }],
      probes: {
        readinessProbe: { httpGet: { path: '/readyz', port: 'health' }, periodSeconds: 10 },
        livenessProbe: { httpGet: { path: '/healthz', port: 'health' }, periodSeconds: 20, failureThreshold: 3 },
      },
    }),
    deployment(region, {
      name: AGENT_NAME,
      image: images[AGENT_NAME],
      args: [],
      env: [
        { name: 'QHC_LOG_LEVEL', value: region.advanced.logLevel.agent },
        { name: 'QHC_CONTROL_PLANE_URL', valueFrom: { secretKeyRef: { name: AGENT_CREDENTIALS_SECRET, key: 'control-plane-url' } } },
        { name: 'QHC_BOOTSTRAP_TOKEN', valueFrom: { secretKeyRef: { name: AGENT_CREDENTIALS_SECRET, key: 'bootstrap-token' } } },
        { name: 'QHC_REGION', value: region.name },
      ],
      ports: [],
      mounts: [{ name: 'tmp', mountPath: '/tmp' }],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    }),
    ...clusterManagerObjects(region, images[CLUSTER_MANAGER_NAME]),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: AGENT_NAME, namespace, labels: labels(AGENT_NAME) },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': AGENT_NAME } },
        // The agent accepts no connections: everything it does starts with an outgoing request.
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [
          { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
          // The control plane (or the proxy) and the Kubernetes API, both over TLS.
          { ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }, ...proxyPorts(region)] },
        ],
      },
    },
  );
  return objects.map((o) => normalize(o));
}

/**
 * The region's one cluster manager, from the settings' clusterManager block: its image, node
 * selector and tolerations. It needs no Kubernetes API access (its token is not mounted);
 * only the operator may call it, and it may only reach DNS and Qdrant's REST port.
 */
function clusterManagerObjects(region: Region, image: string): KubeObject[] {
  const { namespace } = region;
  const settings = region.operatorSettings.settings.clusterManager;
  const name = CLUSTER_MANAGER_NAME;
  const selector = { 'app.kubernetes.io/name': name };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels: labels(name) }, automountServiceAccountToken: false },
    deployment(region, {
      name,
      // From the region's registry, like every image of the installation: the repository's name, the settings' tag.
      image,
      args: ['--settings', `${SETTINGS_PATH}/${OPERATOR_SETTINGS_KEY}`, '--port', String(CLUSTER_MANAGER_PORT)],
      env: [],
      ports: [{ name: 'http', containerPort: CLUSTER_MANAGER_PORT, protocol: 'TCP' }],
      mounts: [{ name: 'settings', mountPath: SETTINGS_PATH, readOnly: true }],
      volumes: [{ name: 'settings', configMap: { name: OPERATOR_SETTINGS_CONFIGMAP } }],
      probes: {
        readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 10 },
        livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 20, failureThreshold: 3 },
      },
      scheduling: {
        automountServiceAccountToken: false,
        ...(Object.keys(settings.node_selector).length > 0 ? { nodeSelector: settings.node_selector } : {}),
        ...(settings.tolerations.length > 0 ? { tolerations: settings.tolerations } : {}),
      },
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels: labels(name) },
      spec: { selector, ports: [{ name: 'http', port: CLUSTER_MANAGER_PORT, targetPort: 'http', protocol: 'TCP' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace, labels: labels(name) },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': OPERATOR_NAME } } }], ports: [{ protocol: 'TCP', port: CLUSTER_MANAGER_PORT }] }],
        egress: [
          { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
          { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'qdrant' } } }], ports: [{ protocol: 'TCP', port: 6333 }] },
        ],
      },
    },
  ];
}

function proxyPorts(region: Region): Array<{ protocol: 'TCP'; port: number }> {
  const ports = new Set<number>();
  for (const url of [region.advanced.proxy?.httpProxy, region.advanced.proxy?.httpsProxy]) {
    if (!url) continue;
    const parsed = new URL(url);
    ports.add(Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)));
  }
  ports.delete(443);
  return [...ports].toSorted((a, b) => a - b).map((port) => ({ protocol: 'TCP', port }));
}
