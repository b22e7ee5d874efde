import { describe, expect, it } from 'vitest';
import { safeValidateRegion } from '../src/index.ts';

// Issue 19 (found by the control plane's API fuzz test): a body with 20,000 unknown keys made
// one problem, with a did-you-mean search, per key: seconds of CPU and a 2.7 MB message.
describe('unknown keys', () => {
  const base = { name: 'r', namespace: 'ns-r', agentVersion: '0.1.0', operatorVersion: '0.1.0' };

  it('lists the first unknown keys one by one, then counts the rest in one problem', () => {
    const wide = { ...base, ...Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])) };
    const result = safeValidateRegion(wide);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.problems).toHaveLength(21);
    expect(result.error.problems[0]).toMatchObject({ path: ['k0'], message: expect.stringContaining('unknown key "k0"') });
    expect(result.error.problems[20]).toMatchObject({ path: [], code: 'unrecognized_keys', message: 'and 19980 more unknown keys' });
    expect(result.error.message.length).toBeLessThan(10_000);
  });

  it('still suggests the key meant for a few unknown ones', () => {
    const result = safeValidateRegion({ ...base, namespce: 'x' });
    expect(result.success ? [] : result.error.problems.map((p) => p.message)).toEqual([expect.stringContaining('did you mean "namespace"')]);
  });
});
