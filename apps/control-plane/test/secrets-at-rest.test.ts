// Secrets at rest on both databases: registry passwords, database API keys (sealed copies) and
// clusters' API keys are stored encrypted (no plaintext anywhere, base64 included), read back
// after a restart with the same key, moved onto a new first key at start, and refused when
// moved to another row or under a key the ring lacks.
import type { LoopbackTls } from '@qhc/kube-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryCredentials } from '../src/repositories/regions.ts';
import { decryptSecret, encryptSecret, parseKeyRing, rotateSecrets, SecretError } from '../src/secrets/index.ts';
import { databaseFor, MANAGEMENT_KEY, type CloudPlane } from './support/cloud.ts';
import { scanForPlaintext } from './support/secrets.ts';
import { makeSecrets, newTls, readSecrets, ring, startPlane, storedKeyIds, type SecretWorld } from './support/secrets-plane.ts';
import { sqlOn } from './support/sql.ts';

// No OIDC provider is made here: its column is scanned, and empty.
const under = (id: string) => ({
  'regions.registry_credentials': [id],
  'database_api_keys.sealed': [id],
  'clusters.api_keys': [id],
  'oidc_providers.client_secret': [],
});
const plaintexts = (w: SecretWorld) => [w.password, w.databaseApiKey, w.clusterApiKey];

describe.each(['sqlite', 'postgres'] as const)('secrets stored and read on %s', (dialect) => {
  let tls: LoopbackTls;
  let database: string;
  let plane: CloudPlane | undefined;
  let world: SecretWorld;
  beforeAll(async () => {
    tls = await newTls();
    database = await databaseFor(dialect);
    plane = await startPlane(database, tls, { key: ring('a') });
    world = await makeSecrets(plane, 'store');
  });
  afterAll(async () => {
    await plane?.cp.stop();
  });

  it('leaves no plaintext (nor its base64) in any column of any table, every value under the first key', async () => {
    // The management key too: stored as its hash only.
    expect(await scanForPlaintext(plane!.cp.store.db, [...plaintexts(world), MANAGEMENT_KEY])).toEqual([]);
    expect(await storedKeyIds(plane!)).toEqual(under('a'));
    expect(await readSecrets(plane!, world)).toEqual(plaintexts(world));
  });

  it('finds a secret the scan is given where it is stored in plain or in base64 (the scan can fail)', async () => {
    const sql = sqlOn(plane!.cp.store.db);
    await sql.run('INSERT INTO cluster_events (id, cluster_id, at, type, message) VALUES ($1, $2, $3, $4, $5)', [
      'scan-probe',
      world.clusterId,
      '2026-01-01T00:00:00Z',
      'Probe',
      `plain ${world.password} and ${Buffer.from(`x${world.databaseApiKey}`).toString('base64')}`,
    ]);
    const hits = await scanForPlaintext(plane!.cp.store.db, plaintexts(world));
    await sql.run("DELETE FROM cluster_events WHERE id = 'scan-probe'");
    expect(hits.map((h) => [h.table, h.column, h.secret, h.form])).toEqual([
      ['cluster_events', 'message', world.password, 'plain'],
      ['cluster_events', 'message', world.databaseApiKey, 'inside base64'],
    ]);
  });

  it('refuses a value copied to another row, naming the row', async () => {
    const other = await makeSecrets(plane!, 'other');
    const sql = sqlOn(plane!.cp.store.db);
    await sql.run('UPDATE regions SET registry_credentials = (SELECT registry_credentials FROM regions WHERE id = $1) WHERE id = $2', [
      world.regionId,
      other.regionId,
    ]);
    await expect(registryCredentials(plane!.cp.store.db, other.regionId)).rejects.toThrow(
      new SecretError(`regions.registry_credentials of row ${other.regionId} (key id a) does not decrypt: altered, or copied from another row`),
    );
    await sql.run('UPDATE regions SET registry_credentials = NULL WHERE id = $1', [other.regionId]);
  });
});

describe.each(['sqlite', 'postgres'] as const)('restart and rotation on %s', (dialect) => {
  let tls: LoopbackTls;
  let database: string;
  let world: SecretWorld;
  const running: CloudPlane[] = [];
  const start = async (secrets: Parameters<typeof startPlane>[2]) => {
    const plane = await startPlane(database, tls, secrets);
    running.push(plane);
    return plane;
  };
  const stop = async (plane: CloudPlane) => plane.cp.stop().then(() => running.splice(running.indexOf(plane), 1));
  beforeAll(async () => {
    tls = await newTls();
    database = await databaseFor(dialect);
    const first = await start({ key: ring('a') });
    world = await makeSecrets(first, 'rotate');
    await stop(first);
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.cp.stop()));
  });

  it('reads the old rows after a restart with the same key', async () => {
    const again = await start({ key: ring('a') });
    expect([await readSecrets(again, world), await storedKeyIds(again)]).toEqual([plaintexts(world), under('a')]);
    await stop(again);
  });

  it('moves every value onto a new first key at start, after a pass that stopped half-way, idempotently; the old key can then go', async () => {
    // A pass that crashed after its first row: that row under b, the others still under a.
    const before = await start({ key: ring('a') });
    const at = { column: 'regions.registry_credentials', rowId: world.regionId };
    const sql = sqlOn(before.cp.store.db);
    const stored = (await sql.one<{ v: string }>('SELECT registry_credentials AS v FROM regions WHERE id = $1', [world.regionId]))!.v;
    const underB = encryptSecret(parseKeyRing(ring('b'), 'test'), at, decryptSecret(before.cp.store.db.secrets, at, stored));
    await sql.run('UPDATE regions SET registry_credentials = $1 WHERE id = $2', [underB, world.regionId]);
    await stop(before);
    const both = await start({ key: ring('b', 'a') });
    expect([await storedKeyIds(both), await readSecrets(both, world)]).toEqual([under('b'), plaintexts(world)]);
    expect(await rotateSecrets(both.cp.store.db)).toEqual({
      'regions.registry_credentials': 0,
      'database_api_keys.sealed': 0,
      'clusters.api_keys': 0,
      'oidc_providers.client_secret': 0,
    });
    await stop(both);
    const only = await start({ key: ring('b') });
    expect(await readSecrets(only, world)).toEqual(plaintexts(world));
    await stop(only);
  });

  it('refuses to start with a ring lacking the key of a stored value, naming the key id and the row', async () => {
    await expect(startPlane(database, tls, { key: ring('a') })).rejects.toThrow(
      /regions\.registry_credentials of row [0-9a-f-]{36} is encrypted under key id b, which the secrets key ring does not hold/,
    );
  });

  it('encrypts the plaintext an earlier release left (a data migration at start)', async () => {
    const plane = await start({ key: ring('b') });
    const legacy = JSON.stringify({ username: 'robot', password: 'legacy-password-0123456789' });
    await sqlOn(plane.cp.store.db).run('UPDATE regions SET registry_credentials = $1 WHERE id = $2', [legacy, world.regionId]);
    await stop(plane);
    const after = await start({ key: ring('b') });
    expect(await scanForPlaintext(after.cp.store.db, ['legacy-password-0123456789'])).toEqual([]);
    expect([(await registryCredentials(after.cp.store.db, world.regionId))?.password, await storedKeyIds(after)]).toEqual([
      'legacy-password-0123456789',
      under('b'),
    ]);
    await stop(after);
  });
});
