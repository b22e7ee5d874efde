import { clusterResourceName } from '@qhc/schemas';

// The Kubernetes objects the Cloud API makes for backups, schedules and restores are named
// after their UUID, as new clusters are (`qdrant-<id>`), with the kind in between so that
// `kubectl get qcsnap` tells them apart from a cluster's own objects.

export const backupObjectName = (id: string): string => clusterResourceName(`backup-${id}`);
export const scheduleObjectName = (id: string): string => clusterResourceName(`schedule-${id}`);
export const restoreObjectName = (id: string): string => clusterResourceName(`restore-${id}`);

/**
 * The schedule's short id (at most 8 characters, copied by the operator onto every backup it
 * takes): the first group of its UUID, unique enough within one cluster's schedules.
 */
export const scheduleShortId = (id: string): string => id.slice(0, 8);
