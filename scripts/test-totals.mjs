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
  }
}
// A missing report means a package's tests never ran: count it as a failure.
failed += missing.length;
for (const name of missing) console.error(`no test report from ${name}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

// A test file that failed with no failed test in it (a load error, a failing hook) still
// counts as one failure; files with failed tests are already counted test by test.
function filesFailedWithoutFailedTests(r) {
  return (r.testResults ?? []).filter((file) => file.status === 'failed' && !(file.assertionResults ?? []).some((a) => a.status === 'failed')).length;
}
