/**
 * metav1.MicroTime on the wire: RFC 3339 with exactly six fractional digits. Leases and
 * events.k8s.io events reject Date#toISOString()'s three.
 */
export function formatMicroTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Parses a MicroTime or Time string; undefined for a missing or unreadable one. */
export function parseKubeTime(value: string | undefined | null): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
