import {
  AGENT_NAME,
  CLUSTER_MANAGER_NAME,
  OPERATOR_NAME,
  OPERATOR_SETTINGS_CONFIGMAP,
  OPERATOR_SETTINGS_KEY,
  SNAPSHOT_API_GROUP,
  isDefaultSnapshotClass,
  isDefaultStorageClass,
  preflightResult,
} from '@qhc/manifests';
import { KubeApiError, type KubeClient, type KubeObject } from '@qhc/kube';
import { safeParseOperatorSettings, type ComponentHealth, type RegionHealth, type StorageClassInfo, type VolumeSnapshotClassInfo } from '@qhc/schemas';

// The region's health as the agent sees it from inside the cluster: the same facts the
// installation's preflight checked (preflight.ts in @qhc/manifests), kept up to date.

const MAX_CLASSES = 100;
type Annotated = KubeObject & { metadata: { annotations?: Record<string, string> } };
type StorageClass = Annotated & { provisioner?: string; allowVolumeExpansion?: boolean; reclaimPolicy?: string };
type SnapshotClass = Annotated & { driver?: string; deletionPolicy?: string };
type Deployment = KubeObject & {
  spec?: { replicas?: number; template?: { spec?: { containers?: Array<{ image?: string }> } } };
  status?: { readyReplicas?: number };
};
type Node = KubeObject & { spec?: { providerID?: string } };

const clip = (text: string | undefined, max: number) => (text ?? '').slice(0, max);

/** The tag of an image reference (registry:5000/qhc/qhc-operator:0.1.0 -> 0.1.0), without a digest. */
function tagOf(image: string): string | undefined {
  const name = image.split('@')[0]!;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
}

/** The distribution, from the version string's vendor suffix, else the nodes' provider IDs. */
export function distributionOf(gitVersion: string, providerIds: readonly string[]): string {
  const fromVersion: Array<[RegExp, string]> = [
    [/-eks-/, 'eks'],
    [/-gke\./, 'gke'],
    [/\+k3s/, 'k3s'],
    [/\+rke2/, 'rke2'],
    [/\+vmware/, 'tkg'],
  ];
  for (const [pattern, name] of fromVersion) if (pattern.test(gitVersion)) return name;
  const providers: Record<string, string> = {
    aws: 'eks',
    gce: 'gke',
    azure: 'aks',
    kind: 'kind',
    kwok: 'kwok',
    openstack: 'openstack',
    digitalocean: 'doks',
    linode: 'lke',
    hcloud: 'hetzner',
  };
  const scheme = providerIds.map((id) => id.split('://')[0]!).find((s) => s in providers);
  return scheme ? providers[scheme]! : 'kubernetes';
}

async function storageTargets(client: KubeClient, namespace: string): Promise<{ storageClass: string; snapshotClass: string }> {
  const cm = await client.get<KubeObject & { data?: Record<string, string> }>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace,
    name: OPERATOR_SETTINGS_CONFIGMAP,
  });
  const parsed = safeParseOperatorSettings(cm?.data?.[OPERATOR_SETTINGS_KEY] ?? '{}');
  // Unreadable settings: the documented defaults, as the operator itself falls back to.
  const storage = parsed.success ? parsed.data.settings.storage : { default_storage_class_names: { db: '' }, snapshot_class: 'csi-snapclass' };
  return { storageClass: storage.default_storage_class_names.db, snapshotClass: storage.snapshot_class };
}

async function storageClasses(client: KubeClient): Promise<StorageClassInfo[]> {
  const items = (await client.list<StorageClass>({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' })).items;
  return items
    .slice(0, MAX_CLASSES)
    .map((c) => ({
      name: c.metadata.name!,
      provisioner: clip(c.provisioner, 253),
      default: isDefaultStorageClass(c.metadata.annotations),
      allowVolumeExpansion: c.allowVolumeExpansion === true,
      reclaimPolicy: clip(c.reclaimPolicy ?? 'Delete', 32),
    }));
}

/** undefined: the VolumeSnapshot API is not served (its CRDs are not installed). */
async function snapshotClasses(client: KubeClient): Promise<VolumeSnapshotClassInfo[] | undefined> {
  let items: SnapshotClass[];
  try {
    items = (await client.transport.request<{ items: SnapshotClass[] }>('GET', `/apis/${SNAPSHOT_API_GROUP}/v1/volumesnapshotclasses`)).body.items;
  } catch (error) {
    if (error instanceof KubeApiError && error.isNotFound) return undefined;
    throw error;
  }
  return items
    .slice(0, MAX_CLASSES)
    .map((c) => ({
      name: c.metadata.name!,
      driver: clip(c.driver, 253),
      default: isDefaultSnapshotClass(c.metadata.annotations),
      deletionPolicy: clip(c.deletionPolicy, 32),
    }));
}

async function components(client: KubeClient, namespace: string): Promise<ComponentHealth[]> {
  const result: ComponentHealth[] = [];
  for (const name of [OPERATOR_NAME, AGENT_NAME, CLUSTER_MANAGER_NAME]) {
    const d = await client.get<Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });
    if (!d) {
      result.push({ name, ready: false, message: 'not installed' });
      continue;
    }
    const image = d.spec?.template?.spec?.containers?.[0]?.image;
    const ready = d.status?.readyReplicas ?? 0;
    const wanted = d.spec?.replicas ?? 1;
    const version = image ? tagOf(image) : undefined;
    result.push({
      name,
      ...(version ? { version: clip(version, 128) } : {}),
      ready: ready >= Math.max(1, wanted),
      ...(ready >= Math.max(1, wanted) ? {} : { message: `${ready} of ${wanted} replica(s) ready` }),
    });
  }
  return result;
}

/** Why clusters cannot be created, in the preflight's words; undefined when they can. */
function blocker(storage: StorageClassInfo | undefined, wanted: string, parts: ComponentHealth[]): string | undefined {
  if (!storage) return (wanted ? preflightResult('storage-class', 'missing', { storageClass: wanted }) : preflightResult('storage-class', 'noDefault')).finding;
  const operator = parts.find((c) => c.name === OPERATOR_NAME);
  if (!operator?.ready) return `the operator is not ready (${operator?.message ?? 'unknown'})`;
  return undefined;
}

export async function collectHealth(client: KubeClient, namespace: string, now = () => new Date()): Promise<RegionHealth> {
  const version = (await client.transport.request<{ gitVersion?: string }>('GET', '/version')).body.gitVersion ?? 'unknown';
  const nodes = (await client.list<Node>({ apiVersion: 'v1', kind: 'Node' })).items;
  const targets = await storageTargets(client, namespace);
  const classes = await storageClasses(client);
  const snapshots = await snapshotClasses(client);
  const parts = await components(client, namespace);
  const storage = targets.storageClass ? classes.find((c) => c.name === targets.storageClass) : classes.find((c) => c.default);
  const snapshotClass = snapshots && (targets.snapshotClass ? snapshots.find((c) => c.name === targets.snapshotClass) : snapshots.find((c) => c.default));
  const reason = blocker(storage, targets.storageClass, parts);
  return {
    kubernetes: {
      version: clip(version, 64),
      distribution: distributionOf(
        version,
        nodes.map((n) => n.spec?.providerID ?? ''),
      ),
    },
    nodes: { count: nodes.length },
    storageClasses: classes,
    volumeSnapshotClasses: snapshots ?? [],
    capabilities: { volumeSnapshot: snapshotClass !== undefined, volumeExpansion: storage?.allowVolumeExpansion === true },
    components: parts,
    canCreateClusters: reason === undefined,
    ...(reason ? { reason: clip(reason, 500) } : {}),
    collectedAt: now().toISOString(),
  };
}
