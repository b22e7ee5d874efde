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

/** What was recorded, as it was when recorded: the object may change before it is sent. */
interface Pending {
  regarding: ReturnType<typeof reference>;
  /** Where the event goes: the object's namespace, or default for a cluster-scoped one. */
  namespace: string;
  related?: ReturnType<typeof reference>;
  input: EventInput;
  at: number;
}

export interface EventRecorderOptions {
  controller: string;
  instance: string;
  clock?: Clock;
  seriesWindowMs?: number;
  /** Events waiting to be sent beyond which new ones are dropped (default 1000). */
  maxQueued?: number;
  /** An event not sent: dropped because the queue was full or the recorder stopped, or refused by the apiserver. */
  onUnsent?: (input: EventInput, why: 'queue-full' | 'stopped' | Error, regarding: { kind: string; namespace?: string; name?: string }) => void;
}

/**
 * events.k8s.io/v1 events about objects, as `kubectl describe` and `kubectl events` show
 * them. Repeats of the same (object, type, reason, note) within the series window become
 * one event whose series.count grows, instead of a flood of events.
 *
 * record() queues and returns, as client-go's event broadcaster does: an event is a note for
 * people, and a pass should neither wait for it nor fail with it. The queue is sent one event
 * at a time, in order, so a repeat finds the event it folds into; give the recorder a client
 * of its own (its own rate limiter) and a burst of events does not take the budget of the
 * writes that converge objects. A full queue drops new events rather than growing (onUnsent
 * says so); an event the apiserver refuses is not retried.
 */
export class EventRecorder {
  private readonly client: KubeClient;
  private readonly options: EventRecorderOptions;
  private readonly clock: Clock;
  private readonly seriesWindowMs: number;
  private readonly recent = new Map<string, EventRecord & { last: number }>();
  private readonly queue: Pending[] = [];
  private sending: Promise<void> | undefined;
  private stopped = false;

  constructor(client: KubeClient, options: EventRecorderOptions) {
    this.client = client;
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.seriesWindowMs = options.seriesWindowMs ?? 10 * 60_000;
  }

  record(regarding: KubeObject, input: EventInput): void {
    const why = this.stopped ? 'stopped' : this.queue.length >= (this.options.maxQueued ?? 1000) ? 'queue-full' : undefined;
    if (why) return this.options.onUnsent?.(input, why, reference(regarding));
    const namespace = regarding.metadata.namespace ?? 'default';
    // Only references are kept while queued, not the objects.
    const { related, ...rest } = input;
    this.queue.push({ regarding: reference(regarding), namespace, related: related && reference(related), input: rest, at: this.clock.now() });
    this.sending ??= this.drain().finally(() => (this.sending = undefined));
  }

  /** Resolves once every event recorded so far has been sent (or given up on). */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
  }

  /** Takes no more events and sends those queued, for at most `timeoutMs`. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.stopped = true;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.flush(), deadline]).finally(() => clearTimeout(timer));
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      try {
        await this.send(next);
      } catch (error) {
        this.options.onUnsent?.(next.input, error instanceof Error ? error : new Error(String(error)), next.regarding);
      }
    }
  }

  private async send({ regarding, namespace, related, input, at }: Pending): Promise<void> {
    const note = input.note.length > 1024 ? `${input.note.slice(0, 1021)}...` : input.note;
    // Remembered by a digest, not the text: thousands of objects' notes would stay in memory.
    const identity = createHash('sha256')
      .update([regarding.uid, regarding.kind, namespace, regarding.name, input.type, input.reason, note].join('\u0000'))
      .digest('base64');
    const existing = this.recent.get(identity);
    if (existing && at - existing.last < this.seriesWindowMs) {
      existing.count++;
      existing.last = at;
      try {
        await this.client.patch(
          { apiVersion: 'events.k8s.io/v1', kind: 'Event', name: existing.name, namespace: existing.namespace },
          { series: { count: existing.count, lastObservedTime: formatMicroTime(new Date(at)) } },
        );
        return;
      } catch (error) {
        if (!(error instanceof KubeApiError && error.isNotFound)) throw error;
        // The event expired (TTL); start a new one.
      }
    }
    const name = `${regarding.name}.${createHash('sha256').update(`${identity}\u0000${at}`).digest('hex').slice(0, 16)}`;
    await this.client.create({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace },
      eventTime: formatMicroTime(new Date(at)),
      reportingController: this.options.controller,
      reportingInstance: this.options.instance,
      action: input.action,
      reason: input.reason,
      note,
      type: input.type,
      regarding,
      ...(related ? { related } : {}),
    });
    this.remember(identity, { name, namespace, count: 1, last: at });
  }

  private remember(identity: string, record: EventRecord & { last: number }): void {
    this.recent.set(identity, record);
    if (this.recent.size > 4096) {
      // Forget the oldest half: the window is a nicety, not a guarantee.
      for (const key of [...this.recent.keys()].slice(0, 2048)) this.recent.delete(key);
    }
  }
}
