// GetCluster and ListClusters answer a cluster from the record built the last time its row read
// the same (repositories/row-memo.ts): the same frozen object while the row is unchanged, a new
// one as soon as any column changes, whoever changed it (a row set by hand here, as another
// replica's write would be). A cluster added elsewhere (the page's count) rebuilds nothing.
import { toBinary } from '@bufbuild/protobuf';
import { clusterV1 } from '@qhc/cloud-api';
import { expect, it } from 'vitest';
import { accountClusterPage } from '../src/repositories/cloud-clusters.ts';
import { RowMemo } from '../src/repositories/row-memo.ts';
import { storedApiKeys } from '../src/repositories/rows.ts';
import { cloudPlane } from './support/cloud.ts';
import { clusterClient, clusterInit, makeRegion } from './support/cloud-clusters.ts';
import { sqlOn } from './support/sql.ts';

const plane = cloudPlane('sqlite');
const HEALTHY = clusterV1.ClusterPhaseSchema.values.find((v) => v.localName === 'HEALTHY')!.number;

it('keeps a record while its row reads the same, rebuilds it when any column changes, whoever wrote it', async () => {
  const { db } = plane.cp.store;
  const { accountId } = plane.cp;
  const client = clusterClient(plane);
  const region = await makeRegion(plane, 'memo');
  const first = (await client.createCluster({ cluster: clusterInit(accountId, region.id, 'kept') }, { headers: plane.auth() })).cluster!;
  const page = async () => (await accountClusterPage(db, accountId, { offset: 0, limit: 10 })).items;
  const [before] = await page();
  expect(Object.isFrozen(before) && Object.isFrozen(before!.spec)).toBe(true);
  // Another cluster changes the page's count, not the first cluster's row.
  await client.createCluster({ cluster: clusterInit(accountId, region.id, 'other') }, { headers: plane.auth() });
  const [again] = await page();
  expect(again).toBe(before);
  // The agent's report, written under the repositories' feet (another replica's write reads the same).
  const status = JSON.stringify({ phase: 'Healthy', nodesReady: 3, version: 'v1.16.3' });
  expect(await sqlOn(db).run('UPDATE clusters SET status = $1 WHERE id = $2', [status, first.id])).toBe(1);
  const [after] = await page();
  expect(after).not.toBe(before);
  expect(after!.status?.phase).toBe('Healthy');
  const got = (await client.getCluster({ accountId, clusterId: first.id }, { headers: plane.auth() })).cluster!;
  const listed = (await client.listClusters({ accountId }, { headers: plane.auth() })).items.find((c) => c.id === first.id)!;
  expect([got.state?.phase, got.state?.nodesUp, Boolean(got.state?.endpoint?.url)]).toEqual([HEALTHY, 3, true]);
  expect(toBinary(clusterV1.ClusterSchema, listed)).toEqual(toBinary(clusterV1.ClusterSchema, got));
});

it('bounds the memo: the least recently used row goes first', () => {
  const memo = new RowMemo<{ n: number }>(2);
  let built = 0;
  const of = (id: string, column: string) => memo.of(id, { column }, () => ({ n: ++built }));
  const a = of('a', 'x');
  of('b', 'x');
  expect(of('a', 'x')).toBe(a);
  of('c', 'x');
  expect([memo.size, of('a', 'x'), built]).toEqual([2, a, 3]);
  // 'b' was the least recently used: built again.
  expect(of('b', 'x').n).toBe(4);
  expect(of('b', 'y').n).toBe(5);
});

it("rebuilds a record when its region's namespace (joined region_spec) or its api_keys column changes", async () => {
  const { db } = plane.cp.store;
  const { accountId } = plane.cp;
  const client = clusterClient(plane);
  const region = await makeRegion(plane, 'memo-joined');
  const made = (await client.createCluster({ cluster: clusterInit(accountId, region.id, 'joined') }, { headers: plane.auth() })).cluster!;
  const read = async () => (await accountClusterPage(db, accountId, { offset: 0, limit: 100 })).items.find((c) => c.id === made.id)!;
  const before = await read();
  expect(await read()).toBe(before);
  const [{ spec }] = (await sqlOn(db).all<{ spec: string }>('SELECT spec FROM regions WHERE id = $1', [region.id])) as [{ spec: string }];
  const moved = JSON.stringify({ ...JSON.parse(spec), namespace: 'moved-ns' });
  expect(await sqlOn(db).run('UPDATE regions SET spec = $1 WHERE id = $2', [moved, region.id])).toBe(1);
  const renamed = await read();
  expect([renamed === before, renamed.namespace]).toEqual([false, 'moved-ns']);
  // Keys stored (sealed as the repositories seal them), then taken away: each rebuilds the record.
  const sealed = storedApiKeys(db, made.id, {});
  expect(await sqlOn(db).run('UPDATE clusters SET api_keys = $1 WHERE id = $2', [sealed, made.id])).toBe(1);
  const keyed = await read();
  expect([keyed === renamed, 'apiKeys' in keyed]).toEqual([false, true]);
  expect(await sqlOn(db).run('UPDATE clusters SET api_keys = NULL WHERE id = $1', [made.id])).toBe(1);
  const keyless = await read();
  expect([keyless === keyed, 'apiKeys' in keyless]).toEqual([false, false]);
});
