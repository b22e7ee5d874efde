// The committed src/generated/ is what `buf generate` makes from proto/ now: a .proto edited without
// regenerating (or generated code edited by hand) fails here rather than at a client's first call.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'qhc-cloud-api-gen-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .toSorted();
}

describe('src/generated', () => {
  it('is what buf generate makes from proto/', () => {
    for (const name of ['proto', 'buf.yaml', 'buf.gen.yaml']) cpSync(join(root, name), join(work, name), { recursive: true });
    const bin = join(root, 'node_modules/.bin');
    execFileSync(join(bin, 'buf'), ['generate'], { cwd: work, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` }, stdio: 'pipe' });
    const committed = join(root, 'src/generated');
    const fresh = join(work, 'src/generated');
    expect(filesUnder(fresh)).toEqual(filesUnder(committed));
    for (const file of filesUnder(fresh)) expect(readFileSync(join(fresh, file), 'utf8'), file).toBe(readFileSync(join(committed, file), 'utf8'));
  });
});
