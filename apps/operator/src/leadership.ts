import type { Logger } from '@qhc/kube';
import type { OperatorSettingsStatus } from '@qhc/schemas';
import type { OperatorMetrics } from './metrics.ts';

/** A controller run while leading (ClusterController, BackupController). */
export interface TermController {
  start(): Promise<void>;
  stop(): Promise<void>;
  requeueAll(): number;
}

/** What one term of leadership runs: its own controllers and settings-status publisher. */
export interface TermParts {
  controller: TermController;
  backups: TermController;
}

export interface TermPublisher {
  publish(status: OperatorSettingsStatus): void;
  stop(): Promise<void>;
}

export interface LeadershipOptions {
  /** New controllers for each term: a term never touches another's. */
  controllers: () => TermParts;
  /** The leader's settings-status publisher, made once the controllers run. */
  publisher: () => TermPublisher;
  /** The settings file's status when the term begins. */
  settingsStatus: () => OperatorSettingsStatus;
  logger: Logger;
  metrics: OperatorMetrics;
}

interface Term extends TermParts {
  publisher?: TermPublisher;
  /** Set when the term ends: its parts stopping, never rejecting. */
  ending?: Promise<void>;
}

/**
 * The terms of leadership of one process. Each term starts and stops only its own controllers,
 * so a term that lost leadership while its caches synced can never start or stop the next one's.
 */
export class Leadership {
  private current: Term | undefined;
  /** Resolves when the parts of every earlier term have stopped; never rejects. */
  private stopped: Promise<void> = Promise.resolve();
  private readonly options: LeadershipOptions;
  ready = false;

  constructor(options: LeadershipOptions) {
    this.options = options;
  }

  /** Queues every cluster and backup of the running term (none when not leading). */
  requeueAll(): { clusters: number; backups: number } {
    return { clusters: this.current?.controller.requeueAll() ?? 0, backups: this.current?.backups.requeueAll() ?? 0 };
  }

  publish(status: OperatorSettingsStatus): void {
    this.current?.publisher?.publish(status);
  }

  /** A term begins; `signal` aborts when it ends (the Lease lost), also while it is starting. */
  async start(signal?: AbortSignal): Promise<void> {
    // Leadership lost and won back: the old term's work queue finishes its passes and stops
    // before this term's starts, so no cluster is ever reconciled by two queues at once.
    await this.stopped;
    if (signal?.aborted) return;
    const term: Term = this.options.controllers();
    this.current = term;
    signal?.addEventListener('abort', () => void this.end(term), { once: true });
    await term.controller.start();
    if (!term.ending) await term.backups.start();
    // Lost while the caches synced: this term ends before it began.
    if (term.ending) return;
    // The leader speaks for the settings: whatever an earlier leader last wrote is replaced.
    term.publisher = this.options.publisher();
    term.publisher.publish(this.options.settingsStatus());
    this.ready = true;
    this.options.metrics.isLeader.set({}, 1);
    this.options.metrics.leadershipAcquired.inc({});
  }

  /** Ends the running term, if any; resolves when every term's parts have stopped. */
  stop(): Promise<void> {
    return this.current ? this.end(this.current) : this.stopped;
  }

  private end(term: Term): Promise<void> {
    if (term.ending) return this.stopped;
    if (this.current === term) {
      this.current = undefined;
      this.ready = false;
      this.options.metrics.isLeader.set({}, 0);
    }
    const parts = [term.controller, term.backups, term.publisher];
    term.ending = Promise.allSettled(parts.map((part) => part?.stop())).then((results) => {
      for (const result of results)
        if (result.status === 'rejected')
          this.options.logger.error('stopping a controller of the last term failed', {
            error: result.reason instanceof Error ? result.reason.message : String(result.reason),
          });
    });
    this.stopped = Promise.all([this.stopped, term.ending]).then(() => undefined);
    return this.stopped;
  }
}
