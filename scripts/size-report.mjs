// Prints the longest functions and files of the workspace (outside generated code and the e2e
// tests), as counted by the lint rules that enforce the limits: node scripts/size-report.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const config = join(mkdtempSync(join(tmpdir(), 'qhc-sizes-')), 'oxlintrc.json');
const options = { skipBlankLines: false, skipComments: false };
writeFileSync(
  config,
  JSON.stringify({
    rules: { 'max-lines-per-function': ['error', { max: 1, IIFEs: true, ...options }] },
    ignorePatterns: ['**/dist/**', '**/generated/**', '**/node_modules/**'],
  }),
);
const lint = spawnSync('node_modules/.bin/oxlint', ['-c', config, '--format', 'unix', 'apps', 'packages', 'tooling', 'tests'], {
  encoding: 'utf8',
  maxBuffer: 64 << 20,
});
const functions = [...lint.stdout.matchAll(/^([^:\n]+):(\d+):\d+: .*too many lines \((\d+)\)/gm)]
  .filter(([, file]) => !file.startsWith('tests/e2e/'))
  .map(([, file, line, n]) => ({ where: `${file}:${line}`, lines: Number(n) }));
const git = spawnSync('git', ['ls-files', '*.ts', '*.tsx', '*.mjs'], { encoding: 'utf8' });
const files = git.stdout
  .split('\n')
  .filter((f) => /^(apps|packages|tooling|tests)\//.test(f) && !/(^tests\/e2e\/|\/generated\/)/.test(f))
  .map((f) => ({ where: f, lines: readFileSync(f, 'utf8').split('\n').length - 1 }));
const top = (items, n = 5) => items.toSorted((a, b) => b.lines - a.lines).slice(0, n);
const report = {
  functionsOver79: functions.filter((f) => f.lines > 79).length,
  filesOver300: files.filter((f) => f.lines > 300).length,
  longestFunctions: top(functions),
  longestFiles: top(files),
};
console.log(JSON.stringify(report, null, 2));
