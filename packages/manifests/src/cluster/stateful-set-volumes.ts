import { configMapName, type QdrantCluster } from '@qhc/schemas';
import { CONFIG_KEY, INIT_PATH, INIT_SCRIPT_KEY, SNAPSHOTS_PATH, STORAGE_PATH, TLS_PATH } from './config-map.ts';
import { clusterLabels } from './labels.ts';
import type { ResolvedCluster } from './resolve.ts';

export const STORAGE_VOLUME = 'qdrant-storage';
export const SNAPSHOTS_VOLUME = 'qdrant-snapshots';

type Entry = Record<string, unknown>;
type Tls = NonNullable<NonNullable<QdrantCluster['spec']['config']>['tls']>;

const TLS_FILES = { cert: 'cert.pem', key: 'key.pem', caCert: 'ca.pem' } as const;

/** The TLS Secrets' keys projected into one read-only volume, under the names the config uses. */
function tlsVolume(tls: Tls): Entry {
  const sources = (['cert', 'key', 'caCert'] as const)
    .filter((k) => tls[k])
    .map((k) => {
      const ref = tls[k]!.secretKeyRef;
      return { secret: { name: ref.name, optional: ref.optional, items: [{ key: ref.key, path: TLS_FILES[k] }] } };
    });
  return { name: 'qdrant-tls', projected: { sources, defaultMode: 0o400 } };
}

/** The pod's volumes and the Qdrant container's mounts of them, the user's additional ones last. */
export function podVolumes(cluster: QdrantCluster, resolved: ResolvedCluster): { volumes: Entry[]; mounts: Entry[] } {
  const { spec } = cluster;
  const tls = spec.config?.tls;
  const volumes: Entry[] = [
    { name: 'qdrant-config', configMap: { name: configMapName(resolved.id), defaultMode: 0o755 } },
    { name: 'qdrant-init', emptyDir: {} },
    // A read-only root filesystem still needs somewhere for temporary files.
    { name: 'tmp', emptyDir: {} },
  ];
  const mounts: Entry[] = [
    { name: STORAGE_VOLUME, mountPath: STORAGE_PATH },
    { name: SNAPSHOTS_VOLUME, mountPath: SNAPSHOTS_PATH },
    { name: 'qdrant-config', mountPath: `/qdrant/config/${CONFIG_KEY}`, subPath: CONFIG_KEY },
    { name: 'qdrant-config', mountPath: `/qdrant/config/${INIT_SCRIPT_KEY}`, subPath: INIT_SCRIPT_KEY },
    { name: 'qdrant-init', mountPath: INIT_PATH },
    { name: 'tmp', mountPath: '/tmp' },
  ];
  if (tls && (tls.cert || tls.key || tls.caCert)) {
    volumes.push(tlsVolume(tls));
    mounts.push({ name: 'qdrant-tls', mountPath: TLS_PATH, readOnly: true });
  }
  for (const volume of spec.storage?.additionalVolumes ?? []) volumes.push({ ...volume });
  for (const mount of spec.storage?.additionalVolumeMounts ?? []) mounts.push({ ...mount });
  return { volumes, mounts };
}

/** The database and snapshots claims of every pod, then the user's additional ones. */
export function volumeClaimTemplates(cluster: QdrantCluster, resolved: ResolvedCluster): Entry[] {
  const { spec } = cluster;
  const claim = (name: string, storageClassName: string | undefined, component: string) => ({
    metadata: { name, labels: clusterLabels(cluster, component) },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName,
      volumeAttributesClassName: spec.storage?.volumeAttributesClassName,
      resources: { requests: { storage: resolved.storageSize } },
    },
  });
  return [
    claim(STORAGE_VOLUME, resolved.dbStorageClass, 'database'),
    claim(SNAPSHOTS_VOLUME, resolved.snapshotStorageClass, 'snapshots'),
    ...(spec.storage?.additionalVolumeClaimTemplates ?? []).map((t) => ({ metadata: { ...t.metadata }, spec: { ...t.spec } })),
  ];
}
