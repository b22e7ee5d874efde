import { describe, expect, it } from 'vitest';
import { QhcSchemaError, formatPath } from '../src/index.ts';
import { REGION_BAD_INPUTS } from './bad-inputs-region.ts';
import { CR_BAD_INPUTS } from './bad-inputs-resources.ts';
import { SETTINGS_BAD_INPUTS } from './bad-inputs-settings.ts';

const ALL = [...SETTINGS_BAD_INPUTS, ...REGION_BAD_INPUTS, ...CR_BAD_INPUTS];

describe('bad inputs', () => {
  it('has at least 40 distinct cases', () => {
    expect(new Set(ALL.map((c) => c.name)).size).toBe(ALL.length);
    expect(ALL.length).toBeGreaterThanOrEqual(40);
  });

  it.each(ALL.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    let thrown: unknown;
    try {
      c.parse(c.text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown, 'the parser must reject the document').toBeInstanceOf(QhcSchemaError);
    const error = thrown as QhcSchemaError;
    const problem = error.problems.find((p) => formatPath(p.path) === c.path);
    expect(problem, `no problem at ${c.path}; got:\n${error.message}`).toBeDefined();
    expect(problem!.message).toMatch(c.message);
    if (c.line !== undefined) expect(problem!.line, error.message).toBe(c.line);
    // The one message a person reads names the path and, where known, the line.
    expect(error.message).toContain(c.path);
    if (c.line !== undefined) expect(error.message).toContain(`line ${c.line},`);
  });
});
