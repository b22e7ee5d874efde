import type { SourcePosition, SyntaxProblem } from './source.ts';

/**
 * Bounds on YAML/JSON text, checked before the `yaml` library sees it. It has `maxAliasCount`
 * (alias expansion) but no depth limit, and both its lexer (a generator per token) and its
 * composer (recursive per level) cost: 600 KB of nested flow sequences took seconds and
 * hundreds of MB. This scan is one pass over the characters that stops at the first line
 * nested too deep. It over-estimates rather than under-estimates (every indentation step and
 * every `- `/`? ` counts as a level), which the generous limit absorbs.
 */
export const MAX_SOURCE_LENGTH = 1024 * 1024;
/** Far deeper than any settings file or resource we take (a QdrantCluster is about 12 levels). */
export const MAX_SOURCE_DEPTH = 64;

const OPENS_AFTER = new Set(['', ':', '-', '?', ',', '[', '{']);

const tooDeep = (line: number, column: number): SyntaxProblem => ({
  message: `the document nests collections more than ${MAX_SOURCE_DEPTH} levels deep`,
  position: { line, column } satisfies SourcePosition,
});

export function checkSourceLimits(text: string): SyntaxProblem | undefined {
  if (text.length > MAX_SOURCE_LENGTH) {
    return { message: `the document is ${text.length} characters long, more than the ${MAX_SOURCE_LENGTH} allowed` };
  }
  const indents: number[] = [];
  let flow = 0;
  let quote: '' | '"' | "'" = '';
  let blockScalarIndent = -1;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const indent = line.length - line.trimStart().length;
    const blank = line.trim() === '';
    if (blockScalarIndent >= 0 && (blank || indent > blockScalarIndent)) continue;
    blockScalarIndent = -1;
    if (!quote && flow === 0 && !blank) {
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
    }
    let depth = indents.length;
    let previous = '';
    for (let i = indent; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) quote = '';
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r') continue;
      if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
      if ((c === '"' || c === "'") && OPENS_AFTER.has(previous)) quote = c;
      else if ((c === '[' || c === '{') && OPENS_AFTER.has(previous)) flow++;
      else if ((c === ']' || c === '}') && flow > 0) flow--;
      else if ((c === '-' || c === '?') && flow === 0 && (line[i + 1] === ' ' || i + 1 === line.length) && OPENS_AFTER.has(previous)) depth++;
      if (depth + flow > MAX_SOURCE_DEPTH) return tooDeep(n + 1, i + 1);
      previous = c;
    }
    // A block scalar (`key: |`, `- >-`): its lines are text, whatever they hold.
    if (!quote && flow === 0 && /(^|[\s:-])[|>][-+0-9]*\s*(#.*)?$/.test(line.trimEnd())) blockScalarIndent = indent;
  }
  return undefined;
}
