import { describe, expect, it } from 'vitest';
import { CRON_PATTERN, QdrantClusterRestore, QdrantClusterScheduledSnapshot, QdrantClusterSnapshot, checkCronSchedule } from '../src/crds/index.ts';
import { fixture } from './schema-coverage.ts';
import { expectOnlyIssue, expectValid, issuesOf } from './zod-issues.ts';

type Doc = { metadata: Record<string, unknown>; spec: Record<string, unknown>; status?: unknown };
const doc = (name: string) => fixture(`crds/${name}.yaml`) as Doc;

function withSpec(name: string, change: Record<string, unknown>): Doc {
  const object = doc(name);
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) delete object.spec[key];
    else object.spec[key] = value;
  }
  return object;
}

const withStatus = (status: unknown) => ({ ...doc('qdrant-cluster-snapshot-minimal'), status });
const scheduled = (schedule: string) => withSpec('qdrant-cluster-scheduled-snapshot-minimal', { schedule });

describe.each([
  ['qdrant-cluster-snapshot', QdrantClusterSnapshot],
  ['qdrant-cluster-scheduled-snapshot', QdrantClusterScheduledSnapshot],
  ['qdrant-cluster-restore', QdrantClusterRestore],
] as const)('%s examples', (name, schema) => {
  it('requires the customer-id label', () => {
    const object = doc(`${name}-minimal`);
    object.metadata.labels = { 'cluster-id': 'a7d8d973-0cc5-42de-8d7b-c29d14d24840' };
    expectOnlyIssue(schema, object, 'metadata.labels', /must have the label "customer-id"/);
  });

  it('requires the cluster-id label', () => {
    const object = doc(`${name}-minimal`);
    object.metadata.labels = { 'customer-id': 'acme' };
    expectOnlyIssue(schema, object, 'metadata.labels', /must have the label "cluster-id/);
  });
});

describe('QdrantClusterSnapshot', () => {
  it('requires the cluster-id label to equal spec.cluster-id', () => {
    const snapshot = doc('qdrant-cluster-snapshot-minimal');
    snapshot.metadata.labels = { 'cluster-id': 'other', 'customer-id': 'acme' };
    expectOnlyIssue(
      QdrantClusterSnapshot,
      snapshot,
      'metadata.labels.cluster-id',
      /must equal spec\.cluster-id \("a7d8d973-0cc5-42de-8d7b-c29d14d24840"\), got "other"/,
    );
  });

  it.each([
    [{ retention: '3d' }, 'spec.retention', /number of hours such as "72h"/],
    [{ retention: '72' }, 'spec.retention', /number of hours/],
    [{ retention: '1.5h' }, 'spec.retention', /number of hours/],
    [{ scheduleShortId: 'abcdefghi' }, 'spec.scheduleShortId', /<=8|at most 8|too big/i],
    [{ 'creation-timestamp': '2026-11-20' }, 'spec.creation-timestamp', /expected (int|number)/],
    [{ 'cluster-id': undefined }, 'spec.cluster-id', /expected string/],
    [{ clusterId: 'x' }, 'spec', /clusterId/],
  ] as const)('refuses %j', (change, path, message) => {
    expectOnlyIssue(QdrantClusterSnapshot, withSpec('qdrant-cluster-snapshot-minimal', change), path, message);
  });

  it('keeps a snapshot without retention (never deleted)', () => {
    expectValid(QdrantClusterSnapshot, withSpec('qdrant-cluster-snapshot-minimal', { retention: undefined }));
  });

  it('checks status: phase, volume snapshots and times', () => {
    expectOnlyIssue(QdrantClusterSnapshot, withStatus({ phase: 'Done' }), 'status.phase', /Succeeded/);
    expectOnlyIssue(
      QdrantClusterSnapshot,
      withStatus({ volumeSnapshots: [{ volumeSnapshotName: 's' }] }),
      'status.volumeSnapshots[0].volumeName',
      /expected string/,
    );
    expectOnlyIssue(QdrantClusterSnapshot, withStatus({ retainUntil: 'tomorrow' }), 'status.retainUntil', /RFC 3339/);
    expectOnlyIssue(
      QdrantClusterSnapshot,
      withStatus({ volumeSnapshots: [{ volumeSnapshotName: 's', volumeName: 'v', error: { time: 'now' } }] }),
      'status.volumeSnapshots[0].error.time',
      /RFC 3339/,
    );
  });
});

describe('QdrantClusterScheduledSnapshot', () => {
  it.each(['0 2 * * *', '*/15 * * * *', '0 0 1,15 * *', '0 9-17 * * 1-5', '30 0 2 * * *', '@hourly', '@yearly', '@annually', '@every 6h', '@every 1h30m'])(
    'accepts the schedule %j',
    (schedule) => {
      expectValid(QdrantClusterScheduledSnapshot, scheduled(schedule));
      expect(CRON_PATTERN.test(schedule), 'upstream pattern').toBe(true);
    },
  );

  it.each([
    ['61 * * * *', /minute "61" must be 0-59/],
    ['0 24 * * *', /hour "24" must be 0-23/],
    ['0 0 0 * *', /day of month "0" must be 1-31/],
    ['0 0 * 13 *', /month "13" must be 1-12/],
    ['0 0 * * 8', /day of week "8" must be 0-7/],
    ['0 5-2 * * *', /range "5-2" runs backwards/],
    ['*/0 * * * *', /step "0" must be a positive number/],
    ['0 2 *', /must have 5 fields/],
    ['0 2 * * * * *', /must have 5 fields/],
    ['0  2 * * *', /single spaces/],
    ['@fortnightly', /unknown descriptor "@fortnightly"/],
    ['@reboot', /"@reboot" has no meaning/],
    ['@every 30s', /at least one minute/],
    ['0 2 * * MON', /day of week "MON" must be 0-7/],
    ['0 2 ? * *', /day of month "\?" must be 1-31/],
    ['@daily ', /must not start or end with spaces/],
  ])('refuses the schedule %j', (schedule, message) => {
    expectOnlyIssue(QdrantClusterScheduledSnapshot, scheduled(schedule), 'spec.schedule', message);
  });

  it("refuses what upstream's pattern refuses even when the values are in range", () => {
    // Ranges with steps and lists of ranges: robfig/cron reads them, upstream's CRD refuses them.
    for (const schedule of ['0 1-5/2 * * *', '0 1-3,5 * * *']) {
      expect(CRON_PATTERN.test(schedule)).toBe(false);
      expect(checkCronSchedule(schedule)).toBeUndefined();
      expectOnlyIssue(QdrantClusterScheduledSnapshot, scheduled(schedule), 'spec.schedule', /use numbers, "\*", ",", "-" and "\/" only/);
    }
  });

  it.each([
    [{ scheduleShortId: undefined }, 'spec.scheduleShortId', /expected string/],
    [{ scheduleShortId: 'too-long-id' }, 'spec.scheduleShortId', /<=8|at most 8|too big/i],
    [{ retention: undefined }, 'spec.retention', /expected string/],
    [{ retention: '1w' }, 'spec.retention', /number of hours/],
    [{ schedule: undefined }, 'spec.schedule', /expected string/],
  ] as const)('refuses %j', (change, path, message) => {
    expectOnlyIssue(QdrantClusterScheduledSnapshot, withSpec('qdrant-cluster-scheduled-snapshot-minimal', change), path, message);
  });

  it('requires the cluster-id label to equal spec.cluster-id', () => {
    const object = doc('qdrant-cluster-scheduled-snapshot-minimal');
    object.metadata.labels = { 'cluster-id': 'b', 'customer-id': 'acme' };
    expectOnlyIssue(QdrantClusterScheduledSnapshot, object, 'metadata.labels.cluster-id', /must equal spec\.cluster-id/);
  });

  it('checks status', () => {
    const object = { ...doc('qdrant-cluster-scheduled-snapshot-minimal'), status: { phase: 'Paused' } };
    expectOnlyIssue(QdrantClusterScheduledSnapshot, object, 'status.phase', /Active|Disabled/);
  });
});

describe('QdrantClusterRestore', () => {
  it('leaves destination.create unset in the minimal example (in place)', () => {
    const parsed = QdrantClusterRestore.parse(doc('qdrant-cluster-restore-minimal'));
    expect(parsed.spec.destination.create).toBeUndefined();
  });

  it.each([
    [{ destination: undefined }, 'spec.destination', /expected object/],
    [{ source: { snapshotName: 's' } }, 'spec.source.namespace', /expected string/],
    [{ source: { snapshotName: 'S_1', namespace: 'qdrant' } }, 'spec.source.snapshotName', /RFC 1123 subdomain/],
    [{ destination: { name: 'qdrant-x', namespace: 'a.b' } }, 'spec.destination.namespace', /RFC 1123 label/],
    [{ destination: { name: 'qdrant-x', namespace: 'q', create: 'yes' } }, 'spec.destination.create', /expected boolean/],
  ] as const)('refuses %j', (change, path, message) => {
    expectOnlyIssue(QdrantClusterRestore, withSpec('qdrant-cluster-restore-minimal', change), path, message);
  });

  it('checks the status phase', () => {
    expectValid(QdrantClusterRestore, { ...doc('qdrant-cluster-restore-minimal'), status: { phase: 'Pending' } });
    expectOnlyIssue(QdrantClusterRestore, { ...doc('qdrant-cluster-restore-minimal'), status: { phase: 'Queued' } }, 'status.phase', /Pending/);
  });

  it('reports both mandatory labels when there are none', () => {
    const object = doc('qdrant-cluster-restore-minimal');
    delete object.metadata.labels;
    expect(issuesOf(QdrantClusterRestore, object).map((i) => i.path)).toEqual(['metadata.labels', 'metadata.labels']);
  });
});
