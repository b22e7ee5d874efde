// `pnpm lint` must fail on what it exists to catch. Each case lays out a small tree in a
// temporary folder shaped like the workspace (apps/, packages/), runs the real tool with the
// workspace's own configuration on it, and expects a failure naming the rule; a control tree
// that keeps the rules must pass, so a config that refuses everything fails the test too.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);
const dirs: string[] = [];

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'qhc-lint-'));
  dirs.push(dir);
  copyFileSync(join(ROOT, '.oxfmtrc.json'), join(dir, '.oxfmtrc.json'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function run(cwd: string, command: string, args: string[]) {
  const result = spawnSync(bin(command), args, { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const cruise = (dir: string) => run(dir, 'depcruise', ['--config', join(ROOT, '.dependency-cruiser.mjs'), 'apps', 'packages']);

const body = (lines: number) => `export function f(): number {\n  let n = 0;\n${'  n++;\n'.repeat(lines - 4)}  return n;\n}\n`;

const lint = (dir: string) => run(dir, 'oxlint', ['-c', join(ROOT, 'tooling/lint/oxlintrc.json'), '--deny-warnings', 'src']);

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('formatting (oxfmt --check, in every package lint script)', () => {
  it('fails on an unformatted line and passes once it is formatted', () => {
    const dir = tree({ 'src/a.ts': 'export const   a = {b:1};\n' });
    const before = run(dir, 'oxfmt', ['--check', 'src']);
    expect(before.status).not.toBe(0);
    expect(before.output).toContain('a.ts');
    expect(run(dir, 'oxfmt', ['src']).status).toBe(0);
    expect(run(dir, 'oxfmt', ['--check', 'src']).status).toBe(0);
  });
});

describe('package boundaries (dependency-cruiser, pnpm lint:boundaries)', () => {
  const base = {
    'packages/schemas/src/index.ts': 'export const kind = 1;\n',
    'packages/kube/src/index.ts': "import { kind } from '../../schemas/src/index.ts';\nexport const client = kind;\n",
    'apps/control-plane/src/index.ts': "import { kind } from '../../../packages/schemas/src/index.ts';\nexport const server = kind;\n",
  };

  it('passes a tree that keeps the one-way flow', () => {
    const result = cruise(
      tree({ ...base, 'apps/agent/src/index.ts': "import { client } from '../../../packages/kube/src/index.ts';\nexport const agent = client;\n" }),
    );
    expect(result.output).toContain('no dependency violations');
    expect(result.status).toBe(0);
  });

  it('fails when an app imports another app', () => {
    const result = cruise(
      tree({ ...base, 'apps/agent/src/index.ts': "import { server } from '../../control-plane/src/index.ts';\nexport const agent = server;\n" }),
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('apps-never-import-each-other');
  });

  it('fails when a package imports an app, or the builders import the client', () => {
    const result = cruise(
      tree({
        ...base,
        'packages/manifests/src/index.ts':
          "import { client } from '../../kube/src/index.ts';\nimport { server } from '../../../apps/control-plane/src/index.ts';\nexport const built = [client, server];\n",
      }),
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('manifests-are-pure-builders');
    expect(result.output).toContain('packages-never-import-apps');
  });
});

describe('sizes (oxlint max-lines-per-function 79, max-lines 300)', () => {
  it('a 79-line function passes, an 80-line one fails naming the rule', () => {
    expect(lint(tree({ 'src/ok.ts': body(79) })).status).toBe(0);
    const result = lint(tree({ 'src/long.ts': body(80) }));
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('max-lines-per-function');
  });

  it('a file over 300 lines fails naming the rule', () => {
    const result = lint(tree({ 'src/big.ts': Array.from({ length: 301 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n' }));
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('max-lines');
  });
});
