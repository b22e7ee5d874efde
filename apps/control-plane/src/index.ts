export { registryDefaults, startControlPlane, type ControlPlaneOptions, type RunningControlPlane } from './server.ts';
export { Store, type ClusterRecord, type DesiredState, type RegionRecord } from './store.ts';
export { AgentReport } from './api/agent-report.ts';
export { LongPolls } from './api/long-polls.ts';
export { openDatabase } from './db/open.ts';
export { MIGRATIONS, migrate } from './db/migrations.ts';
export type { Db } from './db/db.ts';
