import { closestMatch } from '@qhc/schemas';

/** "did you mean …?" when a name is close to one that exists, else where to look. */
export function didYouMean(name: string, names: string[], listCommand: string): string {
  const close = closestMatch(name, names);
  return close ? `did you mean "${close}"? (see \`${listCommand}\`)` : `see \`${listCommand}\``;
}
