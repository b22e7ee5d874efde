import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

// Passwords are stored as argon2id PHC strings. The hashing is OpenSSL's argon2id through
// node:crypto (Node ≥ 24.7): maintained with Node, no native addon to build into the images.
// Only the PHC string's encoding is ours, as node:crypto answers raw bytes.

const argon2Async = promisify(argon2);

/** OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane); tests may lower the cost, never production. */
export interface Argon2Cost {
  memoryKiB: number;
  passes: number;
  parallelism: number;
}
export const DEFAULT_ARGON2_COST: Argon2Cost = { memoryKiB: 19_456, passes: 2, parallelism: 1 };

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

async function derive(password: string, salt: Buffer, cost: Argon2Cost): Promise<Buffer> {
  return argon2Async('argon2id', { message: password, nonce: salt, parallelism: cost.parallelism, tagLength: 32, memory: cost.memoryKiB, passes: cost.passes });
}

/** `$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>` of `password` with a fresh 16-byte salt. */
export async function hashPassword(password: string, cost: Argon2Cost = DEFAULT_ARGON2_COST): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, cost);
  return `$argon2id$v=19$m=${cost.memoryKiB},t=${cost.passes},p=${cost.parallelism}$${b64(salt)}$${b64(hash)}`;
}

const PHC = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]{16,})\$([A-Za-z0-9+/]{16,})$/;

/** Whether `password` is the one `stored` was made from; the cost is the stored one, so old hashes keep verifying. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = PHC.exec(stored);
  if (!match) return false;
  const [, m, t, p, salt, hash] = match;
  const expected = Buffer.from(hash!, 'base64');
  const actual = await derive(password, Buffer.from(salt!, 'base64'), { memoryKiB: Number(m), passes: Number(t), parallelism: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A hash no password matches, for signing in as an email that has no user: verifying against it
 * costs what a real verification costs, so "no such user" and "wrong password" take as long
 * (when `cost` is the cost passwords are hashed with).
 */
export const unusablePasswordHash = (cost: Argon2Cost = DEFAULT_ARGON2_COST) =>
  `$argon2id$v=19$m=${cost.memoryKiB},t=${cost.passes},p=${cost.parallelism}$${b64(randomBytes(16))}$${b64(randomBytes(32))}`;
export const UNUSABLE_PASSWORD_HASH = unusablePasswordHash();
