import { AGENT_REPORT_BOUNDS, AgentReport } from '@qhc/schemas';

type Parsed = ReturnType<typeof AgentReport.safeParse>;

/**
 * The report as the control plane's contract takes it. Free text the region produced (a
 * Kubernetes error, an HTML page from a proxy) can outgrow the contract's limits exactly when
 * the status matters most: such strings are cut to their limit rather than losing the report.
 * `undefined` values are dropped, as JSON would drop them.
 */
export function fitReport(status: unknown): Parsed {
  const plain = JSON.parse(JSON.stringify(status)) as unknown;
  clipLongStrings(plain, AGENT_REPORT_BOUNDS.maxStringLength);
  const first = AgentReport.safeParse(plain);
  if (first.success) return first;
  let clipped = false;
  for (const issue of first.error.issues) {
    if (issue.code === 'too_big' && issue.origin === 'string') clipped = clipAt(plain, issue.path, Number(issue.maximum)) || clipped;
  }
  return clipped ? AgentReport.safeParse(plain) : first;
}

/** Cuts every string over the report's bound on any string (which is checked before the fields' own limits). */
function clipLongStrings(root: unknown, max: number): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const at = stack.pop();
    if (typeof at !== 'object' || at === null) continue;
    const record = at as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (typeof value === 'string' && value.length > max) record[key] = `${value.slice(0, max - 1)}…`;
      else if (typeof value === 'object') stack.push(value);
    }
  }
}

function clipAt(root: unknown, path: readonly PropertyKey[], max: number): boolean {
  let at = root as Record<PropertyKey, unknown>;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) return false;
    at = at[key] as Record<PropertyKey, unknown>;
  }
  const last = path.at(-1);
  const value = last === undefined ? undefined : at[last];
  if (typeof value !== 'string' || last === undefined) return false;
  at[last] = `${value.slice(0, Math.max(0, max - 1))}…`;
  return true;
}
