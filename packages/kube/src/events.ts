import { createHash } from 'node:crypto';
import type { KubeClient } from './client.ts';
import { systemClock, type Clock } from './clock.ts';
import { KubeApiError } from './errors.ts';
import { formatMicroTime } from './micro-time.ts';
import type { KubeObject } from './objects.ts';

export interface EventInput {
  type: 'Normal' | 'Warning';
  /** CamelCase, machine-readable: "ScalingUp", "BackupFailed". */
  reason: string;
  /** For people, at most 1 kB. */
  note: string;
  /** What the controller did or failed to do: "Scale", "Reconcile". */
  action: string;
  related?: KubeObject;
}

function reference(object: KubeObject) {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    namespace: object.metadata.namespace,
    uid: object.metadata.uid,
    resourceVersion: object.metadata.resourceVersion,
  };
}

interface EventRecord {
  name: string;
  namespace: string;
  count: number;
}

/**
 * events.k8s.io/v1 events about objects, as `kubectl describe` and `kubectl events` show
 * them. Repeats of the same (object, type, reason, note) within the series window become
 * one event whose series.count grows, instead of a flood of events.
 */
export class EventRecorder {
  private readonly client: KubeClient;
  private readonly controller: string;
  private readonly instance: string;
  private readonly clock: Clock;
  private readonly seriesWindowMs: number;
  private readonly recent = new Map<string, EventRecord & { last: number }>();

  constructor(client: KubeClient, options: { controller: string; instance: string; clock?: Clock; seriesWindowMs?: number }) {
    this.client = client;
    this.controller = options.controller;
    this.instance = options.instance;
    this.clock = options.clock ?? systemClock;
    this.seriesWindowMs = options.seriesWindowMs ?? 10 * 60_000;
  }

  async record(regarding: KubeObject, input: EventInput): Promise<void> {
    const namespace = regarding.metadata.namespace ?? 'default';
    const note = input.note.length > 1024 ? `${input.note.slice(0, 1021)}...` : input.note;
    // Remembered by a digest, not the text: thousands of objects' notes would stay in memory.
    const identity = createHash('sha256')
      .update([regarding.metadata.uid, regarding.kind, namespace, regarding.metadata.name, input.type, input.reason, note].join('\u0000'))
      .digest('base64');
    const now = this.clock.now();
    const existing = this.recent.get(identity);
    if (existing && now - existing.last < this.seriesWindowMs) {
      existing.count++;
      existing.last = now;
      try {
        await this.client.patch(
          { apiVersion: 'events.k8s.io/v1', kind: 'Event', name: existing.name, namespace: existing.namespace },
          { series: { count: existing.count, lastObservedTime: formatMicroTime(new Date(now)) } },
        );
        return;
      } catch (error) {
        if (!(error instanceof KubeApiError && error.isNotFound)) throw error;
        // The event expired (TTL); start a new one.
      }
    }
    const name = `${regarding.metadata.name}.${createHash('sha256').update(`${identity}\u0000${now}`).digest('hex').slice(0, 16)}`;
    await this.client.create({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace },
      eventTime: formatMicroTime(new Date(now)),
      reportingController: this.controller,
      reportingInstance: this.instance,
      action: input.action,
      reason: input.reason,
      note,
      type: input.type,
      regarding: reference(regarding),
      ...(input.related ? { related: reference(input.related) } : {}),
    });
    this.recent.set(identity, { name, namespace, count: 1, last: now });
    if (this.recent.size > 4096) {
      // Forget the oldest half: the window is a nicety, not a guarantee.
      for (const key of [...this.recent.keys()].slice(0, 2048)) this.recent.delete(key);
    }
  }
}
