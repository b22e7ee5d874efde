import * as z from 'zod';
import { IntOrPercent } from './int-or-string.ts';
import { LabelSelector } from './meta.ts';

/** policy/v1 PodDisruptionBudgetSpec; `{}` (the seed's default) means qhc's default: maxUnavailable 1 for multi-node clusters. */
export const PodDisruptionBudgetSpec = z
  .strictObject({
    minAvailable: IntOrPercent.optional(),
    maxUnavailable: IntOrPercent.optional(),
    selector: LabelSelector.optional(),
    unhealthyPodEvictionPolicy: z.enum(['IfHealthyBudget', 'AlwaysAllow']).optional(),
  })
  .superRefine((pdb, ctx) => {
    if (pdb.minAvailable !== undefined && pdb.maxUnavailable !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['maxUnavailable'], message: 'must not be set together with minAvailable: choose one' });
    }
  });
export type PodDisruptionBudgetSpec = z.infer<typeof PodDisruptionBudgetSpec>;
