import { describe, expect, it } from 'vitest';
import { jsonDepthProblem } from '../src/api/json-limits.ts';

describe('jsonDepthProblem', () => {
  it('names the path of keys and indexes where a body goes too deep', () => {
    expect(jsonDepthProblem('{"a":[1,{"b":[[[1]]]}]}', 4)).toMatchObject({
      path: ['a', 1, 'b', 0],
      message: 'nests objects or arrays more than 4 levels deep',
    });
    expect(jsonDepthProblem('{"a":[1,{"b":[1]}]}', 4)).toBeUndefined();
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthProblem(JSON.stringify({ a: '[[[[[[{{{{', b: 'x\\"[[[[' }), 2)).toBeUndefined();
  });

  it('names a key with escapes as the client meant it', () => {
    expect(jsonDepthProblem(JSON.stringify({ 'a"\\b': [[[1]]] }), 2)?.path).toEqual(['a"\\b', 0]);
  });

  it('stops at once on 500,000 levels', () => {
    expect(jsonDepthProblem('['.repeat(500_000))?.path).toHaveLength(64);
  });
});
