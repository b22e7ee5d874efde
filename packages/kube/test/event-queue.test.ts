// The recorder's queue, against a client double whose answers the test releases one by one:
// what record() does while the apiserver has not answered yet is the point.
import { describe, expect, it } from 'vitest';
import { EventRecorder, KubeApiError, type EventInput, type EventRecorderOptions, type KubeClient, type KubeObject } from '../src/index.ts';
import { FakeClock } from './fake-clock.ts';

interface Sent {
  verb: 'create' | 'patch';
  body: Record<string, unknown>;
  answer: (error?: Error) => void;
}

/** A client whose every create and patch waits until the test answers it (or its signal aborts). */
function heldClient() {
  const sent: Sent[] = [];
  let arrived: (() => void) | undefined;
  const hold = (verb: Sent['verb'], body: Record<string, unknown>, signal?: AbortSignal) =>
    new Promise<KubeObject>((resolve, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      sent.push({ verb, body, answer: (error) => (error ? reject(error) : resolve(body as unknown as KubeObject)) });
      arrived?.();
    });
  const client = {
    create: (object: KubeObject, options?: { signal?: AbortSignal }) => hold('create', object as unknown as Record<string, unknown>, options?.signal),
    patch: (_ref: unknown, patch: Record<string, unknown>, options?: { signal?: AbortSignal }) => hold('patch', patch, options?.signal),
  } as unknown as KubeClient;
  /** Resolves once `count` requests have been sent in all. */
  const untilSent = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => (sent.length >= count ? resolve() : (arrived = check));
      check();
    });
  return { client, sent, untilSent };
}

const subject: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'subject', namespace: 'ns', uid: 'u1' } };
const event = (reason: string): EventInput => ({ type: 'Normal', reason, note: reason, action: 'Reconcile' });
const apiError = (status: number, message: string) => new KubeApiError({ method: 'POST', path: '/apis/events.k8s.io/v1', status, body: { message } });

/** A recorder on a held client, with what it could not record as "reason: why". */
function recorderOn(options: Partial<EventRecorderOptions> = {}) {
  const held = heldClient();
  const unsent: string[] = [];
  const recorder = new EventRecorder(held.client, {
    controller: 'c',
    instance: 'i',
    onUnsent: (input, why) => unsent.push(`${input.reason}: ${why instanceof Error ? why.message : why}`),
    ...options,
  });
  return { ...held, recorder, unsent };
}

describe('EventRecorder queue', () => {
  it('returns before the event is sent, sends one at a time in order, and folds a repeat queued behind its first', async () => {
    const { recorder, sent, untilSent } = recorderOn();
    recorder.record(subject, event('First'));
    recorder.record(subject, event('Second'));
    recorder.record(subject, event('Second'));
    await untilSent(1);
    expect(sent.map((s) => s.body.reason)).toEqual(['First']);
    sent[0]!.answer();
    await untilSent(2);
    expect(sent[1]!.body.reason).toBe('Second');
    sent[1]!.answer();
    await untilSent(3);
    // The repeat became a series on the event just created, not an event of its own.
    expect(sent[2]).toMatchObject({ verb: 'patch', body: { series: { count: 2 } } });
    sent[2]!.answer();
    await recorder.flush();
    expect(sent).toHaveLength(3);
  });

  it('sends an event recorded in any turn after the last answer, and flush waits for it', async () => {
    // record() lands at a different microtask after the answer each round: one of them falls
    // between the sender finding the queue empty and its promise settling.
    for (let delay = 0; delay < 8; delay++) {
      const { recorder, sent, untilSent } = recorderOn();
      recorder.record(subject, event('A'));
      await untilSent(1);
      sent[0]!.answer();
      for (let i = 0; i < delay; i++) await Promise.resolve();
      recorder.record(subject, event('B'));
      await untilSent(2);
      sent[1]!.answer();
      await recorder.flush();
      expect(sent.map((s) => s.body.reason)).toEqual(['A', 'B']);
    }
  });

  it('drops what does not fit in the queue, gives up on a refused event at once, and goes on', async () => {
    const { recorder, sent, untilSent, unsent } = recorderOn({ maxQueued: 2 });
    // The first is being sent, two wait; the fourth finds the queue full.
    for (const reason of ['A', 'B', 'C', 'D']) recorder.record(subject, event(reason));
    await untilSent(1);
    expect(unsent).toEqual(['D: queue-full']);
    sent[0]!.answer(apiError(422, 'Event is invalid'));
    await untilSent(2);
    sent[1]!.answer();
    await untilSent(3);
    sent[2]!.answer();
    await recorder.flush();
    expect(sent.map((s) => s.body.reason)).toEqual(['A', 'B', 'C']);
    expect(unsent).toEqual(['D: queue-full', 'A: POST /apis/events.k8s.io/v1: Event is invalid']);
  });
});

describe('EventRecorder queue: retries', () => {
  it('tries an event again after an answer that may pass (429, 5xx), up to maxTries', async () => {
    const clock = new FakeClock();
    const { recorder, sent, untilSent, unsent } = recorderOn({ clock, maxTries: 3 });
    recorder.record(subject, event('A'));
    await untilSent(1);
    sent[0]!.answer(apiError(429, 'Too many requests'));
    await clock.advance(1000);
    await untilSent(2);
    sent[1]!.answer(apiError(503, 'Unavailable'));
    await clock.advance(2000);
    await untilSent(3);
    sent[2]!.answer(apiError(503, 'Unavailable'));
    await recorder.flush();
    expect(sent.map((s) => s.body.reason)).toEqual(['A', 'A', 'A']);
    expect(unsent).toEqual(['A: POST /apis/events.k8s.io/v1: Unavailable']);
  });

  it('takes a 409 on a try after no answer as the event written, so a repeat folds into it', async () => {
    const clock = new FakeClock();
    const { recorder, sent, untilSent, unsent } = recorderOn({ clock });
    recorder.record(subject, event('A'));
    recorder.record(subject, event('A'));
    await untilSent(1);
    // The first try was written, but its answer never came.
    sent[0]!.answer(new Error('socket hang up'));
    await clock.advance(1000);
    await untilSent(2);
    expect(sent[1]!.body.metadata).toEqual(sent[0]!.body.metadata);
    sent[1]!.answer(apiError(409, 'already exists'));
    await untilSent(3);
    expect(sent[2]).toMatchObject({ verb: 'patch', body: { series: { count: 2 } } });
    sent[2]!.answer();
    await recorder.flush();
    expect(unsent).toEqual([]);
  });
});

describe('EventRecorder queue: notes, a failing hook and stop', () => {
  it('cuts a note to 1 kB of UTF-8 between characters', async () => {
    const { recorder, sent, untilSent } = recorderOn();
    // Two-byte characters, then four-byte ones (surrogate pairs): cut by characters, as
    // before, it would be 1,024 of them and over 2 kB, and could end in half a pair.
    recorder.record(subject, { ...event('Long'), note: `${'é'.repeat(400)}${'🚀'.repeat(600)}` });
    await untilSent(1);
    const note = sent[0]!.body.note as string;
    expect(note).toBe(`${'é'.repeat(400)}${'🚀'.repeat(55)}...`);
    expect(Buffer.byteLength(note)).toBeLessThanOrEqual(1024);
    sent[0]!.answer();
  });

  it('survives an onUnsent that throws', async () => {
    const { recorder, sent, untilSent } = recorderOn({
      onUnsent: () => {
        throw new Error('broken hook');
      },
    });
    recorder.record(subject, event('A'));
    recorder.record(subject, event('B'));
    await untilSent(1);
    sent[0]!.answer(apiError(422, 'Event is invalid'));
    await untilSent(2);
    sent[1]!.answer();
    await recorder.flush();
    expect(sent.map((s) => s.body.reason)).toEqual(['A', 'B']);
  });

  it('once stopped takes nothing, and when its time is up gives up what is in flight and queued', async () => {
    const clock = new FakeClock();
    const { recorder, sent, untilSent, unsent } = recorderOn({ clock });
    for (const reason of ['A', 'B', 'C']) recorder.record(subject, event(reason));
    await untilSent(1);
    const stopped = recorder.stop(5000);
    recorder.record(subject, event('Late'));
    expect(unsent).toEqual(['Late: stopped']);
    sent[0]!.answer();
    await untilSent(2);
    // B is in flight when the time is up: it is aborted, and C is never sent.
    await clock.advance(5000);
    await stopped;
    expect(sent.map((s) => s.body.reason)).toEqual(['A', 'B']);
    expect(unsent).toEqual(['Late: stopped', 'B: stopped', 'C: stopped']);
  });
});
