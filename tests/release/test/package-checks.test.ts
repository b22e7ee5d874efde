import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, PUBLISHED, ROOT, run } from './support.ts';

describe.each(PUBLISHED)('%s, as published', (dir) => {
  const cwd = join(ROOT, dir);
  const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as Record<string, unknown> & { bin?: unknown; exports: Record<string, unknown> };

  it('declares engines, exports, types, repository, license and sideEffects', () => {
    expect(manifest).toMatchObject({
      type: 'module',
      license: 'Apache-2.0',
      sideEffects: false,
      engines: { node: expect.stringMatching(/^>=24/) },
      repository: { type: 'git', directory: dir },
    });
    expect(manifest.exports['./package.json']).toBe('./package.json');
    // A library has types; the CLI is a binary.
    if (manifest.exports['.'])
      expect(manifest).toMatchObject({ types: './dist/index.d.ts', exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } } });
    else expect(manifest.bin).toBeDefined();
  });

  it('ships only its build output, README and LICENSE', async () => {
    const packed = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts=false'], { cwd });
    expect(packed.code, packed.stderr).toBe(0);
    const files = (JSON.parse(packed.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
    for (const file of files) expect(file, file).toMatch(/^(package\.json|README\.md|LICENSE|dist\/.+|generated\/(crds|json-schema)\/.+)$/);
  });

  it('passes publint (strict) and arethetypeswrong (ESM only)', async () => {
    const publint = await run(join(BIN, 'publint'), ['--strict'], { cwd });
    expect(publint.code, publint.stdout + publint.stderr).toBe(0);
    expect(publint.stdout).toContain('All good!');
    const attw = await run(join(BIN, 'attw'), ['--pack', '.', '--profile', 'esm-only', '--format', 'json'], { cwd });
    const report = JSON.parse(attw.stdout) as { analysis: { problems?: unknown[]; types?: unknown } | { types: false } };
    expect(attw.code, attw.stdout.slice(0, 2000)).toBe(0);
    expect(report.analysis).toBeDefined();
  });
});
