import type * as z from 'zod';
import { formatPath, withPosition, type Problem } from './problem.ts';
import { knownKeysAt } from './schema-walk.ts';
import type { PathSegment, SourcePosition } from './source.ts';
import { closestMatch } from './suggest.ts';

export type Locate = (path: readonly PathSegment[], options?: { key?: boolean }) => SourcePosition | undefined;

type Issue = z.core.$ZodIssue;

/**
 * Unknown keys listed one by one per object; the rest are counted in one problem. A body of
 * 20,000 unknown keys otherwise cost a did-you-mean search each: seconds of CPU (issue 19).
 */
export const MAX_UNKNOWN_KEYS_LISTED = 20;

function toPath(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
}

/**
 * Of the branches a union tried, the one the user most likely meant: the one that got
 * furthest into the value (deepest problem), then the one with the fewest problems.
 */
function likeliestBranch(branches: readonly Issue[][]): Issue[] | undefined {
  let best: Issue[] | undefined;
  let bestScore: [number, number] = [-1, Number.POSITIVE_INFINITY];
  for (const branch of branches) {
    if (branch.length === 0) continue;
    const depth = Math.max(...branch.map((i) => i.path.length));
    if (depth > bestScore[0] || (depth === bestScore[0] && branch.length < bestScore[1])) {
      best = branch;
      bestScore = [depth, branch.length];
    }
  }
  return best;
}

export function issuesToProblems(issues: readonly Issue[], schema: z.ZodType, locate: Locate | undefined, basePath: readonly PathSegment[] = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = [...basePath, ...toPath(issue.path)];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, path);
      for (const key of issue.keys.slice(0, MAX_UNKNOWN_KEYS_LISTED)) {
        const suggestion = closestMatch(key, known);
        const hint = suggestion
          ? `; did you mean ${JSON.stringify(suggestion)}?`
          : known.length > 0
            ? `; known keys at ${formatPath(path)}: ${known.slice(0, 15).join(', ')}${known.length > 15 ? ', ...' : ''}`
            : '';
        const keyPath = [...path, key];
        problems.push(
          withPosition({ path: keyPath, code: issue.code, message: `unknown key ${JSON.stringify(key)}${hint}` }, locate?.(keyPath, { key: true })),
        );
      }
      const more = issue.keys.length - MAX_UNKNOWN_KEYS_LISTED;
      if (more > 0) problems.push(withPosition({ path, code: issue.code, message: `and ${more} more unknown keys` }, locate?.(path)));
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branch = likeliestBranch(issue.errors);
      const rootOnly = branch?.every((i) => i.path.length === 0 && i.code === 'invalid_type');
      if (branch && !rootOnly) {
        // Union branches report paths relative to the union's own value.
        problems.push(...issuesToProblems(branch, schema, locate, path));
        continue;
      }
    }
    const code = issue.code;
    problems.push(withPosition({ path, code, message: issue.message }, locate?.(path)));
  }
  return dedupe(problems);
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${formatPath(p.path)}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
