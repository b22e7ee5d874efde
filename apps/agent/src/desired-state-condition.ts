import type { AgentRegionStatus } from '@qhc/schemas';

type Condition = NonNullable<AgentRegionStatus['conditions']>[number];

/** The region condition that says whether the control plane's last answer was applied. */
export const DESIRED_STATE_APPLIED = 'DesiredStateApplied';

export type DesiredStateOutcome = { applied: number } | { refused: string };

/**
 * The condition after an answer: False with the problems (field paths, never the answer's
 * values) when it was refused, True when one applied. Without it a refused answer shows only
 * as an appliedRevision that lags. The transition time moves only when the status does.
 */
export function desiredStateCondition(previous: Condition | undefined, outcome: DesiredStateOutcome, now = new Date()): Condition {
  const next =
    'refused' in outcome
      ? {
          status: 'False',
          reason: 'InvalidDesiredState',
          message: `the control plane's desired state does not parse; nothing of it is applied: ${outcome.refused}`,
        }
      : { status: 'True', reason: 'Applied', message: `revision ${outcome.applied} applied` };
  const since = previous?.status === next.status && previous.lastTransitionTime ? previous.lastTransitionTime : now.toISOString();
  return { type: DESIRED_STATE_APPLIED, ...next, lastTransitionTime: since };
}

/** The region status with the condition (replacing an earlier one of its type). */
export function withCondition(region: AgentRegionStatus, condition: Condition | undefined): AgentRegionStatus {
  if (!condition) return region;
  const others = (region.conditions ?? []).filter((c) => c.type !== condition.type);
  return { ...region, conditions: [...others, condition] };
}

/** Whether the condition says something new (a report is owed at once). */
export const conditionChanged = (before: Condition | undefined, after: Condition) => before?.status !== after.status || before.message !== after.message;
