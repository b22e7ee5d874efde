import { randomBytes } from 'node:crypto';

// The key ring secrets at rest are encrypted with: one or more `<key id>:<base64 of 32 bytes>`
// entries (separated by newlines, commas or spaces). The first encrypts; all decrypt, so a new
// first key can be put in front of the old ones and `rotate-secrets` moves every value onto it.

export interface SecretKey {
  readonly id: string;
  readonly key: Buffer;
}

export interface KeyRing {
  /** The key new values are encrypted with: the ring's first entry. */
  readonly primary: SecretKey;
  /** Every key of the ring, by id, the primary included. */
  readonly keys: ReadonlyMap<string, SecretKey>;
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Reads a key ring; `source` names where it came from in the errors (never the key material). */
export function parseKeyRing(text: string, source: string): KeyRing {
  const entries = text.split(/[\s,]+/).filter(Boolean);
  if (entries.length === 0) throw new Error(`${source}: no key; give one or more "<key id>:<base64 of 32 bytes>" entries`);
  const keys = new Map<string, SecretKey>();
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const material = entry.slice(colon + 1);
    const where = `${source}: entry ${index + 1}`;
    if (!KEY_ID.test(id)) throw new Error(`${where}: not "<key id>:<base64 of 32 bytes>" (a key id is 1 to 64 of A-Z a-z 0-9 _ . -)`);
    const key = Buffer.from(material, 'base64');
    if (!BASE64.test(material) || key.length !== 32) throw new Error(`${where} (key id ${id}): the key is not the base64 of 32 bytes`);
    if (keys.has(id)) throw new Error(`${where}: key id ${id} appears twice`);
    keys.set(id, { id, key });
  });
  return { primary: keys.values().next().value!, keys };
}

/** A new ring's text: one random key, its id from the date (so a later key sorts apart from it). */
export function generateKeyRingText(now = new Date()): string {
  const id = `k${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`;
  return `${id}:${randomBytes(32).toString('base64')}\n`;
}

/** A ring of one random key, for a database opened without one (tests; `:memory:`): its secrets die with it. */
export const ephemeralKeyRing = (): KeyRing => parseKeyRing(generateKeyRingText(), 'a generated key');
