// bench/agents.ts's measurements, each over a running fleet: the database's statements while
// idle, change → agent's answer latency, and GetCluster/ListClusters latency under a read load.
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile, type Replica, type SimulatedAgent } from './fleet.ts';
import type { Clients, World } from './seed.ts';

const ms = (value: number | undefined) => (value === undefined ? undefined : Math.round(value * 10) / 10);

/** Statements per second all replicas ran (their own count), and PostgreSQL's transactions per second (when `xacts` reads them), over `seconds` of idling. */
export async function idleRates(replicas: Replica[], seconds: number, xacts?: () => Promise<number>) {
  const count = async () => (await Promise.all(replicas.map((r) => r.stats()))).reduce((sum, s) => sum + s.queries, 0);
  const [q0, x0] = [await count(), await xacts?.()];
  await sleep(seconds * 1000);
  const [q1, x1] = [await count(), await xacts?.()];
  // The second read of pg_stat_database is a transaction of its own.
  return { statementsPerS: (q1 - q0) / seconds, pgXactPerS: x0 === undefined || x1 === undefined ? undefined : Math.max(0, x1 - x0 - 1) / seconds };
}

/** Changes one cluster at a time (through a replica other than its agent's when there are several) and times until its agent's long-poll answers the new revision. */
export async function changeLatencies(world: World, agents: SimulatedAgent[], clients: Clients[], accountId: string, options: object, changes: number) {
  const nodes = new Map<string, number>();
  const samples: number[] = [];
  let missed = 0;
  for (let i = 0; i < changes; i++) {
    const cluster = world.clusters[Math.floor(Math.random() * world.clusters.length)]!;
    const agent = agents[cluster.region]!;
    const via = (cluster.region + 1 + Math.floor(Math.random() * Math.max(1, clients.length - 1))) % clients.length;
    const answered = agent.answerAfter(agent.after);
    const n = (nodes.get(cluster.id) ?? 1) + 1;
    nodes.set(cluster.id, n);
    const started = performance.now();
    await clients[via]!.clusters.updateCluster(
      { cluster: { id: cluster.id, accountId, configuration: { numberOfNodes: n } }, updateMask: { paths: ['configuration.number_of_nodes'] } },
      options,
    );
    const at = await Promise.race([answered, sleep(10_000).then(() => undefined)]);
    if (at === undefined) missed++;
    else samples.push(at - started);
  }
  return { p50Ms: ms(percentile(samples, 0.5)), p99Ms: ms(percentile(samples, 0.99)), missed };
}

/** GetCluster and ListClusters (the first page) alternately at `rps` for `seconds`, open loop, spread over the replicas. */
export async function readLoad(world: World, clients: Clients[], accountId: string, options: object, rps: number, seconds: number) {
  const get: number[] = [];
  const list: number[] = [];
  let errors = 0;
  const inflight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < rps * seconds; i++) {
    const wait = started + (i * 1000) / rps - performance.now();
    if (wait > 0) await sleep(wait);
    const { clusters } = clients[i % clients.length]!;
    const t0 = performance.now();
    const clusterId = world.clusters[Math.floor(Math.random() * world.clusters.length)]!.id;
    const call = i % 2 === 0 ? clusters.getCluster({ accountId, clusterId }, options) : clusters.listClusters({ accountId }, options);
    const into = i % 2 === 0 ? get : list;
    inflight.push(call.then(() => void into.push(performance.now() - t0)).catch(() => void errors++));
  }
  await Promise.all(inflight);
  const elapsedS = (performance.now() - started) / 1000;
  return {
    getP99Ms: ms(percentile(get, 0.99)),
    listP99Ms: ms(percentile(list, 0.99)),
    achievedRps: Math.round((get.length + list.length) / elapsedS),
    requests: get.length + list.length,
    errors,
  };
}
