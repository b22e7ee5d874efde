// The control plane's answers as sent, beside what this qhc parsed them into. The parse checks
// what qhc reads; -o json|yaml and a spec written back use the answer itself, so a field of a
// newer control plane is neither dropped nor replaced by this qhc's defaults.

const sent = new WeakMap<object, unknown>();

/** Keeps `answer` (the JSON as received) for `parsed`; returns `parsed`. */
export function rememberAnswer<T>(parsed: T, answer: unknown): T {
  if (typeof parsed === 'object' && parsed !== null) sent.set(parsed, answer);
  return parsed;
}

/** The answer `value` was parsed from, or `value` itself when it was not read from the control plane. */
export function answerOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null && sent.has(value) ? sent.get(value) : value;
}

/** The spec of the answer `record` was parsed from: what a change starts from and sends back. */
export function answeredSpec(record: { spec: unknown }): Record<string, unknown> {
  const spec = (answerOf(record) as { spec?: unknown }).spec;
  return structuredClone((spec && typeof spec === 'object' ? spec : {}) as Record<string, unknown>);
}
