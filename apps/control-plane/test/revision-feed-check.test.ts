// A listening connection that dies silently (a NAT or firewall dropped it: no FIN, no reset) is
// found by the feed's periodic check: a TCP proxy in front of PostgreSQL stops forwarding the
// connection's bytes without closing it, and the feed counts it lost (every waiter is told to
// look), listens again on a new connection, and hears notices there.
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, expect, inject, it, vi } from 'vitest';
import { postgresRevisionFeed, REVISION_CHANNEL } from '../src/db/postgres-feed.ts';
import type { FeedNotice } from '../src/db/revision-feed.ts';
import { createTestDatabase } from './support/postgres.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.toReversed()) await cleanup();
});

/** A TCP proxy to `target` whose open connections can be frozen: their bytes stop, both ways, and nothing closes. */
async function freezableProxy(target: URL) {
  const open = new Set<[Socket, Socket]>();
  const frozen: Array<[Socket, Socket]> = [];
  const server = createServer((inbound) => {
    const outbound = connect(Number(target.port), target.hostname);
    const pair: [Socket, Socket] = [inbound, outbound];
    open.add(pair);
    inbound.pipe(outbound).pipe(inbound);
    for (const socket of pair) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        open.delete(pair);
        for (const other of pair) other.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const pair of [...open, ...frozen]) for (const socket of pair) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    port: (server.address() as AddressInfo).port,
    /** Freezes the connections open now: what a silently dropped connection looks like to both ends. */
    freeze(): number {
      for (const [inbound, outbound] of open) {
        inbound.unpipe(outbound);
        outbound.unpipe(inbound);
        inbound.pause();
        outbound.pause();
        frozen.push([inbound, outbound]);
      }
      const count = open.size;
      open.clear();
      return count;
    },
  };
}

it('a listening connection that stops answering is found by the check, counted lost, and replaced', async () => {
  const database = new URL(await createTestDatabase(inject('postgresUrl'), `feed_check_${process.pid}_${Math.random().toString(36).slice(2, 8)}`));
  const proxy = await freezableProxy(database);
  const proxied = new URL(database);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  const warned: string[] = [];
  // Checked often so the test is short; the defaults are 30 s and 5 s.
  const feed = postgresRevisionFeed(proxied.toString(), { warn: (message) => warned.push(message) }, { checkMs: 100, checkTimeoutMs: 500 });
  cleanups.push(() => feed.close());
  const heard: FeedNotice[] = [];
  feed.subscribe((notice) => heard.push(notice));
  await vi.waitFor(() => expect(feed.live).toBe(true), { timeout: 10_000 });
  const epoch = feed.epoch;
  heard.length = 0;
  expect(proxy.freeze()).toBe(1);
  // Only the check can tell: the frozen connection neither fails nor closes.
  await vi.waitFor(() => expect(warned).toContain('the database connection listening for revisions was lost; connecting again'), { timeout: 10_000 });
  await vi.waitFor(() => expect(feed.live && feed.epoch).toBe(epoch + 1), { timeout: 10_000 });
  // Told once when lost and once when listening again: notices meanwhile may have been missed.
  expect(heard).toEqual(['all', 'all']);
  const notifier = new pg.Client({ connectionString: database.toString() });
  await notifier.connect();
  cleanups.push(() => notifier.end());
  await notifier.query('SELECT pg_notify($1, $2)', [REVISION_CHANNEL, 'region-1:5']);
  await vi.waitFor(() => expect(heard).toContainEqual({ regionId: 'region-1', revision: 5 }));
});
