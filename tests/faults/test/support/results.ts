// Each fault writes one row; the report global setup prints them as a markdown table after
// the run (results/ is gitignored: the figures are per machine).
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = fileURLToPath(new URL('../../results', import.meta.url));

export interface FaultRow {
  fault: string;
  /** What was verified after the recovery, in words. */
  checked: string;
  /** From the end of the fault to converged, measured on the event. */
  recoverMs: number;
  /** Acknowledged changes missing after the recovery (0 when nothing was lost). */
  dataLost: number;
}

export function recordResult(name: string, row: FaultRow): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(row, null, 2)}\n`);
}

export function readResults(): FaultRow[] {
  let files: string[] = [];
  try {
    files = readdirSync(RESULTS_DIR)
      .filter((f) => f.endsWith('.json'))
      .toSorted();
  } catch {
    return [];
  }
  return files.map((f) => JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8')) as FaultRow);
}

const cell = (s: string | number) => String(s).replaceAll('|', '\\|');

export function markdownTable(rows: FaultRow[]): string {
  return [
    '| fault | checked | recover (ms) | data lost |',
    '| --- | --- | ---: | ---: |',
    ...rows.map((r) => `| ${cell(r.fault)} | ${cell(r.checked)} | ${r.recoverMs} | ${r.dataLost} |`),
  ].join('\n');
}
