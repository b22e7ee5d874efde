// The control plane's records as the Cloud API returns them: the generated message types of
// @qhc/cloud-api, so the console and the server cannot drift apart.
import type { backupV1, bookingV1, clusterV1, hybridV1, qhcV1 } from '@qhc/cloud-api';

export type Environment = hybridV1.HybridCloudEnvironment;
export type Cluster = clusterV1.Cluster;
export type Package = bookingV1.Package;
export type Backup = backupV1.Backup;
export type BackupSchedule = backupV1.BackupSchedule;
export type BackupRestore = backupV1.BackupRestore;
export type ClusterEvent = qhcV1.ClusterEvent;

export const LATEST_VERSION: string = import.meta.env.VITE_QHC_VERSION ?? '0.1.0';
