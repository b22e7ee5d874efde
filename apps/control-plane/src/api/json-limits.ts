import type { Problem } from '@qhc/schemas';
import { ApiError } from '../errors.ts';

/**
 * Request bodies nested deeper than this are refused before JSON.parse: parsing is iterative
 * in V8 but costs (a 1 MiB body of brackets takes ~0.4 s), and later JSON.stringify recurses.
 * The schemas bound every field far below this; this only keeps the parse cheap.
 */
export const MAX_BODY_DEPTH = 64;

/**
 * One pass over the text that stops at the first container nested deeper than `maxDepth`,
 * answering with the path of keys and indexes that leads there (the field to name).
 */
export function jsonDepthProblem(text: string, maxDepth = MAX_BODY_DEPTH): Problem | undefined {
  const frames: Array<{ array: boolean; key: string | number }> = [];
  let lastString = '';
  let stringStart = -1;
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
    if (c === 34) stringStart = i + 1;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
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

/** Throws the 400 for a body nested too deep, naming where. */
export function checkBodyDepth(text: string): void {
  const problem = jsonDepthProblem(text);
  if (problem) throw new ApiError(400, 'Invalid', `the request body at ${problem.path.join('.') || '(top)'} ${problem.message}`, [problem]);
}
