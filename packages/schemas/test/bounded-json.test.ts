import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { AgentReport, KUBERNETES_OBJECT_BOUNDS, boundedJson, checkJsonBounds, withJsonBounds, type JsonBounds } from '../src/index.ts';

const bounds: JsonBounds = { maxDepth: 4, maxKeys: 3, maxItems: 3, maxStringLength: 5, maxSize: 60 };
const deep = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

describe('checkJsonBounds', () => {
  it('takes a value within every bound', () => {
    expect(checkJsonBounds({ a: [1, 'abc', null], b: { c: true } }, bounds)).toBeUndefined();
  });

  it.each([
    ['depth', deep(5), [0, 0, 0, 0], /more than 4 levels deep/],
    ['keys', { a: 1, b: 2, c: 3, d: 4 }, [], /4 keys, more than the 3/],
    ['items', { a: [1, 2, 3, 4] }, ['a'], /4 items, more than the 3/],
    ['string length', { a: ['abcdef'] }, ['a', 0], /6 characters long/],
    ['key length', { abcdefg: 1 }, ['abcdefg'], /a key 7 characters long/],
    ['total size', { a: 'xxxxx', b: 'xxxxx', c: [['xxxxx', 'xxxxx', 'xxxxx'], ['xxxxx']] }, expect.any(Array), /larger than the 60 characters/],
    ['non-JSON values', { a: () => 1 }, ['a'], /not a JSON value/],
  ])('refuses past the %s bound, saying where', (_name, value, path, message) => {
    const problem = checkJsonBounds(value, bounds);
    expect(problem?.path).toEqual(path);
    expect(problem?.message).toMatch(message);
  });

  it('stops at the bound on a 100,000-deep value, without recursion', () => {
    expect(checkJsonBounds(deep(100_000), KUBERNETES_OBJECT_BOUNDS)?.path).toHaveLength(KUBERNETES_OBJECT_BOUNDS.maxDepth);
  });
});

describe('boundedJson and withJsonBounds', () => {
  it('report the path below the field, and keep the typed schema from seeing a hostile value', () => {
    const schema = z.object({ status: boundedJson(bounds) });
    expect(schema.safeParse({ status: deep(6) }).error?.issues[0]?.path).toEqual(['status', 0, 0, 0, 0]);
    const typed = withJsonBounds(z.object({ a: z.array(z.unknown()) }), bounds);
    expect(typed.safeParse({ a: deep(10) }).error?.issues.map((i) => i.message)).toEqual([expect.stringMatching(/levels deep/)]);
  });

  it('AgentReport refuses a 4,000-deep status, naming it', () => {
    const parsed = AgentReport.safeParse({ clusters: [], resources: [{ kind: 'QdrantClusterSnapshot', name: 'b', status: deep(4000) }] });
    expect(parsed.error?.issues[0]?.path.slice(0, 3)).toEqual(['resources', 0, 'status']);
  });
});
