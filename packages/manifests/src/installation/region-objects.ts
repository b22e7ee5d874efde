import { allKinds, buildCrd, toYaml as schemasYaml, type Region } from '@qhc/schemas';
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
import { CA_CHECKSUM_ANNOTATION, INSTALLATION_HASH_ANNOTATION, installationHash, sha256Hex } from './hash.ts';
import { AGENT_ROLE_RULES, agentClusterRules, OPERATOR_CLUSTER_RULES, OPERATOR_ROLE_RULES, roleObjects } from './rbac.ts';

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface RegionObjectsOptions {
  /** Pull credentials for the region's container registry, when it needs them. */
  registry?: RegistryCredentials;
  /**
   * The CRDs to install: by default this package's own. The agent passes the ones the desired
   * state carries (the control plane's release), never its own, so an older agent cannot
   * downgrade the CRDs of a newer operator.
   */
  crds?: readonly KubeObject[];
}

const CA_PATH = '/etc/qhc/ca';
const SETTINGS_PATH = '/etc/qhc/settings';

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
function regionScheduling(region: Region): Record<string, unknown> {
  const nodeSelector = region.advanced.nodeSelector ?? {};
  const tolerations = region.advanced.tolerations ?? [];
  return { ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}), ...(tolerations.length > 0 ? { tolerations } : {}) };
}

interface DeploymentOptions {
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

function deployment(region: Region, options: DeploymentOptions): KubeObject {
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

/** The pull Secret: filled when the region has registry credentials, an empty `auths` otherwise. */
function registrySecret(region: Region, registry: RegistryCredentials | undefined): KubeObject {
  const host = registryPrefix(region.advanced.containerRegistryUrl).split('/')[0]!;
  const auth = registry ? Buffer.from(`${registry.username}:${registry.password}`).toString('base64') : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: REGISTRY_SECRET, namespace: region.namespace, labels: labels('qhc') },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': JSON.stringify({ auths: auth ? { [host]: { auth } } : {} }) },
  };
}

function configObjects(region: Region, registry: RegistryCredentials | undefined): KubeObject[] {
  const { namespace } = region;
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      // The inputs' fingerprint rides on the settings, not on a Deployment: a Deployment's
      // annotations move its generation, a ConfigMap's restart nothing.
      metadata: { name: OPERATOR_SETTINGS_CONFIGMAP, namespace, labels: labels(OPERATOR_NAME), annotations: { [INSTALLATION_HASH_ANNOTATION]: installationHash(region, registry) } },
      data: { [OPERATOR_SETTINGS_KEY]: schemasYaml(region.operatorSettings) },
    },
    ...(region.advanced.caCertificate
      ? [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CA_BUNDLE_CONFIGMAP, namespace, labels: labels('qhc') }, data: { 'ca.crt': region.advanced.caCertificate } }]
      : []),
    registrySecret(region, registry),
  ];
}

function operatorDeployment(region: Region, image: string): KubeObject {
  return deployment(region, {
    name: OPERATOR_NAME,
    image,
    args: ['--settings', `${SETTINGS_PATH}/${OPERATOR_SETTINGS_KEY}`],
    env: [
      { name: 'QHC_LOG_LEVEL', value: region.advanced.logLevel.operator },
      { name: 'QHC_CLUSTER_MANAGER_URL', value: `http://${CLUSTER_MANAGER_NAME}.${region.namespace}.svc:${CLUSTER_MANAGER_PORT}` },
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
    scheduling: regionScheduling(region),
  });
}

function agentDeployment(region: Region, image: string): KubeObject {
  return deployment(region, {
    name: AGENT_NAME,
    image,
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
    scheduling: regionScheduling(region),
  });
}

function agentNetworkPolicy(region: Region): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: AGENT_NAME, namespace: region.namespace, labels: labels(AGENT_NAME) },
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
  };
}

/**
 * Every object of a region's installation that may change after day 1, in a safe apply order:
 * the CRDs; identities and RBAC; settings, CA bundle and pull Secret; the cluster manager's
 * Service and both network policies; the operator's and the cluster manager's Deployments;
 * the agent's own Deployment last (applying it may restart the agent). Not the Namespace and
 * not the agent's credentials Secret (the installation command's alone). What the installation
 * command, the chart and the agent all apply, so they cannot disagree.
 */
export function buildRegionObjects(region: Region, options: RegionObjectsOptions = {}): KubeObject[] {
  const { namespace } = region;
  const images = componentImages(region);
  const crds = options.crds ?? allKinds.map((kind) => buildCrd(kind) as unknown as KubeObject);
  const manager = clusterManagerObjects(region, images[CLUSTER_MANAGER_NAME]);
  const managerDeployment = manager.find((o) => o.kind === 'Deployment')!;
  const objects: KubeObject[] = [
    ...crds,
    ...roleObjects({ name: OPERATOR_NAME, namespace, labels: labels(OPERATOR_NAME), rules: OPERATOR_ROLE_RULES, clusterRules: OPERATOR_CLUSTER_RULES }),
    ...roleObjects({ name: AGENT_NAME, namespace, labels: labels(AGENT_NAME), rules: AGENT_ROLE_RULES, clusterRules: agentClusterRules(namespace) }),
    ...configObjects(region, options.registry),
    ...manager.filter((o) => o !== managerDeployment),
    agentNetworkPolicy(region),
    operatorDeployment(region, images[OPERATOR_NAME]),
    managerDeployment,
    agentDeployment(region, images[AGENT_NAME]),
  ];
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
