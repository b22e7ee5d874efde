import { describe, expect, it } from 'vitest';
import { ClusterRecord, ClusterRecordView, RegionRecord, RegionRecordView, ResourceRecordStatus, ResourceRecordView } from '../src/index.ts';
import { clusterSpecFixture } from '../src/test/index.ts';

// A client of an older release reads a newer control plane's records: a spec field it does not
// know is kept, not refused; the strict record schemas (what the control plane stores) still refuse it.
const region = (spec: Record<string, unknown> = {}) => ({
  id: 'r',
  name: 'r',
  spec: { name: 'r', namespace: 'ns-r', agentVersion: '0.1.0', operatorVersion: '0.1.0', ...spec },
  revision: 3,
  createdAt: '',
  updatedAt: '',
});
const cluster = (spec: Record<string, unknown> = {}, status?: Record<string, unknown>) => {
  const { id: _id, ...base } = clusterSpecFixture('c');
  return { id: 'c', regionId: 'r', name: 'c', spec: { ...base, ...spec }, ...(status ? { status } : {}), createdAt: '', updatedAt: '' };
};

describe('RegionRecordView', () => {
  it('keeps a spec field of a newer release that RegionRecord refuses', () => {
    expect(RegionRecord.safeParse(region({ futureField: { a: 1 } })).success).toBe(false);
    const parsed = RegionRecordView.parse(region({ futureField: { a: 1 } }));
    expect(parsed.spec).toMatchObject({ namespace: 'ns-r', futureField: { a: 1 } });
  });

  it('still checks the identity it reads', () => {
    expect(RegionRecordView.safeParse(region({ namespace: 7 })).success).toBe(false);
    expect(RegionRecordView.safeParse({ ...region(), revision: 'x' }).success).toBe(false);
  });
});

describe('ClusterRecordView', () => {
  it('keeps unknown spec fields and status parts of a newer release', () => {
    const answer = cluster({ futureField: true }, { phase: 'Healthy', nodesReady: 1, nodeStatus: { p: { futureNodeField: 1 } } });
    expect(ClusterRecord.safeParse(answer).success).toBe(false);
    const parsed = ClusterRecordView.parse(answer);
    expect(parsed.spec).toMatchObject({ size: 1, futureField: true });
    expect(parsed.status).toEqual({ phase: 'Healthy', nodesReady: 1 });
  });

  it('still checks the size and the status fields it reads', () => {
    expect(ClusterRecordView.safeParse(cluster({ size: 'one' })).success).toBe(false);
    expect(ClusterRecordView.safeParse(cluster({}, { nodesReady: -1 })).success).toBe(false);
  });
});

describe('ResourceRecordView', () => {
  it('reads a record whose status does not parse, leaving the status to ResourceRecordStatus', () => {
    const record = { kind: 'QdrantClusterSnapshot', name: 'b', clusterId: 'c', spec: {}, origin: 'region', status: 42 };
    expect(ResourceRecordView.parse(record).name).toBe('b');
    expect(ResourceRecordStatus.safeParse(record.status).success).toBe(false);
    expect(ResourceRecordStatus.safeParse({ phase: 'Succeeded', extra: 1 }).success).toBe(true);
  });
});
