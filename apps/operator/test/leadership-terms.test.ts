import { silentLogger, type Logger } from '@qhc/kube';
import type { OperatorSettingsStatus } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { Leadership, type TermController, type TermParts, type TermPublisher } from '../src/leadership.ts';
import { OperatorMetrics } from '../src/metrics.ts';

/** A controller whose start() is held until the test releases it; it counts starts and stops. */
class HeldController implements TermController {
  starts = 0;
  stops = 0;
  private release: () => void = () => {};
  private readonly held: Promise<void>;
  /** Resolves when start() is first called. */
  readonly called: Promise<void>;
  private onCall: () => void = () => {};

  private readonly stopError: Error | undefined;

  constructor(hold: boolean, stopError?: Error) {
    this.stopError = stopError;
    this.held = hold ? new Promise((resolve) => (this.release = resolve)) : Promise.resolve();
    this.called = new Promise((resolve) => (this.onCall = resolve));
  }

  get running(): boolean {
    return this.starts > 0 && this.stops === 0;
  }

  start(): Promise<void> {
    this.starts++;
    this.onCall();
    return this.held;
  }

  stop(): Promise<void> {
    this.stops++;
    return this.stopError ? Promise.reject(this.stopError) : Promise.resolve();
  }

  requeueAll(): number {
    return 0;
  }

  releaseStart(): void {
    this.release();
  }
}

type Term = { controller: HeldController; backups: HeldController };

interface Fakes {
  leadership: Leadership;
  publishers: TermPublisher[];
  metrics: OperatorMetrics;
  errors: string[];
}

/** Leadership whose terms get these controllers, in order (held or not, failing to stop or not). */
function leadershipWith(terms: Term[]): Fakes {
  let next = 0;
  const publishers: TermPublisher[] = [];
  const errors: string[] = [];
  const metrics = new OperatorMetrics();
  const logger: Logger = { ...silentLogger, error: (msg) => void errors.push(msg) };
  const leadership = new Leadership({
    controllers: (): TermParts => terms[next++]!,
    publisher: () => {
      const publisher = { publish: () => {}, stop: () => Promise.resolve() };
      publishers.push(publisher);
      return publisher;
    },
    settingsStatus: () => ({}) as OperatorSettingsStatus,
    logger,
    metrics,
  });
  return { leadership, publishers, metrics, errors };
}

describe('terms of leadership', () => {
  it('a term lost while its caches synced stops only its own controllers, even after the next term runs', async () => {
    const first = { controller: new HeldController(true), backups: new HeldController(false) };
    const second = { controller: new HeldController(false), backups: new HeldController(false) };
    const { leadership, publishers, metrics } = leadershipWith([first, second]);
    const lease1 = new AbortController();
    const term1 = leadership.start(lease1.signal);
    await first.controller.called;
    // The Lease is lost while term 1 syncs: the elector aborts the term and calls onStoppedLeading.
    lease1.abort();
    await leadership.stop();
    expect(first.controller.stops).toBe(1);

    await leadership.start(new AbortController().signal);
    expect(leadership.ready).toBe(true);

    // Term 1's sync finishes now, long after it ended.
    first.controller.releaseStart();
    await term1;

    expect([second.controller.starts, second.backups.starts]).toEqual([1, 1]);
    expect([second.controller.running, second.backups.running]).toEqual([true, true]);
    expect(first.backups.starts).toBe(0);
    expect([first.controller.stops, first.backups.stops]).toEqual([1, 1]);
    expect(publishers).toHaveLength(1);
    expect(leadership.ready).toBe(true);
    expect(metrics.render()).toMatch(/^qhc_operator_leader 1$/m);
  });

  it('a controller failing to stop is logged and the next term still starts', async () => {
    const terms = [
      { controller: new HeldController(false, new Error('watch stuck')), backups: new HeldController(false) },
      { controller: new HeldController(false), backups: new HeldController(false) },
    ];
    const { leadership, errors } = leadershipWith(terms);
    const lease1 = new AbortController();
    await leadership.start(lease1.signal);
    expect(leadership.ready).toBe(true);
    lease1.abort();
    await leadership.stop();
    expect(leadership.ready).toBe(false);
    expect(errors).toEqual(['stopping a controller of the last term failed']);

    await leadership.start(new AbortController().signal);
    expect(leadership.ready).toBe(true);
    expect([terms[1]!.controller.running, terms[1]!.backups.running]).toEqual([true, true]);
    await leadership.stop();
    expect([terms[1]!.controller.stops, terms[1]!.backups.stops]).toEqual([1, 1]);
  });
});
