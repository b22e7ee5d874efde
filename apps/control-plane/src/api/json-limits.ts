import type { Problem } from '@qhc/schemas';
import { ApiError } from '../errors.ts';

/**
 * Request bodies nested deeper than this are refused before JSON.parse: parsing is iterative
 * in V8 but costs (a 1 MiB body of brackets takes ~0.4 s), and later JSON.stringify recurses.
 * The schemas bound every field far below this; this only keeps the parse cheap.
 */
export const MAX_BODY_DEPTH = 64;

/**
 * Keys, array items and containers a body may hold: each becomes an object or a problem later
 * (a 4 MiB body of `{}` items is a million of them); the schemas bound every list far below this.
 */
export const MAX_BODY_ELEMENTS = 10_000;

/**
 * One pass over the text that stops at the first container nested deeper than `maxDepth`, or
 * the first element past `maxElements`, answering with the path of keys and indexes that leads
 * there (the field to name). Elements: every container, key and array comma.
 */
export function jsonDepthProblem(text: string, maxDepth = MAX_BODY_DEPTH, maxElements = MAX_BODY_ELEMENTS): Problem | undefined {
  const frames: Array<{ array: boolean; key: string | number }> = [];
  let lastString = '';
  let stringStart = -1;
  let elements = 0;
  const tooMany = (): Problem => ({ path: frames.map((f) => f.key), code: 'too_many', message: `holds more than ${maxElements} keys and array items in all` });
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (stringStart >= 0) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) {
        const raw = text.slice(stringStart, i);
        lastString = raw.includes('\\') ? jsonString(`"${raw}"`) : raw;
        stringStart = -1;
      }
      continue;
    }
    if (c === 34) {
      stringStart = i + 1;
      continue;
    }
    if ((c === 123 || c === 91 || c === 58 || c === 44) && ++elements > maxElements) return tooMany();
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (frames.length >= maxDepth) {
        return { path: frames.map((f) => f.key), code: 'too_deep', message: `nests objects or arrays more than ${maxDepth} levels deep` };
      }
      frames.push({ array: c === 91, key: c === 91 ? 0 : '' });
    } else if (c === 125 /* } */ || c === 93 /* ] */) frames.pop();
    else if (c === 58 /* : */ && frames.length > 0) frames[frames.length - 1]!.key = lastString;
    else if (c === 44 /* , */ && frames.at(-1)?.array) (frames[frames.length - 1]!.key as number)++;
  }
  return undefined;
}

// The key as the client wrote it, escapes resolved (a key this scan got wrong is named as written).
function jsonString(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

/** Throws the 400 for a body nested too deep or holding too many elements, naming where. */
export function checkBodyDepth(text: string): void {
  const problem = jsonDepthProblem(text);
  if (problem) throw new ApiError(400, 'Invalid', `the request body at ${problem.path.join('.') || '(top)'} ${problem.message}`, [problem]);
}
