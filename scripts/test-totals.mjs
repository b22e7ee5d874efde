#!/usr/bin/env node
// Adds up every package's vitest JSON report (reports/vitest.json) into the one line
// CI reads: "N passed, N failed". Failed includes tests that errored or never ran
// because their file failed to load, so a broken suite can't look green.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
const failures = [];
for (const group of ['packages', 'apps', 'tooling', 'tests']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const pkgDir = join(dir, name);
    const pkgJson = join(pkgDir, 'package.json');
    if (!existsSync(pkgJson)) continue;
    const pkg = JSON.parse(readFileSync(pkgJson, 'utf8'));
    if (!pkg.scripts?.test) continue;
    const report = join(pkgDir, 'reports', 'vitest.json');
    if (!existsSync(report)) {
      missing.push(pkg.name);
      continue;
    }
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += (r.numFailedTests ?? 0) + filesFailedWithoutFailedTests(r);
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    failures.push(...failedTests(pkg.name, pkgDir, r));
  }
}
// A missing report means a package's tests never ran: count it as a failure.
failed += missing.length;
for (const name of missing) console.error(`no test report from ${name}`);
// CI shows only the tail of the log: name each failure here, next to the totals.
for (const line of failures) console.log(line);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

// A test file that failed with no failed test in it (a load error, a failing hook) still
// counts as one failure; files with failed tests are already counted test by test.
function filesFailedWithoutFailedTests(r) {
  return (r.testResults ?? []).filter((file) => file.status === 'failed' && !(file.assertionResults ?? []).some((a) => a.status === 'failed')).length;
}

// One line per failed test (or failed file): package, file, test name, the message's first line.
function failedTests(pkgName, pkgDir, r) {
  const lines = [];
  for (const file of r.testResults ?? []) {
    const path = (file.name ?? '').replace(`${pkgDir}/`, '');
    const failed = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const a of failed) lines.push(`FAILED ${pkgName} ${path} > ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    if (file.status === 'failed' && failed.length === 0) lines.push(`FAILED ${pkgName} ${path}: ${firstLine(file.message)}`);
  }
  return lines;
}

function firstLine(text) {
  return String(text ?? '')
    .split('\n')[0]
    .slice(0, 300);
}
