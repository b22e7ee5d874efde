// `qhc-control-plane rotate-secrets`: re-encrypts every secret under the ring's first key and
// exits, without serving; a ring lacking a stored value's key fails naming the key id and row.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkBuild, MAIN } from './support/cloud-child.ts';
import { databaseFor } from './support/cloud.ts';
import { makeSecrets, newTls, readSecrets, ring, startPlane, storedKeyIds } from './support/secrets-plane.ts';

const rotate = (database: string, key: string) =>
  spawnSync(process.execPath, [MAIN, 'rotate-secrets', '--database', database, '--log-level', 'error'], {
    encoding: 'utf8',
    env: { ...process.env, QHC_SECRETS_KEY: key },
  });

describe('qhc-control-plane rotate-secrets', () => {
  it('moves every secret onto the first key and exits; a ring without the key fails naming it', async () => {
    checkBuild();
    const tls = await newTls();
    const database = await databaseFor('sqlite');
    const plane = await startPlane(database, tls, { key: ring('a') });
    const world = await makeSecrets(plane, 'command');
    await plane.cp.stop();
    const done = rotate(database, ring('b', 'a'));
    expect([done.status, done.stdout]).toEqual([0, 'every secret is encrypted under key b\n']);
    const refused = rotate(database, ring('c'));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/regions\.registry_credentials of row [0-9a-f-]{36} is encrypted under key id b, which the secrets key ring does not hold/);
    const after = await startPlane(database, tls, { key: ring('b') });
    try {
      expect([await storedKeyIds(after), await readSecrets(after, world)]).toEqual([
        { 'regions.registry_credentials': ['b'], 'database_api_keys.sealed': ['b'], 'clusters.api_keys': ['b'], 'oidc_providers.client_secret': [] },
        [world.password, world.databaseApiKey, world.clusterApiKey],
      ]);
    } finally {
      await after.cp.stop();
    }
  });
});
