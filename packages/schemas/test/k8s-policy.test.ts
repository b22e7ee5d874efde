import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { IntOrPercent, IntOrString, PodDisruptionBudgetSpec } from '../src/k8s/index.ts';
import { expectOnlyIssue, expectValid } from './zod-issues.ts';

describe('int-or-string', () => {
  it('accepts integers and strings and is marked for CRDs', () => {
    expectValid(IntOrString, 3);
    expectValid(IntOrString, 'http');
    expect(IntOrString.safeParse(1.5).success).toBe(false);
    expect(z.toJSONSchema(IntOrString, { target: 'openapi-3.0', io: 'input' })).toMatchObject({ 'x-kubernetes-int-or-string': true });
  });

  it('takes a count or a percentage up to 100%', () => {
    for (const ok of [0, 2, '0%', '25%', '100%']) expectValid(IntOrPercent, ok);
    for (const bad of ['101%', '25', '2.5%', 'half', -1]) expect(IntOrPercent.safeParse(bad).success, String(bad)).toBe(false);
  });
});

describe('PodDisruptionBudgetSpec', () => {
  it('accepts {} (no budget of our own), a count, a percentage and every field', () => {
    expectValid(PodDisruptionBudgetSpec, {});
    expectValid(PodDisruptionBudgetSpec, { maxUnavailable: 1 });
    expectValid(PodDisruptionBudgetSpec, { minAvailable: '50%', selector: { matchLabels: { app: 'qdrant' } }, unhealthyPodEvictionPolicy: 'IfHealthyBudget' });
  });

  it('refuses minAvailable together with maxUnavailable', () => {
    expectOnlyIssue(PodDisruptionBudgetSpec, { minAvailable: 1, maxUnavailable: 1 }, 'maxUnavailable', /not be set together with minAvailable/);
  });

  it('refuses bad values', () => {
    expect(PodDisruptionBudgetSpec.safeParse({ maxUnavailable: '150%' }).success).toBe(false);
    expectOnlyIssue(PodDisruptionBudgetSpec, { unhealthyPodEvictionPolicy: 'Never' }, 'unhealthyPodEvictionPolicy', /IfHealthyBudget|AlwaysAllow/);
    expectOnlyIssue(
      PodDisruptionBudgetSpec,
      { selector: { matchExpressions: [{ key: 'a', operator: 'In' }] } },
      'selector.matchExpressions[0].values',
      /at least one value/,
    );
  });
});
