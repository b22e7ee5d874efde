import { describe, expect, it } from 'vitest';
import { isSubset } from '../src/reconcile/apply-if-changed.ts';

describe('isSubset', () => {
  it('holds when every desired field has its value in the live object, whatever else it has', () => {
    const live = { a: 1, b: { c: [1, { d: 'x', e: true }], f: 'server default' }, g: null };
    expect(isSubset({ a: 1, b: { c: [1, { d: 'x' }] } }, live)).toBe(true);
    expect(isSubset({}, live)).toBe(true);
  });

  it('fails on a changed value, a missing field, or a list of another length', () => {
    const live = { a: 1, list: [1, 2], nested: { x: 'y' } };
    expect(isSubset({ a: 2 }, live)).toBe(false);
    expect(isSubset({ missing: 1 }, live)).toBe(false);
    expect(isSubset({ list: [1] }, live)).toBe(false);
    expect(isSubset({ nested: { x: 'z' } }, live)).toBe(false);
    expect(isSubset({ nested: 'y' }, live)).toBe(false);
    expect(isSubset({ list: { 0: 1 } }, live)).toBe(false);
    expect(isSubset([1], { 0: 1 })).toBe(false);
  });
});
