export { registryDefaults, startControlPlane, type ControlPlaneOptions, type RunningControlPlane } from './server.ts';
export { Store, AgentReport, type ClusterRecord, type DesiredState, type RegionRecord } from './store.ts';
export { openDatabase } from './db/open.ts';
export { MIGRATIONS, migrate } from './db/migrations.ts';
export type { Db } from './db/db.ts';
