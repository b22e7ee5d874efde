export { startOperator, type OperatorOptions, type RunningOperator } from './operator.ts';
export { ClusterController, type ControllerOptions } from './controller.ts';
export { reconcileCluster, FINALIZER, FIELD_MANAGER, STATUS_FIELD_MANAGER } from './reconcile/cluster.ts';
export { deriveStatus, mergeConditions, type ObservedState, type DerivedStatus } from './status.ts';
export { OperatorMetrics } from './metrics.ts';
export { SettingsFile, type SettingsCheck, type SettingsWatchOptions } from './settings-file.ts';
export { SettingsStatusPublisher, type SettingsStatusOptions } from './settings-status.ts';
export { API_KEYS_HASH_ANNOTATION, hashApiKeyValues } from './reconcile/api-keys-hash.ts';
