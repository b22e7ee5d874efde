import type { OperatorSettings, QdrantCluster } from '@qhc/schemas';
import { SEED_NETWORK_POLICY_SETTINGS, cluster, settings } from './fixtures.ts';

/** The seed's settings example, served by NginxIngress. */
const SEED_INGRESS_RULES = SEED_NETWORK_POLICY_SETTINGS.replace('settings:\n', 'settings:\n  ingress:\n    enabled: false\n    provider: NginxIngress\n');

const SCHEDULING = `settings:
  scheduling:
    default_topology_spread_constraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: ScheduleAnyway
    default_pod_disruption_budget:
      minAvailable: 2
  qdrant:
    securityContext:
      enabled: true
      user: "1000"
      group: "2000"
      fsGroup: "3000"
    image:
      repository: registry.example.com/qdrant/qdrant
      pull_policy: Always
      pull_secret: registry-creds
`;

type Case = { name: string; cluster: QdrantCluster; settings: OperatorSettings };
type MakeCluster = (id: string, spec?: Record<string, unknown>) => QdrantCluster;

/** Every service type and both ingress providers. */
function serviceCases(c: MakeCluster): Case[] {
  return [
    { name: 'defaults', cluster: c('m-default'), settings: settings() },
    { name: 'single node, no per-node services', cluster: c('m-single', { size: 1, servicePerNode: false }), settings: settings() },
    {
      name: 'NodePort with annotations',
      cluster: c('m-nodeport', { service: { type: 'NodePort', annotations: { 'example.com/a': 'b' } } }),
      settings: settings(),
    },
    {
      name: 'LoadBalancer with source ranges',
      cluster: c('m-lb', { service: { type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8'] } }),
      settings: settings(),
    },
    {
      name: 'KubernetesIngress with TLS',
      cluster: c('m-king', { ingress: { enabled: true, host: 'q.example.com', tls: true, tlsSecretName: 'q-tls', ingressClassName: 'traefik' } }),
      settings: settings('settings:\n  ingress:\n    enabled: true\n    provider: KubernetesIngress\n'),
    },
    {
      name: 'NginxIngress with gRPC host and source ranges',
      cluster: c('m-nginx', { ingress: { enabled: true, host: 'q.example.com', nginx: { allowedSourceRanges: ['10.0.0.0/8'], grpcHost: 'g.example.com' } } }),
      settings: settings(SEED_INGRESS_RULES),
    },
  ];
}

/** API keys, TLS, GPU, extra env, scheduling and the settings' security context. */
function podCases(c: MakeCluster): Case[] {
  return [
    {
      name: 'API keys, TLS, GPU and extra env',
      cluster: c('m-secure', {
        config: {
          service: {
            api_key: { secretKeyRef: { name: 'k', key: 'api-key' } },
            read_only_api_key: { secretKeyRef: { name: 'k', key: 'ro' } },
            enable_tls: true,
          },
          tls: {
            cert: { secretKeyRef: { name: 't', key: 'tls.crt' } },
            key: { secretKeyRef: { name: 't', key: 'tls.key' } },
            caCert: { secretKeyRef: { name: 't', key: 'ca.crt' } },
          },
          log_level: 'DEBUG',
        },
        gpu: { gpuType: 'nvidia', devices: ['0'] },
        statefulSet: {
          annotations: { 'example.com/sts': 'x' },
          pods: { labels: { team: 'search' }, annotations: { 'example.com/pod': 'y' }, extraEnv: [{ name: 'EXTRA', value: '1' }] },
        },
      }),
      settings: settings(),
    },
    {
      name: 'scheduling and security context from settings',
      cluster: c('m-sched', {
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'qdrant', effect: 'NoSchedule' }],
        nodeSelector: { 'node-role.kubernetes.io/qdrant': 'true' },
      }),
      settings: settings(SCHEDULING),
    },
  ];
}

/** The cluster's own security, PDB, storage extras, write cluster, zones and bootstrap node. */
function extraCases(c: MakeCluster, namespace: string): Case[] {
  return [
    {
      name: 'cluster security, PDB, storage extras, write cluster',
      cluster: c('m-extra', {
        security: { user: 1000, group: 1000, fsGroup: 1000 },
        podDisruptionBudget: { maxUnavailable: '34%' },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }],
        storageClassNames: { db: 'qhc-expandable', snapshots: 'qhc-fixed' },
        storage: {
          additionalVolumes: [{ name: 'scratch', emptyDir: {} }],
          additionalVolumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
          additionalVolumeClaimTemplates: [
            { metadata: { name: 'extra' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
          ],
        },
        writeCluster: { id: 'm-default' },
        startupDelaySeconds: 30,
      }),
      settings: settings(),
    },
    {
      name: 'multiAZ, bootstrap node 1, LoadBalancer',
      cluster: cluster(
        'm-zones',
        { multiAZ: true, service: { type: 'LoadBalancer' } },
        { namespace, annotations: { 'operator.qdrant.com/bootstrap-node': '1' } },
      ),
      settings: settings(),
    },
  ];
}

/** Cluster × settings combinations covering every service type, both ingress providers, custom
 *  network policies, scheduling, security context on/off and API keys on/off. */
export function matrix(namespace: string): Case[] {
  const c = (id: string, spec: Record<string, unknown> = {}) => cluster(id, spec, { namespace });
  return [...serviceCases(c), ...podCases(c), ...extraCases(c, namespace)];
}
