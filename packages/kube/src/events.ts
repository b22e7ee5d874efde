import { createHash } from 'node:crypto';
import type { KubeClient } from './client.ts';
import { sleep, systemClock, type Clock } from './clock.ts';
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
  input: Omit<EventInput, 'related'>;
  at: number;
}

/** Why an event was not recorded: dropped (queue full, recorder stopped) or failed (the apiserver's error, after retries). */
export type EventUnsent = 'queue-full' | 'stopped' | Error;

export interface EventRecorderOptions {
  controller: string;
  instance: string;
  clock?: Clock;
  seriesWindowMs?: number;
  /** Events waiting to be sent beyond which new ones are dropped (default 1000). */
  maxQueued?: number;
  /** Tries of an event that failed for a reason that may pass (no answer, 429, 5xx); default 3. */
  maxTries?: number;
  /** Told of every event not recorded; what it throws is ignored. */
  onUnsent?: (input: Omit<EventInput, 'related'>, why: EventUnsent, regarding: { kind: string; namespace?: string; name?: string }) => void;
}

/** The apiserver's bound on an event's note, in bytes of UTF-8. */
const MAX_NOTE_BYTES = 1024;

/** At most MAX_NOTE_BYTES of UTF-8, cut between characters (never inside a surrogate pair). */
function cutNote(note: string): string {
  if (Buffer.byteLength(note) <= MAX_NOTE_BYTES) return note;
  const chars = Array.from(note.slice(0, MAX_NOTE_BYTES));
  while (Buffer.byteLength(chars.join('')) > MAX_NOTE_BYTES - 3) chars.pop();
  return `${chars.join('')}...`;
}

/**
 * events.k8s.io/v1 events about objects, as `kubectl describe` and `kubectl events` show
 * them. Repeats of the same (object, type, reason, note) within the series window become
 * one event whose series.count grows, instead of a flood of events.
 *
 * record() queues and returns, as client-go's event broadcaster does: an event is a note for
 * people, and a pass should neither wait for it nor fail with it. The queue is sent one event
 * at a time, in order, so a repeat finds the event it folds into (a throughput of one event
 * per round trip). Give the recorder a client of its own (its own rate limiter) and a burst
 * of events does not take the budget of the writes that converge objects. A full queue drops
 * new events rather than growing; an event that failed for a reason that may pass is tried
 * again (maxTries, 1 s then 2 s apart), one the apiserver refused is not; onUnsent is told
 * of each.
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
  /** Aborted when stop()'s time is up: what is in flight or queued is given up. */
  private readonly abandon = new AbortController();

  constructor(client: KubeClient, options: EventRecorderOptions) {
    this.client = client;
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.seriesWindowMs = options.seriesWindowMs ?? 10 * 60_000;
  }

  record(regarding: KubeObject, input: EventInput): void {
    const { related, ...rest } = input;
    // Truncated now: a queue of a thousand long notes would be held until sent.
    const kept = { ...rest, note: cutNote(rest.note) };
    const why = this.stopped ? 'stopped' : this.queue.length >= (this.options.maxQueued ?? 1000) ? 'queue-full' : undefined;
    if (why) return this.unsent(kept, why, reference(regarding));
    // Only references are kept while queued, not the objects.
    const namespace = regarding.metadata.namespace ?? 'default';
    this.queue.push({ regarding: reference(regarding), namespace, related: related && reference(related), input: kept, at: this.clock.now() });
    // drain() runs to its first send before this assignment; it cannot finish synchronously
    // (nothing is queued once stopped, so it always awaits a send), and its finally runs after.
    this.sending ??= this.drain();
  }

  /** Resolves once the queue is empty and nothing is in flight: every event recorded before was sent or given up. */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
  }

  /** Takes no more events; sends those queued for at most `timeoutMs`, then gives the rest up (onUnsent: stopped). */
  async stop(timeoutMs = 5000): Promise<void> {
    this.stopped = true;
    const timer = this.clock.setTimeout(() => this.abandon.abort(), timeoutMs);
    await this.flush();
    timer.cancel();
  }

  /**
   * The one sender. `sending` is cleared in the same synchronous step that finds the queue
   * empty: a record() in between either sees the queue being drained or starts a new drain.
   */
  private async drain(): Promise<void> {
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        if (this.abandon.signal.aborted) this.unsent(next.input, 'stopped', next.regarding);
        else await this.sendWithTries(next);
      }
    } finally {
      this.sending = undefined;
    }
  }

  private async sendWithTries(pending: Pending): Promise<void> {
    const tries = this.options.maxTries ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(pending);
      } catch (error) {
        if (this.abandon.signal.aborted) return this.unsent(pending.input, 'stopped', pending.regarding);
        if (attempt >= tries || !mayPass(error))
          return this.unsent(pending.input, error instanceof Error ? error : new Error(String(error)), pending.regarding);
        await sleep(1000 * 2 ** (attempt - 1), this.clock, this.abandon.signal);
      }
    }
  }

  private unsent(input: Pending['input'], why: EventUnsent, regarding: Pending['regarding']): void {
    try {
      this.options.onUnsent?.(input, why, regarding);
    } catch {
      // A reporting hook's failure must not strand the queue or reach the caller's pass.
    }
  }

  private async send(pending: Pending): Promise<void> {
    const { regarding, namespace, input, at } = pending;
    const { note } = input;
    // Remembered by a digest, not the text: thousands of objects' notes would stay in memory.
    const identity = createHash('sha256')
      .update([regarding.uid, regarding.kind, namespace, regarding.name, input.type, input.reason, note].join('\u0000'))
      .digest('base64');
    const existing = this.recent.get(identity);
    if (existing && at - existing.last < this.seriesWindowMs) {
      // Counted once written: a try that failed is not a repeat.
      const count = existing.count + 1;
      try {
        await this.client.patch(
          { apiVersion: 'events.k8s.io/v1', kind: 'Event', name: existing.name, namespace: existing.namespace },
          { series: { count, lastObservedTime: formatMicroTime(new Date(at)) } },
          { signal: this.abandon.signal },
        );
        Object.assign(existing, { count, last: at });
        return;
      } catch (error) {
        if (!(error instanceof KubeApiError && error.isNotFound)) throw error;
        // The event expired (TTL); start a new one.
      }
    }
    const name = `${regarding.name}.${createHash('sha256').update(`${identity}\u0000${at}`).digest('hex').slice(0, 16)}`;
    await this.create(name, namespace, pending, note);
    this.remember(identity, { name, namespace, count: 1, last: at });
  }

  /**
   * The name is the event's own (its identity and time): a 409 means an earlier try that got
   * no answer was written, so the event is there.
   */
  private async create(name: string, namespace: string, { regarding, related, input, at }: Pending, note: string): Promise<void> {
    try {
      await this.client.create(
        {
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
        },
        { signal: this.abandon.signal },
      );
    } catch (error) {
      if (!(error instanceof KubeApiError && error.isConflict)) throw error;
    }
  }

  private remember(identity: string, record: EventRecord & { last: number }): void {
    this.recent.set(identity, record);
    if (this.recent.size > 4096) {
      // Forget the oldest half: the window is a nicety, not a guarantee.
      for (const key of [...this.recent.keys()].slice(0, 2048)) this.recent.delete(key);
    }
  }
}

/** No answer, or an answer that says to come back: 429 (API Priority and Fairness) or a 5xx. */
function mayPass(error: unknown): boolean {
  if (!(error instanceof KubeApiError)) return true;
  return error.status === 429 || error.status >= 500;
}
