// pnpm bench's one output shape: every component prints one Markdown table with the same
// columns on every run (a figure it could not take shows as "—", it never drops a column),
// and writes the same table as JSON so runs can be compared by a script.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every component's JSON in one place, whichever package's directory the bench runs in: the
// repository's reports/bench (this file is tooling/bench/index.js). QHC_BENCH_DIR moves it.
const REPORTS = fileURLToPath(new URL('../../reports/bench/', import.meta.url));

/** @param {import('./index.js').BenchTable} table */
export function renderBenchTable(table) {
  const headers = table.columns.map((c) => c.header);
  const lines = [`### ${table.component}: ${table.title}`, '', `| ${headers.join(' | ')} |`, `| ${table.columns.map(() => '---').join(' | ')} |`];
  for (const row of table.rows) lines.push(`| ${table.columns.map((c) => cell(row[c.key])).join(' | ')} |`);
  const targets = table.columns.filter((c) => c.target).map((c) => `${c.header} ${c.target}`);
  if (targets.length > 0) lines.push('', `targets: ${targets.join('; ')}`);
  const context = Object.entries(table.context ?? {}).map(([k, v]) => `${k} ${v}`);
  if (context.length > 0) lines.push(`context: ${context.join('; ')}`);
  return lines.join('\n');
}

/**
 * @param {import('./index.js').BenchTable} table
 * @param {{ dir?: string }} [options]
 */
export function writeBenchTable(table, options = {}) {
  const dir = resolve(options.dir ?? process.env.QHC_BENCH_DIR ?? REPORTS);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${table.component}.json`);
  const machine = { cpus: cpus().length, loadAverage1m: Number(loadavg()[0].toFixed(2)), node: process.version };
  const rows = table.rows.map((row) => Object.fromEntries(table.columns.map((c) => [c.key, row[c.key] ?? null])));
  writeFileSync(file, `${JSON.stringify({ ...table, rows, machine, at: new Date().toISOString() }, null, 2)}\n`);
  console.log(`\n${renderBenchTable(table)}\n\n(JSON: ${file})`);
  return file;
}

/** @param {unknown} value */
function cell(value) {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  return String(value);
}
