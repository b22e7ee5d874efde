import { allKinds } from '@qhc/schemas';
import type { KubeObject } from '../object.ts';
import { AGENT_NAME as AGENT, OPERATOR_NAME as OPERATOR } from './names.ts';

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };

const ALL = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const READ = ['get', 'list', 'watch'];
const qdrantResources = allKinds.filter((k) => k.scope === 'Namespaced').flatMap((k) => [k.plural, `${k.plural}/status`]);
const qdrantCrdNames = allKinds.map((k) => `${k.plural}.${k.group}`);

/** The operator, in its own namespace: what reconciling clusters and backups touches, nothing more. */
export const OPERATOR_ROLE_RULES: Rule[] = [
  { apiGroups: ['qdrant.io'], resources: [...qdrantResources, 'qdrantclusters/scale'], verbs: ALL },
  { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ALL },
  // ConfigMaps: each cluster's config, and qhc-operator-settings-status (whether the mounted
  // settings file was accepted; the agent reports it). Events on the settings ConfigMap: below.
  { apiGroups: [''], resources: ['services', 'configmaps'], verbs: ALL },
  // Pods: read for status, delete for restarts and node recreation.
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'delete', 'patch'] },
  // Claims: expansion (patch) and removal of a recreated node's volume.
  { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'] },
  // API keys: read to call Qdrant's REST API with the cluster's own key.
  { apiGroups: [''], resources: ['secrets'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingresses'], verbs: ALL },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ALL },
  // The QdrantCloudTraefik ingress provider's routes (granted even where Traefik is absent: RBAC may name any group).
  { apiGroups: ['traefik.io'], resources: ['ingressroutes', 'middlewares'], verbs: ALL },
  { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ALL },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['events'], verbs: READ },
];

/** Cluster-wide reads the operator cannot do without: each is a cluster-scoped kind. */
export const OPERATOR_CLUSTER_RULES: Rule[] = [
  // StorageClasses are cluster-scoped: whether a class allows expansion decides how storage grows.
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses', 'volumeattributesclasses'], verbs: READ },
  // VolumeSnapshotClasses are cluster-scoped: backups check the class exists; contents show readiness.
  { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotclasses', 'volumesnapshotcontents'], verbs: READ },
  // Nodes are cluster-scoped: a node's zone goes into each Qdrant node's status.
  { apiGroups: [''], resources: ['nodes'], verbs: READ },
];

/** The agent, in its namespace: applies the desired state the control plane sends. */
export const AGENT_ROLE_RULES: Rule[] = [
  { apiGroups: ['qdrant.io'], resources: qdrantResources, verbs: ALL },
  // Operator settings and the CA bundle; operator and agent upgrades.
  { apiGroups: [''], resources: ['configmaps'], verbs: ALL },
  // Its own credential (exchanged from the bootstrap token, rotated) and clusters' API keys.
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ALL },
  // Status and telemetry it reports upstream.
  { apiGroups: [''], resources: ['pods', 'persistentvolumeclaims', 'services', 'events'], verbs: READ },
  { apiGroups: ['apps'], resources: ['statefulsets'], verbs: READ },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
  // The installation's own objects, which the agent keeps as the region says (server-side apply).
  { apiGroups: [''], resources: ['serviceaccounts', 'services'], verbs: ['get', 'create', 'patch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['get', 'create', 'patch'] },
  // Its own and the operator's Role: escalate/bind, by name only, since those Roles grant what the agent itself lacks.
  {
    apiGroups: ['rbac.authorization.k8s.io'],
    resources: ['roles', 'rolebindings'],
    verbs: ['get', 'patch', 'escalate', 'bind'],
    resourceNames: [OPERATOR, AGENT],
  },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['create'] },
];

/** Cluster-wide rules of the agent in a namespace, each about a cluster-scoped kind. */
export const agentClusterRules = (namespace: string): Rule[] => [
  ...AGENT_CLUSTER_RULES,
  // The installation's ClusterRoles of this namespace, by name, read only: escalate/bind/patch on
  // them would let the agent grant itself cluster-admin. Re-running the installation updates them.
  {
    apiGroups: ['rbac.authorization.k8s.io'],
    resources: ['clusterroles', 'clusterrolebindings'],
    verbs: ['get'],
    resourceNames: [`${OPERATOR}-${namespace}`, `${AGENT}-${namespace}`],
  },
];

/** Cluster-wide rules of the agent, each about a cluster-scoped kind. */
export const AGENT_CLUSTER_RULES: Rule[] = [
  // The region's inventory (QdrantCloudRegion status): node count, zones, capacity.
  { apiGroups: [''], resources: ['nodes'], verbs: READ },
  // Capabilities the console shows: volume expansion, snapshots, attribute classes.
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses', 'volumeattributesclasses'], verbs: READ },
  { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotclasses'], verbs: READ },
  // QdrantCloudRegion is cluster-scoped by Qdrant's API.
  { apiGroups: ['qdrant.io'], resources: ['qdrantcloudregions', 'qdrantcloudregions/status'], verbs: ALL },
  // CRD upgrades ship with operator upgrades; only qhc's own CRDs, by name.
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'update', 'patch'], resourceNames: qdrantCrdNames },
  // A kind new in a release is created (create cannot be limited by name).
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['list', 'watch', 'create'] },
];

export function roleObjects(options: { name: string; namespace: string; labels: Record<string, string>; rules: Rule[]; clusterRules: Rule[] }): KubeObject[] {
  const { name, namespace, labels, rules, clusterRules } = options;
  // Cluster-scoped names carry the namespace: two regions' installations may share a cluster.
  const clusterName = `${name}-${namespace}`;
  const subject = [{ kind: 'ServiceAccount', name, namespace }];
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels }, automountServiceAccountToken: true },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace, labels }, rules },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: subject,
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: clusterName, labels }, rules: clusterRules },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: clusterName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
      subjects: subject,
    },
  ];
}
