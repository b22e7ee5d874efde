import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ReconcileResult } from '@qhc/kube';
import type { Step } from '../../src/reconcile/steps.ts';

// The mutation check shared by the step lists: every step matters and so does the order of
// every two neighbours. A mutation counts as caught only when its scenario's outcome differs
// from the golden file without throwing, or when it throws exactly the guard message its
// table line names; any other error fails the check, so a crash cannot pass for a catch.

/** How a mutation is caught: by a scenario's golden file (and a guard message, if it throws), or not at all (with why). */
export type Catch = { scenario: string; throws?: string } | { equivalent: string };

export type Outcome = { result: ReconcileResult | { error: string } };

export function mutations<P>(steps: readonly Step<P>[]): Array<[string, Step<P>[]]> {
  const out: Array<[string, Step<P>[]]> = steps.map((s, i) => [`drop ${s.name}`, steps.filter((_, j) => j !== i)]);
  for (let i = 0; i + 1 < steps.length; i++) {
    const swapped = [...steps];
    [swapped[i], swapped[i + 1]] = [steps[i + 1]!, steps[i]!];
    out.push([`swap ${steps[i]!.name}/${steps[i + 1]!.name}`, swapped]);
  }
  return out;
}

export const errorOf = (result: Outcome['result']): string | undefined => (result && 'error' in result ? result.error : undefined);

/** Runs a pass, turning a thrown error into the outcome's result. */
export async function settle(run: () => Promise<ReconcileResult>): Promise<Outcome['result']> {
  try {
    return (await run()) ?? undefined;
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** Asserts that the real list matches the golden file and the mutated one is caught as `how` says. */
export async function expectCaught<O extends Outcome>(
  how: Catch,
  run: (scenario: string, mutated: boolean) => Promise<O>,
  format: (outcome: O) => string,
  goldenPath: (scenario: string) => string,
): Promise<void> {
  if ('equivalent' in how) return;
  const golden = readFileSync(goldenPath(how.scenario), 'utf8');
  expect(format(await run(how.scenario, false))).toBe(golden);
  const outcome = await run(how.scenario, true);
  expect(errorOf(outcome.result)).toBe(how.throws);
  expect(format(outcome)).not.toBe(golden);
}
