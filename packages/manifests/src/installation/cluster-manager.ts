import type { Region } from '@qhc/schemas';
import type { KubeObject } from '../object.ts';
import { CLUSTER_MANAGER_NAME, CLUSTER_MANAGER_PORT, OPERATOR_NAME, OPERATOR_SETTINGS_CONFIGMAP, OPERATOR_SETTINGS_KEY } from './names.ts';
import { deployment, healthProbes, installerLabels as labels, SETTINGS_PATH } from './deployment.ts';

/**
 * The region's one cluster manager, from the settings' clusterManager block: its image, node
 * selector and tolerations. It needs no Kubernetes API access (its token is not mounted);
 * only the operator may call it, and it may only reach DNS and Qdrant's REST port.
 */
export function clusterManagerObjects(region: Region, image: string): KubeObject[] {
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
      probes: healthProbes('http'),
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
        ingress: [
          { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': OPERATOR_NAME } } }], ports: [{ protocol: 'TCP', port: CLUSTER_MANAGER_PORT }] },
        ],
        egress: [
          {
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
          { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'qdrant' } } }], ports: [{ protocol: 'TCP', port: 6333 }] },
        ],
      },
    },
  ];
}
