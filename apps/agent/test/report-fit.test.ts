import { describe, expect, it } from 'vitest';
import { fitReport } from '../src/report-fit.ts';

describe('fitReport', () => {
  it('cuts free text the region produced to the contract limit instead of losing the report', () => {
    const message = 'x'.repeat(100_000);
    const fitted = fitReport({
      appliedRevision: 3,
      region: { phase: 'Error', message, installation: { managedBy: 'agent', upToDate: false, desiredHash: 'h', message } },
      clusters: [{ id: 'a', phase: 'Failed', reason: message }],
    });
    expect(fitted.error?.issues ?? []).toEqual([]);
    const data = fitted.data!;
    expect(data.region?.message?.length).toBe(4096);
    expect(data.region?.message?.endsWith('…')).toBe(true);
    expect(data.region?.installation?.message?.length).toBe(4096);
    expect(JSON.stringify(data.clusters[0]).length).toBeLessThan(5000);
  });

  it('drops undefined values as JSON would', () => {
    expect(fitReport({ region: { phase: 'Ready', message: undefined }, clusters: [{ id: 'a', phase: 'Healthy', version: undefined }] }).success).toBe(true);
  });

  it('still refuses what cutting cannot fix, naming the field', () => {
    const fitted = fitReport({ appliedRevision: -1, clusters: [] });
    expect(fitted.success).toBe(false);
    expect(fitted.error!.issues[0]!.path).toEqual(['appliedRevision']);
  });
});
