// One control-plane replica of bench/agents.ts, in its own process (its RSS and open files are
// its own): started with its options as JSON in argv[2], it sends its URL, then answers 'stats'
// (statements run, long-polls parked) and 'stop' over the IPC channel.
import { createLogger } from '@qhc/kube';
import { startControlPlane } from '../../src/index.ts';

const { database, managementKey, secretsKey } = JSON.parse(process.argv[2]!) as { database: string; managementKey: string; secretsKey?: string };
const cp = await startControlPlane({
  database,
  port: 0,
  managementKey,
  ...(secretsKey ? { secrets: { key: secretsKey } } : {}),
  logger: createLogger({ level: 'error' }),
  publicUrl: 'https://cp.example.test',
  console: false,
  maxWaitSeconds: 60,
});
process.send!({ url: cp.url, accountId: cp.accountId });
process.on('message', (message) => {
  if (message === 'stats')
    process.send!({ queries: cp.store.db.stats.queries, parked: cp.longPolls.total, rendered: cp.store.rendered.size, busy: cp.store.db.stats.busy ?? 0 });
  if (message === 'stop') void cp.stop().then(() => process.exit(0));
});
