/**
 * The texts of an HTTP `Warning` header as the control plane (like the kube-apiserver) sends
 * them: `299 - "first", 299 - "second \"quoted\""`.
 */
export function parseWarningHeader(header: string | null): string[] {
  if (!header) return [];
  return [...header.matchAll(/\d{3} [^ ]+ "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replaceAll(/\\(.)/g, '$1'));
}
