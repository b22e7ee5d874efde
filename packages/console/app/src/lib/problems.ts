import type { Problem } from '@qhc/schemas';
import { formatPath } from '@qhc/schemas';

/** A diagnostic in editor terms: character offsets into the text. */
export interface TextDiagnostic {
  from: number;
  to: number;
  message: string;
  line?: number;
  column?: number;
}

/**
 * Problems of @qhc/schemas (1-based line:column) as ranges of `text`: from the column to the
 * end of that line, so the underline covers the offending value; a problem without a
 * position marks the first line.
 */
export function problemsToDiagnostics(text: string, problems: readonly Problem[]): TextDiagnostic[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return problems.map((p) => {
    const lineIndex = Math.min(Math.max((p.line ?? 1) - 1, 0), starts.length - 1);
    const lineStart = starts[lineIndex]!;
    const lineEnd = lineIndex + 1 < starts.length ? starts[lineIndex + 1]! - 1 : text.length;
    const from = Math.min(lineStart + Math.max((p.column ?? 1) - 1, 0), lineEnd);
    const to = Math.max(lineEnd, from);
    const where = p.line === undefined ? '' : `line ${p.line}, column ${p.column}: `;
    return {
      from,
      to: to === from && to < text.length ? to + 1 : to,
      message: `${where}${formatPath(p.path)}: ${p.message}`,
      ...(p.line !== undefined ? { line: p.line, column: p.column } : {}),
    };
  });
}

/** One line per problem, as the form shows them under the editor. */
export const describeProblem = (p: Problem) => `${p.line === undefined ? '' : `Line ${p.line}, column ${p.column}: `}${formatPath(p.path)}: ${p.message}`;
