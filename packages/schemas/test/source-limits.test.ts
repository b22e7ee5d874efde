import { describe, expect, it } from 'vitest';
import { MAX_SOURCE_DEPTH, MAX_SOURCE_LENGTH, readSource, safeParseOperatorSettings, type QhcSchemaError } from '../src/index.ts';

// Issue 19 finding 3: YAML is bounded in size and depth before it is composed.

const nestedFlow = (depth: number) => `settings:\n  x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;

describe('YAML size and depth limits', () => {
  it('refuses 600 KB of nested flow sequences at once, naming the field and the line', () => {
    const text = nestedFlow(300_000);
    expect(text.length).toBeGreaterThan(600_000);
    const parsed = safeParseOperatorSettings(text, { source: 'operatorSettings' });
    expect(parsed.success).toBe(false);
    const error = (parsed as { error: QhcSchemaError }).error;
    expect(error.message).toMatch(/operatorSettings/);
    expect(error.message).toMatch(new RegExp(`more than ${MAX_SOURCE_DEPTH} levels deep`));
    expect(error.problems[0]?.line).toBe(2);
  });

  it('refuses block nesting too ("- - - …" on one line)', () => {
    const read = readSource(`${'- '.repeat(5_000)}x\n`);
    expect(read.ok).toBe(false);
    expect(read.ok ? [] : read.problems.map((p) => p.message)).toEqual([expect.stringMatching(/levels deep/)]);
  });

  it('refuses text over the size limit before reading it', () => {
    const read = readSource(`a: "${'x'.repeat(MAX_SOURCE_LENGTH)}"\n`);
    expect(read.ok ? [] : read.problems.map((p) => p.message)).toEqual([expect.stringMatching(/characters long, more than/)]);
  });

  it('takes nesting up to the limit', () => {
    // The mapping and `x` are two levels.
    expect(readSource(nestedFlow(MAX_SOURCE_DEPTH - 2)).ok).toBe(true);
    expect(readSource(nestedFlow(MAX_SOURCE_DEPTH - 1)).ok).toBe(false);
  });
});
