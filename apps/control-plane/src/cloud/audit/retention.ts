import type { Logger } from '@qhc/kube';
import type { Db } from '../../db/db.ts';
import { pruneAuditEvents } from '../../repositories/audit-events.ts';
import { iso, type Clock } from '../../repositories/tokens.ts';

// The audit trail is kept for --audit-retention (default 90 days): events older than that are
// deleted at start and then every hour, by the control plane's clock. Every replica prunes; a
// DELETE by age is the same whoever runs it, and running it twice deletes nothing more.

export const AUDIT_RETENTION_DEFAULT_SECONDS = 90 * 86_400;
/** --audit-retention's range: a day to ten years. */
export const AUDIT_RETENTION_BOUNDS = { min: 86_400, max: 3650 * 86_400 };
export const PRUNE_INTERVAL_MS = 3_600_000;

export interface AuditPruning {
  /** Deletes the events older than the retention now; answers how many. */
  prune(): Promise<number>;
  /** Stops the hourly pass once the running one (if any) is done. */
  stop(): Promise<void>;
}

/** Prunes once (awaited: the control plane starts with its trail within the retention), then hourly. */
export async function startAuditPruning(db: Db, now: Clock, retentionSeconds: number, logger: Logger, intervalMs = PRUNE_INTERVAL_MS): Promise<AuditPruning> {
  let running: Promise<number> | undefined;
  const prune = () =>
    (running ??= pruneAuditEvents(db, iso(now, -retentionSeconds * 1000))
      .then((count) => {
        if (count > 0) logger.info('audit events pruned', { count, retentionSeconds });
        return count;
      })
      .finally(() => (running = undefined)));
  const tick = () =>
    void prune().catch((error: unknown) => logger.warn('audit events not pruned', { error: error instanceof Error ? error.message : String(error) }));
  await prune();
  const timer = setInterval(tick, intervalMs);
  // The pass never keeps the process alive on its own.
  timer.unref();
  return {
    prune,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
