// pnpm bench (@qhc/cli): how fast `qhc --help` and `qhc version --client` start, cold
// processes, against `node -e 0` in the same run (the floor no CLI can beat). Target: p90 under
// 150 ms. Prints one table (median and p90 over the runs, and the ratio to the floor) and
// writes it as JSON (@qhc/bench). Runs dist/qhc.js: build first (pnpm bench at the root does).
//   node bench/startup.ts [runs=30]
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeBenchTable, type BenchRow } from '@qhc/bench';

const QHC = fileURLToPath(new URL('../dist/qhc.js', import.meta.url));
const RUNS = Number(process.argv[2]) > 0 ? Number(process.argv[2]) : 30;
const TARGET_MS = 150;
if (!existsSync(QHC)) throw new Error(`${QHC} is missing: run pnpm --filter @qhc/cli build first`);

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
const rows: BenchRow[] = [{ command: 'node -e 0 (floor)', runs: RUNS, ...floor, ratioToNode: 1 }];
for (const args of [['--help'], ['version', '--client']]) {
  const result = measure([QHC, ...args]);
  rows.push({
    command: `qhc ${args.join(' ')}`,
    runs: RUNS,
    ...result,
    ratioToNode: result.medianMs / floor.medianMs,
    withinTarget: result.p90Ms < TARGET_MS ? 'yes' : 'no',
  });
}
writeBenchTable({
  component: 'cli',
  title: 'cold start of the built qhc binary against node -e 0, same run',
  columns: [
    { key: 'command', header: 'command' },
    { key: 'runs', header: 'runs' },
    { key: 'medianMs', header: 'median (ms)' },
    { key: 'p90Ms', header: 'p90 (ms)', target: `< ${TARGET_MS} (qhc commands)` },
    { key: 'ratioToNode', header: 'median / node -e 0' },
    { key: 'withinTarget', header: 'within target' },
  ],
  rows,
  context: { binary: QHC, 'warm-up runs dropped': 3 },
});
