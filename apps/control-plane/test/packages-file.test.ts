// The operator's packages catalogue (--packages, QHC_PACKAGES): read at start, replacing the
// built-in set; a file that does not parse stops the control plane, naming line and column.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@qhc/kube';
import { DEFAULT_PACKAGES } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { readPackagesFile } from '../src/packages.ts';
import { startControlPlane } from '../src/server.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const ID = '5d2c7e1a-9b3f-4c6d-8e0a-1f2b3c4d5e6f';
const GOOD = `- id: ${ID}\n  name: only-size\n  resources: { cpu: 2000m, ram: 8GiB, disk: 100GiB }\n`;
const BAD = `- id: ${ID}\n  name: only-size\n  resources: { cpu: 2, ram: 8GiB, disk: 100GiB }\n`;

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'qhc-packages-')), 'packages.yaml');
  writeFileSync(path, text);
  return path;
}

/** `node src/main.ts` with `args` and `env`, until it exits or logs that it started (then stopped by its PID). */
function runMain(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string; started: boolean }> {
  const child = spawn(process.execPath, [MAIN, '--database', ':memory:', '--port', '0', '--no-console', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let started = false;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (!started && stderr.includes('"control plane started"')) {
      started = true;
      child.kill('SIGTERM');
    }
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr, started })));
}

describe('the packages file', () => {
  it('reads a catalogue, defaults applied', () => {
    expect(readPackagesFile(file(GOOD))).toEqual([{ id: ID, name: 'only-size', resources: { cpu: '2000m', ram: '8GiB', disk: '100GiB' }, status: 'active' }]);
  });

  it('refuses a catalogue that does not parse, naming the file, the field and its line and column', () => {
    const path = file(BAD);
    expect(() => readPackagesFile(path)).toThrow(`packages catalogue (${path}) is invalid: 1 problem\n  - [0].resources.cpu (line 3, column 21): `);
  });

  it('refuses a file it cannot read, naming it', () => {
    expect(() => readPackagesFile('/nonexistent/packages.yaml')).toThrow(/^--packages \/nonexistent\/packages\.yaml: cannot read it \(ENOENT/);
  });

  it('is what a control plane serves; without one, the default packages', async () => {
    const logger = createLogger({ level: 'error' });
    const own = await startControlPlane({ database: ':memory:', port: 0, logger, console: false, packages: readPackagesFile(file(GOOD)) });
    const plain = await startControlPlane({ database: ':memory:', port: 0, logger, console: false });
    try {
      expect([own.packages.map((p) => p.id), plain.packages]).toEqual([[ID], DEFAULT_PACKAGES]);
    } finally {
      await Promise.all([own.stop(), plain.stop()]);
    }
  });
});

describe('qhc-control-plane --packages', () => {
  it('stops at start (exit 1) on a bad file, given by the flag or QHC_PACKAGES, naming line and column', async () => {
    const path = file(BAD);
    for (const run of [await runMain(['--packages', path]), await runMain([], { QHC_PACKAGES: path })]) {
      expect([run.code, run.started]).toEqual([1, false]);
      expect(run.stderr).toContain(`qhc-control-plane: packages catalogue (${path}) is invalid: 1 problem\n  - [0].resources.cpu (line 3, column 21)`);
    }
  });

  it('starts with a good file, serving its packages', async () => {
    const run = await runMain(['--packages', file(GOOD), '--log-level', 'info']);
    expect(run.started).toBe(true);
    expect(run.stderr).toMatch(/"control plane started".*"packages":1\b/);
  });
});
