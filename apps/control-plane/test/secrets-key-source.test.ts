// Where the key ring comes from: --secrets-key-file (wins) or QHC_SECRETS_KEY; without one, a key
// SQLite generates beside its file on first start (and keeps), and PostgreSQL refuses to start.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject, describe, expect, it } from 'vitest';
import { registryCredentials } from '../src/repositories/regions.ts';
import { generatedKeyFileOf, resolveKeyRing } from '../src/secrets/index.ts';
import { createTestDatabase } from './support/postgres.ts';
import { makeSecrets, newTls, ring, startPlane } from './support/secrets-plane.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'qhc-secrets-key-'));

describe('resolveKeyRing', () => {
  it('prefers the key file to the variable, and names the file it cannot read', () => {
    const file = join(dir(), 'ring');
    writeFileSync(file, `${ring('f')}\n`);
    expect(resolveKeyRing('postgres://x/y', 'postgres', { keyFile: file, key: ring('e') }).primary.id).toBe('f');
    expect(resolveKeyRing('postgres://x/y', 'postgres', { key: ring('e') }).primary.id).toBe('e');
    expect(() => resolveKeyRing('db', 'sqlite', { keyFile: join(dir(), 'absent') })).toThrow(/cannot read the secrets key file .*absent: ENOENT/);
  });

  it('refuses PostgreSQL without a key, naming the flag and the variable', () => {
    expect(() => resolveKeyRing('postgres://x/y', 'postgres')).toThrow(
      'on PostgreSQL the control plane needs the key that encrypts secrets at rest, the same for every replica: give --secrets-key-file <file> (or QHC_SECRETS_KEY) holding one or more "<key id>:<base64 of 32 bytes>" entries',
    );
  });

  it('generates a key beside a SQLite file on first start (owner-only), and reads it back after', () => {
    const database = join(dir(), 'cp.db');
    const first = resolveKeyRing(database, 'sqlite');
    const file = generatedKeyFileOf(database);
    expect([statSync(file).mode & 0o777, readFileSync(file, 'utf8').startsWith(`${first.primary.id}:`)]).toEqual([0o600, true]);
    const second = resolveKeyRing(database, 'sqlite');
    expect([second.primary.id, second.primary.key.equals(first.primary.key)]).toEqual([first.primary.id, true]);
    expect(resolveKeyRing(':memory:', 'sqlite').primary.key.equals(resolveKeyRing(':memory:', 'sqlite').primary.key)).toBe(false);
  });
});

describe('a control plane and its key', () => {
  it('refuses to start on PostgreSQL without one', async () => {
    const database = await createTestDatabase(inject('postgresUrl'), `secrets_nokey_${process.pid}`);
    await expect(startPlane(database, await newTls(), undefined)).rejects.toThrow(/give --secrets-key-file <file> \(or QHC_SECRETS_KEY\)/);
  });

  it('reads its rows again after a restart with the same key file; on SQLite without one, with the key it generated', async () => {
    const tls = await newTls();
    const keyFile = join(dir(), 'ring');
    writeFileSync(keyFile, ring('k'));
    for (const secrets of [{ keyFile }, undefined]) {
      const database = join(dir(), 'cp.db');
      const first = await startPlane(database, tls, secrets);
      const world = await makeSecrets(first, 'keyfile');
      await first.cp.stop();
      const again = await startPlane(database, tls, secrets);
      const read = await registryCredentials(again.cp.store.db, world.regionId);
      await again.cp.stop();
      expect(read?.password).toBe(world.password);
    }
  });
});
