// qhc.v1.ClusterEventService over gRPC: a cluster's timeline (what /api/v1 serves at …/events), newest
// first, a page at a time without repeats; refusals name the field, another account's cluster is NotFound.
import { randomUUID } from 'node:crypto';
import { Code, type ConnectError } from '@connectrpc/connect';
import { qhcV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { recordClusterEvents } from '../src/cluster-events.ts';
import { cloudPlane, failure } from './support/cloud.ts';
import { otherAccount, qhcClients, qhcDigest, seedCluster, seedRegion } from './support/qhc.ts';

const codeAndMessage = (error: unknown) => [(error as ConnectError).code, (error as ConnectError).rawMessage];

describe.each(['sqlite', 'postgres'] as const)('cluster events over gRPC on %s', (dialect) => {
  const plane = cloudPlane(dialect);

  it('pages through the timeline newest first, every event once', async () => {
    const { events } = qhcClients(plane);
    const clusterId = await seedCluster(plane, await seedRegion(plane, 'events'), 'timeline');
    const phases = Array.from({ length: 5 }, (_, i) => ({ type: 'Phase' as const, message: `phase ${i}` }));
    for (const [i, event] of phases.entries()) await recordClusterEvents(plane.cp.store.db, clusterId, [event], `2999-02-0${i + 1}T00:00:00.000Z`);
    const seen: qhcV1.ClusterEvent[] = [];
    let pageToken = '';
    let pages = 0;
    do {
      const page = await events.listClusterEvents({ accountId: plane.cp.accountId, clusterId, pageSize: 2, pageToken }, { headers: plane.auth() });
      seen.push(...page.items);
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    // The creation's own event (Requested, stamped now) is the oldest: the others are in 2999.
    expect(seen.map((e) => e.message)).toEqual(['phase 4', 'phase 3', 'phase 2', 'phase 1', 'phase 0', expect.any(String)]);
    expect(seen.at(-1)!.type).toBe(qhcV1.ClusterEventType.REQUESTED);
    expect(seen[0]).toMatchObject({ type: qhcV1.ClusterEventType.PHASE, time: { seconds: BigInt(Date.parse('2999-02-05T00:00:00Z') / 1000) } });
    expect(pages).toBe(3);
  });
});

describe('refused cluster-event requests over gRPC', () => {
  const plane = cloudPlane('sqlite');

  it('names cluster_id, page_size and page_token; another account cluster is NotFound; nothing is written', async () => {
    const { events } = qhcClients(plane);
    const clusterId = await seedCluster(plane, await seedRegion(plane, 'refusals'), 'c');
    const other = await otherAccount(plane);
    const before = await qhcDigest(plane);
    const list = (fields: { accountId?: string; clusterId?: string; pageSize?: number; pageToken?: string }, key?: string) =>
      failure(events.listClusterEvents({ accountId: plane.cp.accountId, clusterId, ...fields }, { headers: plane.auth(key) }));
    const unknown = randomUUID();
    expect(codeAndMessage(await list({ clusterId: 'c' }))).toEqual([Code.InvalidArgument, 'cluster_id: "c" is not a UUID']);
    expect(codeAndMessage(await list({ clusterId: unknown }))).toEqual([Code.NotFound, `cluster ${unknown} does not exist`]);
    expect(codeAndMessage(await list({ accountId: other.accountId }, other.key))).toEqual([Code.NotFound, `cluster ${clusterId} does not exist`]);
    expect(codeAndMessage(await list({ pageSize: 5000 }))).toEqual([Code.InvalidArgument, expect.stringMatching(/^page_size: /)]);
    expect(codeAndMessage(await list({ pageToken: 'W10' }))).toEqual([Code.InvalidArgument, expect.stringMatching(/^page_token: /)]);
    expect(await qhcDigest(plane)).toEqual(before);
  });
});
