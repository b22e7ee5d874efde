import { toJson, type DescMessage } from '@bufbuild/protobuf';

// An object as the audit log keeps it: proto JSON with every secret replaced, bounded in size.
// Secrets are found by field name (key, password, secret, token, client_secret, and the
// installation commands and values that embed a token) and, should one hide in another field,
// by the shape of qhc's credentials.

export const REDACTED = '[redacted]';
/** The largest summary kept; a larger object keeps its first characters, marked as cut. */
export const MAX_SUMMARY_BYTES = 8 * 1024;

/** Last words of a field's name that say its value is (or carries) a secret. */
const SECRET_WORDS = new Set(['key', 'keys', 'password', 'secret', 'token', 'tokens', 'command', 'commands', 'values']);
/** Fields so named that are safe and useful: what a key is called, not the key. */
const SAFE_FIELDS = new Set(['key_prefix']);
/** qhc's credentials: management keys, agent and bootstrap tokens, sessions. */
const CREDENTIAL = /qhc_[a-z]{1,3}_[A-Za-z0-9_-]{8,}/g;

const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

export function isSecretField(name: string): boolean {
  const snake = words(name);
  if (SAFE_FIELDS.has(snake)) return false;
  return SECRET_WORDS.has(snake.split('_').at(-1)!) || snake === 'client_secret';
}

/** `value` with every secret field's value replaced (at any depth) and credential-shaped text cut out. */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(CREDENTIAL, REDACTED);
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, isSecretField(name) ? REDACTED : redact(item)]));
}

/** JSON text of at most MAX_SUMMARY_BYTES: `value`'s, or a marked prefix of it. */
export function bounded(value: unknown): string {
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) <= MAX_SUMMARY_BYTES) return text;
  // A prefix of the JSON, itself kept as a string: the summary stays one JSON document.
  let head = text.slice(0, MAX_SUMMARY_BYTES - 256);
  while (Buffer.byteLength(JSON.stringify({ truncated: true, bytes: 0, head })) > MAX_SUMMARY_BYTES) head = head.slice(0, -256);
  return JSON.stringify({ truncated: true, bytes: Buffer.byteLength(text), head });
}

/** A message's summary; undefined for an empty one (a Delete's answer). */
export function summaryOf(desc: DescMessage, message: unknown): string | undefined {
  if (message === undefined) return undefined;
  let json;
  try {
    json = toJson(desc, message as never);
  } catch (error) {
    // A field of a type this control plane cannot print (an Any of an unknown message): said, not guessed.
    return JSON.stringify({ unavailable: error instanceof Error ? error.message.slice(0, 200) : 'not printable' });
  }
  if (json === null || (typeof json === 'object' && !Array.isArray(json) && Object.keys(json).length === 0)) return undefined;
  return bounded(redact(json));
}
