import { checkSourceLimits } from './source-limits.ts';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';

export type PathSegment = string | number;

export interface SourcePosition {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export interface SyntaxProblem {
  message: string;
  position?: SourcePosition;
}

/**
 * A parsed YAML or JSON document that remembers where every value came from,
 * so schema problems can be reported at line:column in the text the user wrote.
 */
export interface SourceDocument {
  value: unknown;
  /**
   * Position of the value at `path`; with `key`, of the mapping key that names it
   * (what a person looks for when a key is unknown). Falls back to the nearest
   * enclosing value that exists, so a missing field points at its parent object.
   */
  locate(path: readonly PathSegment[], options?: { key?: boolean }): SourcePosition | undefined;
}

export type ReadSourceResult = { ok: true; document: SourceDocument } | { ok: false; problems: SyntaxProblem[] };

/**
 * Reads YAML or JSON text (JSON is read by the YAML 1.2 parser, which accepts it)
 * into a plain value plus a locator. Exactly one document is expected: a second one
 * is far more often a mistake than an intent in a config file or a single resource.
 */
export function readSource(text: string): ReadSourceResult {
  // Size and depth first: composing an unbounded document is what costs (source-limits.ts).
  const tooBig = checkSourceLimits(text);
  if (tooBig) return { ok: false, problems: [tooBig] };
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false });
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  // parseAllDocuments returns an EmptyStream (an array with an `empty` flag) for blank text.
  const list = Array.isArray(docs) ? docs : [];
  if (list.length === 0) {
    return { ok: false, problems: [{ message: 'the document is empty' }] };
  }
  const problems: SyntaxProblem[] = [];
  for (const doc of list) {
    for (const error of doc.errors) {
      problems.push({ message: error.message.split('\n')[0] ?? error.message, position: position(error.pos[0]) });
    }
  }
  if (list.length > 1) {
    const second = list[1]!;
    problems.push({ message: `expected a single document, found ${list.length}`, position: position(second.range[0]) });
  }
  if (problems.length > 0) return { ok: false, problems };

  const doc = list[0]!;
  let value: unknown;
  try {
    // maxAliasCount bounds "billion laughs" expansion of YAML aliases.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, problems: [{ message: error instanceof Error ? error.message : String(error) }] };
  }
  if (value === null || value === undefined) {
    return { ok: false, problems: [{ message: 'the document is empty' }] };
  }

  const locate = (path: readonly PathSegment[], options: { key?: boolean } = {}): SourcePosition | undefined => {
    let node: unknown = doc.contents;
    // The key of the deepest segment found: where a person looks for a field that is
    // missing below it ("spec:" when spec.destination is required but absent).
    let lastKey: Node | undefined;
    let found = 0;
    for (const segment of path) {
      let next: unknown;
      let key: Node | undefined;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        key = pair.key as Node;
        next = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        next = node.items[segment];
      } else {
        break;
      }
      found++;
      lastKey = key ?? lastKey;
      node = next;
      if (node === null || node === undefined) {
        node = key;
        break;
      }
    }
    const complete = found === path.length;
    let target: Node | undefined;
    if (complete && options.key && lastKey) target = lastKey;
    else if (complete) target = node as Node | undefined;
    else target = lastKey ?? (doc.contents as Node | null) ?? undefined;
    const range = target?.range;
    return range ? position(range[0]) : { line: 1, column: 1 };
  };

  return { ok: true, document: { value, locate } };
}
