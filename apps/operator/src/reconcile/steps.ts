import type { ReconcileResult } from '@qhc/kube';

// One pass of a reconcile is an ordered list of named steps over one Pass object (what the
// pass read and decided so far). Each step answers with one StepResult and this runner alone
// turns it into what the work queue understands, so a reader sees every way out of a pass in
// one place (CloudNativePG's guarded steps, with one stop convention instead of three).

/**
 * - continue: the next step runs;
 * - requeue: the pass ends, the key comes back after `afterMs` (still converging, polling);
 * - retry: the pass ends as failed and the work queue's backoff spaces out the next one
 *   (the failure is already in the status when a step answers this);
 * - stop: the pass ends, nothing to come back for until something changes.
 */
export type StepResult = { kind: 'continue' } | { kind: 'requeue'; afterMs: number; reason: string } | { kind: 'retry'; reason: string } | { kind: 'stop' };

export interface Step<P> {
  readonly name: string;
  run(pass: P): Promise<StepResult> | StepResult;
}

export const proceed: StepResult = Object.freeze({ kind: 'continue' });
export const stop: StepResult = Object.freeze({ kind: 'stop' });
export const requeue = (afterMs: number, reason: string): StepResult => ({ kind: 'requeue', afterMs, reason });
export const retry = (reason: string): StepResult => ({ kind: 'retry', reason });

/** A pass that wrote a failure to the status and wants the work queue's backoff before the next. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
}

export const step = <P>(name: string, run: (pass: P) => Promise<StepResult> | StepResult): Step<P> => ({ name, run });

/**
 * Runs the steps in order until one answers other than continue. An exception from a step
 * (the apiserver unreachable, an aborted pass) is not a result: it propagates to the work
 * queue, which retries with backoff, and the next pass converges from what it reads.
 */
export async function runSteps<P>(steps: readonly Step<P>[], pass: P): Promise<ReconcileResult> {
  for (const s of steps) {
    const result = await s.run(pass);
    switch (result.kind) {
      case 'continue':
        continue;
      case 'requeue':
        return { requeueAfterMs: result.afterMs };
      case 'retry':
        throw new RetryLaterError(result.reason);
      case 'stop':
        return undefined;
    }
  }
  return undefined;
}
