import { describe, expect, it } from 'vitest';
import { NonNegativeQuantity, Quantity, isQuantity, parseQuantity } from '../src/k8s/index.ts';
import { expectOnlyIssue, expectValid } from './zod-issues.ts';

describe('Kubernetes quantities', () => {
  it.each([
    ['100m', 0.1],
    ['1Gi', 1073741824],
    ['1Ki', 1024],
    ['2Mi', 2 * 1024 ** 2],
    ['1Ti', 1024 ** 4],
    ['1Pi', 1024 ** 5],
    ['1Ei', 1024 ** 6],
    ['250n', 250e-9],
    ['5u', 5e-6],
    ['1k', 1000],
    ['1.5G', 1.5e9],
    ['3M', 3e6],
    ['2T', 2e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1e3', 1000],
    ['5E-2', 0.05],
    ['+2', 2],
    ['-1', -1],
    ['.5', 0.5],
    ['2.', 2],
    ['0', 0],
  ] as const)('%s is %d base units', (text, value) => {
    expect(isQuantity(text)).toBe(true);
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });

  it('takes plain numbers as they are', () => {
    expect(parseQuantity(2)).toBe(2);
    expect(isQuantity(0.5)).toBe(true);
    expect(isQuantity(Number.POSITIVE_INFINITY)).toBe(false);
  });

  it.each(['', 'one', '1 Gi', '1GB', '1gi', '1Gi ', 'Gi', '1e', '1.2.3', '--1', '1K', '1mi'])('refuses %j', (text) => {
    expect(isQuantity(text)).toBe(false);
    expect(() => parseQuantity(text)).toThrow(/not a quantity/);
    expectOnlyIssue(Quantity, text, '', /Kubernetes quantity such as "500m"/);
  });

  it('accepts strings and numbers in the schema, and marks it int-or-string for CRDs', () => {
    expectValid(Quantity, '4Gi');
    expectValid(Quantity, 3);
    expectValid(Quantity, '-1');
    expect(Quantity.meta()?.['x-kubernetes-int-or-string']).toBe(true);
  });

  it('refuses negative sizes where only non-negative ones make sense', () => {
    expectOnlyIssue(NonNegativeQuantity, '-1Gi', '', /must not be negative/);
    expectOnlyIssue(NonNegativeQuantity, -2, '', /must not be negative/);
    expectValid(NonNegativeQuantity, '0');
  });
});
