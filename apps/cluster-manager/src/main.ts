#!/usr/bin/env node
// qhc-cluster-manager: the manage endpoint the operator calls for each cluster. Flags:
//   --settings <file>   operator settings YAML: its clusterManager block (debug, logSize)
//   --port <n>          default 7333
//   --host <addr>       default 0.0.0.0
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseOperatorSettings } from '@qhc/schemas';
import { settingsLogger } from './recent-logs.ts';
import { startClusterManager } from './server.ts';

const { values } = parseArgs({ options: { settings: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } } });
try {
  const settings = values.settings
    ? parseOperatorSettings(readFileSync(values.settings, 'utf8'), { source: values.settings }).settings.clusterManager
    : undefined;
  const { logger, recent } = settingsLogger(settings, (line) => process.stderr.write(`${line}\n`));
  const manager = await startClusterManager({ port: values.port ? Number(values.port) : undefined, host: values.host, logger, recentLogs: recent });
  const shutdown = () => void manager.stop().then(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
} catch (error) {
  console.error(`qhc-cluster-manager: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
