import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyRing } from './ring.ts';

// AES-256-GCM, a random 12-byte IV per value, stored as `enc:v1:<key id>:<base64(iv | ciphertext | tag)>`.
// The associated data is the value's place (`table.column` and the row's id): a value copied to
// another row or column does not decrypt, so it cannot stand in for that row's secret.

export const ENCRYPTED_PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where a secret is stored: what it is bound to. */
export interface SecretPlace {
  /** `table.column`, e.g. `regions.registry_credentials`. */
  column: string;
  rowId: string;
}

/** A stored value that cannot be read: tampered with, moved, or under a key the ring lacks. */
export class SecretError extends Error {}

const aad = (at: SecretPlace) => Buffer.from(`${at.column}\u0000${at.rowId}`, 'utf8');
const where = (at: SecretPlace) => `${at.column} of row ${at.rowId}`;

export const isEncrypted = (stored: string) => stored.startsWith(ENCRYPTED_PREFIX);

/** The id of the key `stored` is encrypted under; undefined when it is not encrypted. */
export function keyIdOf(stored: string): string | undefined {
  if (!isEncrypted(stored)) return undefined;
  const rest = stored.slice(ENCRYPTED_PREFIX.length);
  const colon = rest.indexOf(':');
  return colon > 0 ? rest.slice(0, colon) : undefined;
}

/** `plaintext` encrypted under the ring's first key, bound to `at`. */
export function encryptSecret(ring: KeyRing, at: SecretPlace, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring.primary.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(at));
  const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${ENCRYPTED_PREFIX}${ring.primary.id}:${body.toString('base64')}`;
}

/** The plaintext of a value encryptSecret stored at `at`; SecretError naming the key id and row otherwise. */
export function decryptSecret(ring: KeyRing, at: SecretPlace, stored: string): string {
  const id = keyIdOf(stored);
  if (id === undefined) throw new SecretError(`${where(at)} is not an encrypted value (enc:v1:<key id>:…)`);
  const key = ring.keys.get(id);
  if (!key) throw new SecretError(`${where(at)} is encrypted under key id ${id}, which the secrets key ring does not hold`);
  const body = Buffer.from(stored.slice(ENCRYPTED_PREFIX.length + id.length + 1), 'base64');
  if (body.length < IV_BYTES + TAG_BYTES) throw new SecretError(`${where(at)} (key id ${id}) is truncated`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, body.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(at));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretError(`${where(at)} (key id ${id}) does not decrypt: altered, or copied from another row`);
  }
}
