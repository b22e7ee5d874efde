import { describe, expect, it } from 'vitest';
import { RetryLaterError, proceed, requeue, retry, runSteps, step, stop, type StepResult } from '../../src/reconcile/steps.ts';

const recording = (log: string[], name: string, result: StepResult) => step<unknown>(name, () => (log.push(name), result));

describe('runSteps: the one place a pass ends', () => {
  it('runs every step in order while they continue, and then asks for nothing', async () => {
    const log: string[] = [];
    const result = await runSteps([recording(log, 'a', proceed), recording(log, 'b', proceed)], {});
    expect(log).toEqual(['a', 'b']);
    expect(result).toBeUndefined();
  });

  it('ends at a requeue with its delay, skipping the steps after it', async () => {
    const log: string[] = [];
    const result = await runSteps([recording(log, 'a', requeue(1_500, 'converging')), recording(log, 'b', proceed)], {});
    expect(log).toEqual(['a']);
    expect(result).toEqual({ requeueAfterMs: 1_500 });
  });

  it('turns a retry into RetryLaterError, for the work queue to back off', async () => {
    const log: string[] = [];
    const run = runSteps([recording(log, 'a', retry('DrainFailed: timeout')), recording(log, 'b', proceed)], {});
    await expect(run).rejects.toBeInstanceOf(RetryLaterError);
    await expect(run).rejects.toThrow('DrainFailed: timeout');
    expect(log).toEqual(['a']);
  });

  it('ends at a stop with nothing to come back for', async () => {
    const log: string[] = [];
    const result = await runSteps([recording(log, 'a', stop), recording(log, 'b', proceed)], {});
    expect(log).toEqual(['a']);
    expect(result).toBeUndefined();
  });

  it('lets an unexpected error through, after the steps before it ran', async () => {
    const log: string[] = [];
    const boom = step<unknown>('boom', () => {
      throw new Error('apiserver unreachable');
    });
    await expect(runSteps([recording(log, 'a', proceed), boom, recording(log, 'c', proceed)], {})).rejects.toThrow('apiserver unreachable');
    expect(log).toEqual(['a']);
  });
});
