import { afterEach, describe, expect, it } from 'vitest';
import { Informer, type KubeClient, type KubeObject } from '../src/index.ts';
import { FakeClock } from './fake-clock.ts';

// The informer's write-through (Informer.wrote, src/write-through.ts) against a scripted
// apiserver: the list and the watch stream are the test's, line by line, so an event can be
// made to arrive before or after a write's answer.

type Line = { line: string; done: () => void };

/** A list and one watch stream at a time, fed by send(); a watch that ends is opened again after a relist. */
class ScriptedApi {
  items: KubeObject[] = [];
  listVersion = '1';
  lists = 0;
  private lines: Line[] = [];
  private wake: (() => void) | undefined;
  private watchOpened: (() => void) | undefined;

  readonly client = {
    resource: async () => ({ apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true }),
    list: async (_ref: unknown, options: { map: (o: KubeObject) => KubeObject; each: (o: KubeObject) => void }) => {
      this.lists++;
      for (const item of this.items) options.each(options.map(structuredClone(item)));
      return { metadata: { resourceVersion: this.listVersion }, items: [] };
    },
    transport: {
      raw: async (_method: string, _path: string, options: { signal: AbortSignal }) => {
        this.watchOpened?.();
        return { status: 200, response: { body: this.stream(options.signal) } };
      },
    },
  } as unknown as KubeClient;

  /** Resolves once the informer has handled the event (it asks for the next chunk only then). */
  send(type: string, object: KubeObject | Record<string, unknown>): Promise<void> {
    return new Promise((done) => {
      this.lines.push({ line: JSON.stringify({ type, object }), done });
      this.wake?.();
    });
  }

  /** Resolves when the next watch opens (after a relist). */
  nextWatch(): Promise<void> {
    return new Promise((resolve) => (this.watchOpened = resolve));
  }

  private async *stream(signal: AbortSignal): AsyncGenerator<Uint8Array> {
    const encoder = new TextEncoder();
    while (!signal.aborted) {
      const next = this.lines.shift();
      if (!next) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        continue;
      }
      try {
        yield encoder.encode(`${next.line}\n`);
      } finally {
        next.done();
      }
    }
  }
}

const cm = (version: string, value: string, generation?: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'a', namespace: 'n', resourceVersion: version, ...(generation ? { generation } : {}) },
  data: { value },
});
const KEY = 'n/a';
const valueOf = (o: KubeObject | undefined) => (o as { data?: { value?: string } } | undefined)?.data?.value;

let running: Informer | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function started(writeThrough = false): Promise<{ api: ScriptedApi; informer: Informer; events: string[]; clock: FakeClock }> {
  const clock = new FakeClock();
  const api = new ScriptedApi();
  api.items = [cm('1', 'listed')];
  const events: string[] = [];
  const watched = api.nextWatch();
  const options = { resyncMs: 0, stallMs: 60 * 60_000, writeThroughMs: 60_000, writeThrough, clock };
  const informer = new Informer(api.client, { apiVersion: 'v1', kind: 'ConfigMap', ...options });
  informer.on({
    add: (o) => events.push(`add ${valueOf(o)}`),
    update: (o, old) => events.push(`update ${valueOf(old)}->${valueOf(o)}`),
    delete: (o) => events.push(`delete ${valueOf(o)}`),
  });
  running = informer;
  informer.start();
  await informer.waitForSync();
  await watched;
  return { api, informer, events, clock };
}

describe('Informer write-through', () => {
  it('keeps our write over older watch events until its own event, then takes the watch again', async () => {
    const { api, informer, events } = await started();
    informer.wrote(cm('3', 'ours'));
    expect(valueOf(informer.get(KEY)), 'the write is read at once').toBe('ours');
    expect(events, 'no handler for the write itself').toEqual(['add listed']);

    // Another's change before our write: handlers hear of it, the cache keeps the newer write.
    await api.send('MODIFIED', cm('2', 'theirs-before'));
    expect(valueOf(informer.get(KEY))).toBe('ours');
    expect(events.at(-1)).toBe('update listed->theirs-before');

    // Our write's own event clears the mark: what comes after it is newer and is taken.
    await api.send('MODIFIED', cm('3', 'ours'));
    expect(informer.get(KEY)?.metadata.resourceVersion).toBe('3');
    await api.send('MODIFIED', cm('4', 'theirs-after'));
    expect(valueOf(informer.get(KEY))).toBe('theirs-after');
    expect(events.slice(-2)).toEqual(['update theirs-before->ours', 'update ours->theirs-after']);
  });

  it('applies a delete while a write is pending', async () => {
    const { api, informer, events } = await started();
    informer.wrote(cm('3', 'ours'));
    await api.send('DELETED', cm('2', 'gone'));
    expect(informer.get(KEY)).toBeUndefined();
    expect(events.at(-1)).toBe('delete gone');
    // A write answered after the delete's event does not bring the object back.
    informer.wrote(cm('3', 'ours'));
    expect(informer.get(KEY)).toBeUndefined();
  });

  it('takes a relist over a pending write, and the watch after it', async () => {
    const { api, informer } = await started();
    informer.wrote(cm('3', 'ours'));
    api.items = [cm('5', 'relisted')];
    api.listVersion = '5';
    const rewatched = api.nextWatch();
    await api.send('ERROR', { code: 410, reason: 'Expired', message: 'too old' });
    await rewatched;
    expect(api.lists).toBe(2);
    expect(valueOf(informer.get(KEY))).toBe('relisted');
    // No mark is left to hold back what the new watch brings (the write's event never comes).
    await api.send('MODIFIED', cm('6', 'after-relist'));
    expect(valueOf(informer.get(KEY))).toBe('after-relist');
  });

  it('ignores a write answered after the watch delivered it and something newer', async () => {
    const { api, informer } = await started();
    // An earlier write and its event: versions are remembered from an informer's first write on.
    informer.wrote(cm('2', 'first'));
    await api.send('MODIFIED', cm('2', 'first'));
    await api.send('MODIFIED', cm('3', 'ours'));
    await api.send('MODIFIED', cm('4', 'theirs'));
    informer.wrote(cm('3', 'ours'));
    expect(valueOf(informer.get(KEY))).toBe('theirs');
    await api.send('MODIFIED', cm('5', 'theirs-again'));
    expect(valueOf(informer.get(KEY))).toBe('theirs-again');
  });

  it('gives a write whose event never comes up after the bound: the last watched version is back, handlers told', async () => {
    const { api, informer, events, clock } = await started();
    informer.wrote(cm('3', 'ours'));
    await api.send('MODIFIED', cm('4', 'theirs'));
    expect(valueOf(informer.get(KEY))).toBe('ours');
    await clock.advance(60_000);
    expect(valueOf(informer.get(KEY))).toBe('theirs');
    expect(events.at(-1)).toBe('update ours->theirs');
  });
});

describe('Informer write-through: writes in flight, relists, stop', () => {
  it('two writes in flight for one key, another change between: handlers see the watch from before the first', async () => {
    const { api, informer, events } = await started();
    informer.wrote(cm('2', 'finalizer'));
    informer.wrote(cm('4', 'status'));
    await api.send('MODIFIED', cm('2', 'finalizer'));
    await api.send('MODIFIED', cm('3', 'theirs'));
    expect(valueOf(informer.get(KEY)), 'the later write is held').toBe('status');
    await api.send('MODIFIED', cm('4', 'status'));
    await api.send('MODIFIED', cm('5', 'after'));
    expect(valueOf(informer.get(KEY))).toBe('after');
    expect(events).toEqual(['add listed', 'update listed->finalizer', 'update finalizer->theirs', 'update theirs->status', 'update status->after']);
  });

  it('a delete forgets the pending write: the object created again is taken from its first event', async () => {
    const { api, informer } = await started();
    informer.wrote(cm('3', 'ours'));
    await api.send('DELETED', cm('2', 'gone'));
    await api.send('ADDED', cm('7', 'new'));
    expect(valueOf(informer.get(KEY))).toBe('new');
    await api.send('MODIFIED', cm('8', 'new2'));
    expect(valueOf(informer.get(KEY))).toBe('new2');
  });

  it('a write answered after a relist that listed something newer is ignored, and nothing is held', async () => {
    const { api, informer, clock } = await started();
    informer.wrote(cm('2', 'earlier'));
    await api.send('MODIFIED', cm('2', 'earlier'));
    // Our next write is committed at 3, another's at 4; the watch then expires.
    await api.send('MODIFIED', cm('3', 'ours'));
    await api.send('MODIFIED', cm('4', 'theirs'));
    api.items = [cm('4', 'theirs')];
    api.listVersion = '4';
    const rewatched = api.nextWatch();
    await api.send('ERROR', { code: 410, reason: 'Expired', message: 'too old' });
    await rewatched;
    informer.wrote(cm('3', 'ours')); // its answer read only now
    expect(valueOf(informer.get(KEY))).toBe('theirs');
    await api.send('MODIFIED', cm('5', 'theirs-spec'));
    expect(valueOf(informer.get(KEY)), 'taken at once, not after the bound').toBe('theirs-spec');
    await clock.advance(60_000);
    expect(valueOf(informer.get(KEY))).toBe('theirs-spec');
  });

  it('writeThrough: the first write answered after its event and another is found older', async () => {
    const { api, informer } = await started(true);
    await api.send('MODIFIED', cm('2', 'ours'));
    await api.send('MODIFIED', cm('3', 'theirs'));
    informer.wrote(cm('2', 'ours')); // the answer read late
    expect(valueOf(informer.get(KEY))).toBe('theirs');
    await api.send('MODIFIED', cm('4', 'theirs-spec'));
    expect(valueOf(informer.get(KEY))).toBe('theirs-spec');
  });

  it('ignores an answer of a lower generation than the cache, whatever its version', async () => {
    const { api, informer } = await started();
    // A relist that skipped our write's event (committed at 3, generation 1) lists the user's spec change.
    api.items = [cm('5', 'spec-2', 2)];
    api.listVersion = '5';
    const rewatched = api.nextWatch();
    await api.send('ERROR', { code: 410, reason: 'Expired', message: 'too old' });
    await rewatched;
    informer.wrote(cm('3', 'status-1', 1));
    expect(valueOf(informer.get(KEY))).toBe('spec-2');
    await api.send('MODIFIED', cm('6', 'spec-3', 3));
    expect(valueOf(informer.get(KEY))).toBe('spec-3');
  });

  it('stop() ends the bound: no write, before or after it, calls the handlers later', async () => {
    const { informer, events, clock } = await started();
    informer.wrote(cm('3', 'ours'));
    await informer.stop();
    informer.wrote(cm('4', 'ours-again'));
    await clock.advance(60_000);
    expect(events).toEqual(['add listed']);
  });
});
