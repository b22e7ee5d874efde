import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { waitFor } from '@qhc/kube-sandbox';
import { describe, expect, it } from 'vitest';
import { LeaderElector } from '../src/index.ts';
import { clientFor } from './helpers.ts';

const sandbox = useSandboxNamespace('kube-lease');

const timing = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 250 };

/** A request on a black-holed socket: it ends only when its caller gives up. */
const hang = (signal?: AbortSignal) =>
  new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));

/** Lease reads and successful writes (acquisitions, renewals) of one candidate: proof its loop ran. */
interface LeaseTraffic {
  reads: number;
  writes: number;
}

function counting(traffic: LeaseTraffic) {
  const client = clientFor(sandbox.kubeconfigPath);
  return Object.assign(Object.create(client) as typeof client, {
    get: (ref: Parameters<typeof client.get>[0], options?: { signal?: AbortSignal }) => {
      traffic.reads++;
      return client.get(ref, options);
    },
    replace: async (object: Parameters<typeof client.replace>[0], options?: { signal?: AbortSignal }) => {
      const updated = await client.replace(object, options);
      traffic.writes++;
      return updated;
    },
  });
}

function candidate(identity: string, log: string[], traffic: LeaseTraffic = { reads: 0, writes: 0 }) {
  return new LeaderElector(counting(traffic), {
    namespace: sandbox.namespace,
    name: 'qhc-operator',
    identity,
    ...timing,
    onStartedLeading: () => void log.push(`${identity} leads`),
    onStoppedLeading: () => void log.push(`${identity} stopped`),
  });
}

describe('LeaderElector', () => {
  it('elects exactly one leader; when it stops renewing the other takes over within the lease duration', async () => {
    const log: string[] = [];
    const traffic = { a: { reads: 0, writes: 0 }, b: { reads: 0, writes: 0 } };
    const a = candidate('a', log, traffic.a);
    const b = candidate('b', log, traffic.b);
    a.start();
    b.start();
    try {
      const first = await waitFor('a leader', async () => (a.isLeader || b.isLeader ? (a.isLeader ? a : b) : undefined), { timeoutMs: 10_000 });
      const second = first === a ? b : a;
      // Several renew periods later there is still exactly one: the leader renewed and the other
      // read the Lease at least three times more while no poll saw two leaders.
      const [led, waited] = first === a ? [traffic.a, traffic.b] : [traffic.b, traffic.a];
      const since = { writes: led.writes, reads: waited.reads };
      const leaderCounts: number[] = [];
      await waitFor(
        'three renewals and three attempts by the other',
        async () => {
          leaderCounts.push([a.isLeader, b.isLeader].filter(Boolean).length);
          return led.writes >= since.writes + 3 && waited.reads >= since.reads + 3 ? true : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 50 },
      );
      expect(leaderCounts.every((n) => n === 1)).toBe(true);
      expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1);
      expect(second.leader).toBe(first === a ? 'a' : 'b');

      // The leader "crashes": it stops renewing and does not release the Lease.
      const crashedAt = Date.now();
      await first.stop({ release: false });
      await waitFor('the other candidate to lead', async () => (second.isLeader ? true : undefined), { timeoutMs: 10_000, intervalMs: 50 });
      const takeoverMs = Date.now() - crashedAt;
      expect(takeoverMs).toBeLessThanOrEqual(timing.leaseDurationMs + 2 * timing.retryPeriodMs + 500);

      const lease = await clientFor(sandbox.kubeconfigPath).get<{
        apiVersion: string;
        kind: string;
        metadata: { name: string };
        spec: { holderIdentity: string; leaseTransitions: number; renewTime: string };
      }>({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: sandbox.namespace, name: 'qhc-operator' });
      expect(lease?.spec.holderIdentity).toBe(second === a ? 'a' : 'b');
      expect(lease?.spec.leaseTransitions).toBe(1);
      expect(lease?.spec.renewTime).toMatch(/\.\d{6}Z$/);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});

describe('LeaderElector: release and stalled renewals', () => {
  it('hands over at once when the leader releases the Lease on stop', async () => {
    const log: string[] = [];
    const c = new LeaderElector(clientFor(sandbox.kubeconfigPath), {
      namespace: sandbox.namespace,
      name: 'release-test',
      identity: 'c',
      ...timing,
      onStartedLeading: () => void log.push('c leads'),
    });
    c.start();
    await waitFor('c to lead', async () => (c.isLeader ? true : undefined), { timeoutMs: 10_000 });
    await c.stop();
    const d = new LeaderElector(clientFor(sandbox.kubeconfigPath), {
      namespace: sandbox.namespace,
      name: 'release-test',
      identity: 'd',
      ...timing,
      leaseDurationMs: 60_000,
      renewDeadlineMs: 2_000,
      onStartedLeading: () => void log.push('d leads'),
    });
    d.start();
    try {
      // Well before c's lease (3 s) could have expired by time alone.
      await waitFor('d to lead', async () => (d.isLeader ? true : undefined), { timeoutMs: 2_500 });
      expect(log).toEqual(['c leads', 'd leads']);
    } finally {
      await d.stop();
    }
  });

  it('a leader whose renewals hang (a stalled network) steps down by the renew deadline', async () => {
    const client = clientFor(sandbox.kubeconfigPath);
    let stalled = false;
    // Once stalled, every Lease request hangs.
    const stalling = Object.assign(Object.create(client) as typeof client, {
      get: (ref: Parameters<typeof client.get>[0], options?: { signal?: AbortSignal }) => (stalled ? hang(options?.signal) : client.get(ref, options)),
      replace: (object: Parameters<typeof client.replace>[0], options?: { signal?: AbortSignal }) =>
        stalled ? hang(options?.signal) : client.replace(object, options),
    });
    const log: string[] = [];
    const e = new LeaderElector(stalling, {
      namespace: sandbox.namespace,
      name: 'stall-test',
      identity: 'e',
      ...timing,
      onStartedLeading: () => void log.push('e leads'),
      onStoppedLeading: () => void log.push('e stopped'),
    });
    e.start();
    try {
      await waitFor('e to lead', async () => (e.isLeader ? true : undefined), { timeoutMs: 10_000 });
      stalled = true;
      const stalledAt = Date.now();
      await waitFor('e to step down', async () => (e.isLeader ? undefined : true), { timeoutMs: timing.leaseDurationMs, intervalMs: 50 });
      // Before the Lease can expire for the others: never two leaders.
      expect(Date.now() - stalledAt).toBeLessThan(timing.leaseDurationMs);
      expect(log).toEqual(['e leads', 'e stopped']);
    } finally {
      stalled = false;
      await e.stop();
    }
  });
});
