// `pnpm sandbox up`: starts the sandbox in the foreground, prints how to reach it, and
// stops it cleanly on Ctrl-C.
import { startSandbox } from './sandbox.ts';

const [command = 'up'] = process.argv.slice(2);
if (command !== 'up') {
  console.error(`usage: pnpm sandbox up   (unknown command ${JSON.stringify(command)})`);
  process.exit(2);
}

const sandbox = await startSandbox({ log: (line) => console.error(line) });
console.log(`\nThe kube sandbox is up (${sandbox.server}).`);
console.log(`kubeconfig: ${sandbox.kubeconfigPath}`);
console.log(`export KUBECONFIG=${sandbox.kubeconfigPath}`);
console.log(`logs: ${sandbox.logsDir}`);
console.log('Ctrl-C stops it.');

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.error('stopping the sandbox ...');
  await sandbox.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
// Keep the event loop alive while the components (unref'd children) run.
setInterval(() => undefined, 1 << 30);
