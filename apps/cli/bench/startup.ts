// pnpm bench (@qhc/cli): how fast `qhc --help` and `qhc version --client` start, cold
// processes, against `node -e 0` in the same run (the floor no CLI can beat). Target: under
// 150 ms. Prints one JSON line per command: median and p90 over the runs, and the ratio.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const QHC = fileURLToPath(new URL('../dist/qhc.js', import.meta.url));
const RUNS = 30;

function measure(args: string[]): { medianMs: number; p90Ms: number } {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    if (run.status !== 0) throw new Error(`${args.join(' ')} failed: ${run.stderr}`);
    // The first runs warm the file cache, not the process: dropped.
    if (i >= 3) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { medianMs: Math.round(times[Math.floor(RUNS / 2)]! * 10) / 10, p90Ms: Math.round(times[Math.floor(RUNS * 0.9)]! * 10) / 10 };
}

const floor = measure(['-e', '0']);
console.log(JSON.stringify({ command: 'node -e 0', ...floor }));
for (const args of [['--help'], ['version', '--client']]) {
  const result = measure([QHC, ...args]);
  console.log(
    JSON.stringify({
      command: `qhc ${args.join(' ')}`,
      ...result,
      ratioToNode: Math.round((result.medianMs / floor.medianMs) * 100) / 100,
      targetMs: 150,
      withinTarget: result.p90Ms < 150,
    }),
  );
}
