// The recorder's queue, against a client double whose answers the test releases one by one:
// what record() does while the apiserver has not answered yet is the point.
import { describe, expect, it } from 'vitest';
import { EventRecorder, KubeApiError, type EventInput, type KubeClient, type KubeObject } from '../src/index.ts';

interface Sent {
  verb: 'create' | 'patch';
  body: Record<string, unknown>;
  answer: (error?: Error) => void;
}

/** A client whose every create and patch waits until the test answers it. */
function heldClient() {
  const sent: Sent[] = [];
  let arrived: (() => void) | undefined;
  const hold = (verb: Sent['verb'], body: Record<string, unknown>) =>
    new Promise<KubeObject>((resolve, reject) => {
      sent.push({ verb, body, answer: (error) => (error ? reject(error) : resolve(body as unknown as KubeObject)) });
      arrived?.();
    });
  const client = {
    create: (object: KubeObject) => hold('create', object as unknown as Record<string, unknown>),
    patch: (_ref: unknown, patch: Record<string, unknown>) => hold('patch', patch),
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

describe('EventRecorder queue', () => {
  it('returns before the event is sent, sends one at a time in order, and folds a repeat queued behind its first', async () => {
    const { client, sent, untilSent } = heldClient();
    const recorder = new EventRecorder(client, { controller: 'c', instance: 'i' });
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

  it('drops what does not fit in the queue, and goes on past an event the apiserver refuses', async () => {
    const { client, sent, untilSent } = heldClient();
    const unsent: Array<[string, string]> = [];
    const recorder = new EventRecorder(client, {
      controller: 'c',
      instance: 'i',
      maxQueued: 2,
      onUnsent: (input, why) => unsent.push([input.reason, why instanceof Error ? why.message : why]),
    });
    // The first is being sent, two wait; the fourth finds the queue full.
    for (const reason of ['A', 'B', 'C', 'D']) recorder.record(subject, event(reason));
    await untilSent(1);
    expect(unsent).toEqual([['D', 'queue-full']]);
    sent[0]!.answer(new KubeApiError({ method: 'POST', path: '/apis/events.k8s.io/v1', status: 422, body: { message: 'Event is invalid' } }));
    await untilSent(2);
    sent[1]!.answer();
    await untilSent(3);
    sent[2]!.answer();
    await recorder.flush();
    expect(sent.map((s) => s.body.reason)).toEqual(['A', 'B', 'C']);
    expect(unsent[1]?.[0]).toBe('A');
  });

  it('takes nothing once stopped, and stop gives up on a queue not sent within its time', async () => {
    const { client, sent, untilSent } = heldClient();
    const unsent: string[] = [];
    const recorder = new EventRecorder(client, { controller: 'c', instance: 'i', onUnsent: (input, why) => unsent.push(`${input.reason}: ${String(why)}`) });
    recorder.record(subject, event('Held'));
    await untilSent(1);
    await recorder.stop(10);
    recorder.record(subject, event('Late'));
    expect(unsent).toEqual(['Late: stopped']);
    sent[0]!.answer();
    await recorder.flush();
    expect(sent).toHaveLength(1);
  });
});
