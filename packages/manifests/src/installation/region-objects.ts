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
  OPERATOR_NODE_OPTIONS,
  OPERATOR_SETTINGS_CONFIGMAP,
  OPERATOR_SETTINGS_KEY,
  REGISTRY_SECRET,
} from './names.ts';
import { componentImages, registryPrefix } from './images.ts';
import { INSTALLATION_HASH_ANNOTATION, installationHash } from './hash.ts';
import { clusterManagerObjects } from './cluster-manager.ts';
import { deployment, healthProbes, installerLabels, proxyPorts, regionScheduling, SETTINGS_PATH } from './deployment.ts';
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

export { installerLabels };
const labels = installerLabels;

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
      metadata: {
        name: OPERATOR_SETTINGS_CONFIGMAP,
        namespace,
        labels: labels(OPERATOR_NAME),
        annotations: { [INSTALLATION_HASH_ANNOTATION]: installationHash(region, registry) },
      },
      data: { [OPERATOR_SETTINGS_KEY]: schemasYaml(region.operatorSettings) },
    },
    ...(region.advanced.caCertificate
      ? [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: CA_BUNDLE_CONFIGMAP, namespace, labels: labels('qhc') },
            data: { 'ca.crt': region.advanced.caCertificate },
          },
        ]
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
      { name: 'NODE_OPTIONS', value: OPERATOR_NODE_OPTIONS },
      { name: 'QHC_CLUSTER_MANAGER_URL', value: `http://${CLUSTER_MANAGER_NAME}.${region.namespace}.svc:${CLUSTER_MANAGER_PORT}` },
    ],
    ports: [
      { name: 'metrics', containerPort: OPERATOR_METRICS_PORT, protocol: 'TCP' },
      { name: 'health', containerPort: OPERATOR_HEALTH_PORT, protocol: 'TCP' },
    ],
    mounts: [{ name: 'settings', mountPath: SETTINGS_PATH, readOnly: true }],
    volumes: [{ name: 'settings', configMap: { name: OPERATOR_SETTINGS_CONFIGMAP } }],
    probes: healthProbes('health'),
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
        {
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
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
