import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { RESOURCE_PARSERS, formatPath, safeParseOperatorSettings, safeParseRegion, type SafeParseResult } from '@qhc/schemas';
import { EXIT } from '../exit.ts';

/** What the file holds, told by its content: a resource's kind, operator settings, or a region. */
function check(file: string, text: string): SafeParseResult<unknown> | { success: false; unknown: string } {
  let head: unknown;
  try {
    head = parse(text);
  } catch {
    // Not YAML at all: any parser reports where.
    return safeParseOperatorSettings(text, { source: file });
  }
  const doc = (head ?? {}) as Record<string, unknown>;
  if (typeof doc.kind === 'string') {
    const parser = RESOURCE_PARSERS.get(doc.kind);
    return parser
      ? parser.safeParse(text, { source: file })
      : { success: false, unknown: `kind ${doc.kind} is not one of qhc's (${[...RESOURCE_PARSERS.keys()].join(', ')})` };
  }
  if ('settings' in doc) return safeParseOperatorSettings(text, { source: file });
  if ('namespace' in doc && ('agentVersion' in doc || 'operatorVersion' in doc)) return safeParseRegion(text, { source: file });
  return {
    success: false,
    unknown: 'cannot tell what this is: not a qdrant.io resource (no kind), operator settings (no settings:) or a region (no namespace and versions)',
  };
}

/** `qhc validate <file>...`: every problem as `file:line:col: path: message`; exit 1 when any is invalid. */
export function validate(files: string[]): number {
  let invalid = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      process.stdout.write(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
      invalid++;
      continue;
    }
    const result = check(file, text);
    if (result.success) continue;
    invalid++;
    if ('unknown' in result) {
      process.stdout.write(`${file}:1:1: ${result.unknown}\n`);
      continue;
    }
    for (const p of result.error.problems)
      process.stdout.write(`${file}:${p.line ?? 1}:${p.column ?? 1}: ${formatPath(p.path) || '(document)'}: ${p.message}\n`);
  }
  process.stderr.write(invalid === 0 ? `${files.length} file(s) valid\n` : `${invalid} of ${files.length} file(s) invalid\n`);
  return invalid === 0 ? EXIT.ok : EXIT.invalid;
}
