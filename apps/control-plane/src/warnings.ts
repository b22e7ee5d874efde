import { RegionHealth, type ClusterRecord, type RegionRecord } from '@qhc/schemas';

// Warnings before harm: a request that will work today but hurt later (storage that cannot
// grow, backups that cannot be taken) is still done, and its answer says so, the way the
// kube-apiserver does: an HTTP `Warning: 299 - "<text>"` header per warning (RFC 9111 §5.5),
// which the CLI prints and the console shows.

/** The region's health as its agent last reported it, if it did and the report is whole. */
function healthOf(region: RegionRecord): RegionHealth | undefined {
  const parsed = RegionHealth.safeParse((region.status as { health?: unknown } | undefined)?.health);
  return parsed.success ? parsed.data : undefined;
}

/** A cluster whose StorageClass (its spec's, else the region's, else the default) cannot expand. */
export function clusterWarnings(region: RegionRecord, spec: ClusterRecord['spec']): string[] {
  const health = healthOf(region);
  if (!health) return [];
  const named = spec.storageClassNames?.db || region.spec.operatorSettings.settings.storage.default_storage_class_names.db;
  const storage = named ? health.storageClasses.find((c) => c.name === named) : health.storageClasses.find((c) => c.default);
  if (!storage) {
    return [
      named
        ? `StorageClass "${named}" does not exist in region ${region.name}: the cluster's volumes cannot be provisioned until it does`
        : `region ${region.name} has no default StorageClass: the cluster's volumes cannot be provisioned until one is named or marked as the default`,
    ];
  }
  if (storage.allowVolumeExpansion) return [];
  return [
    `StorageClass "${storage.name}" does not allow volume expansion: this cluster's storage cannot grow later (set allowVolumeExpansion: true on the class, or use another one)`,
  ];
}

/** A backup or backup schedule in a region that cannot take volume snapshots. */
export function backupWarnings(region: RegionRecord): string[] {
  const health = healthOf(region);
  if (!health || health.capabilities.volumeSnapshot) return [];
  const snapshotClass = region.spec.operatorSettings.settings.storage.snapshot_class;
  const why =
    health.volumeSnapshotClasses.length === 0 && !snapshotClass
      ? 'has no VolumeSnapshotClass'
      : `cannot take volume snapshots (the VolumeSnapshot CRDs or VolumeSnapshotClass "${snapshotClass || 'default'}" are missing)`;
  return [`region ${region.name} ${why}: this backup will fail until snapshot support is installed`];
}

/** The Warning header for these warnings (none: no header). */
export function warningHeaders(warnings: readonly string[]): Record<string, string> {
  if (warnings.length === 0) return {};
  // Header values are Latin-1 text: quote, escape, and drop anything else.
  const quoted = warnings.map((w) => `299 - "${w.replaceAll(/[^\x20-\x7e]/g, '?').replaceAll(/["\\]/g, (c) => `\\${c}`)}"`);
  return { warning: quoted.join(', ') };
}
