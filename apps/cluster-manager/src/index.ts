export { manage, type ManageDeps } from './manage.ts';
export { ManagerMetrics } from './metrics.ts';
export { startClusterManager, type ClusterManagerOptions, type RunningClusterManager } from './server.ts';
