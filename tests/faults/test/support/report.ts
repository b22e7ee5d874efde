// vitest globalSetup: clears the results of an earlier run before, prints the table after.
import { rmSync } from 'node:fs';
import { RESULTS_DIR, markdownTable, readResults } from './results.ts';

export default function setup(): () => void {
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  return () => {
    const rows = readResults();
    if (rows.length > 0) process.stdout.write(`\nFault suite results\n\n${markdownTable(rows)}\n\n`);
  };
}
