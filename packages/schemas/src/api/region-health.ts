import * as z from 'zod';

// What a region can do, as the installation's preflight and the agent find it. Bounded
// everywhere: the agent's report is stored and shown as is, so nothing in it may grow
// without limit.

const text = (max: number) => z.string().max(max);
const name = z.string().min(1).max(253);

/** One preflight check's outcome: ok, a warning (the install continues) or a failure (it stops). */
export const PreflightStatus = z.enum(['ok', 'warn', 'fail']);
export type PreflightStatus = z.infer<typeof PreflightStatus>;

export const PreflightResult = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z][a-z-]*$/)
    .max(40),
  status: PreflightStatus,
  /** What was found, in plain words. */
  finding: text(1000),
  /** What to do about it (warnings and failures). */
  fix: text(1000).optional(),
});
export type PreflightResult = z.infer<typeof PreflightResult>;

export const StorageClassInfo = z.strictObject({
  name,
  provisioner: text(253),
  default: z.boolean(),
  allowVolumeExpansion: z.boolean(),
  reclaimPolicy: text(32),
});
export type StorageClassInfo = z.infer<typeof StorageClassInfo>;

export const VolumeSnapshotClassInfo = z.strictObject({ name, driver: text(253), default: z.boolean(), deletionPolicy: text(32) });
export type VolumeSnapshotClassInfo = z.infer<typeof VolumeSnapshotClassInfo>;

export const ComponentHealth = z.strictObject({
  /** The Deployment's name: qhc-operator, qhc-agent, qhc-cluster-manager. */
  name: z.string().min(1).max(63),
  /** The image tag it runs, when there is one. */
  version: text(128).optional(),
  ready: z.boolean(),
  /** Why it is not ready. */
  message: text(500).optional(),
});
export type ComponentHealth = z.infer<typeof ComponentHealth>;

/** The region's health the agent reports with every status: what clusters can rely on. */
export const RegionHealth = z
  .strictObject({
    kubernetes: z.strictObject({
      /** /version's gitVersion, e.g. v1.31.4-eks-2f4a1b. */
      version: text(64),
      /** Told from the version string and the nodes' provider IDs: eks, gke, aks, k3s, kind, kwok, … or "kubernetes". */
      distribution: text(64),
    }),
    nodes: z.strictObject({ count: z.int().min(0).max(1_000_000) }),
    storageClasses: z.array(StorageClassInfo).max(100),
    volumeSnapshotClasses: z.array(VolumeSnapshotClassInfo).max(100),
    capabilities: z.strictObject({
      /** The VolumeSnapshot API is served and a usable VolumeSnapshotClass exists: backups work. */
      volumeSnapshot: z.boolean(),
      /** The StorageClass clusters get by default allows expansion: storage can grow. */
      volumeExpansion: z.boolean(),
    }),
    components: z.array(ComponentHealth).max(10),
    canCreateClusters: z.boolean(),
    /** Why clusters cannot be created (set exactly when canCreateClusters is false). */
    reason: text(500).optional(),
    collectedAt: z.iso.datetime(),
  })
  .refine((h) => h.canCreateClusters === (h.reason === undefined), { message: 'reason is set exactly when canCreateClusters is false', path: ['reason'] });
export type RegionHealth = z.infer<typeof RegionHealth>;
