// Secrets at rest: AES-256-GCM under a key ring (ring.ts, key-source.ts), bound to their row
// (cipher.ts), re-encrypted under the ring's first key by rotate.ts.
export { decryptSecret, encryptSecret, isEncrypted, keyIdOf, SecretError, type SecretPlace } from './cipher.ts';
export { columnName, SECRET_COLUMNS, type SecretColumn } from './columns.ts';
export { generatedKeyFileOf, KEY_RING_FORMAT, resolveKeyRing, type SecretsKeySource } from './key-source.ts';
export { generateKeyRingText, parseKeyRing, type KeyRing, type SecretKey } from './ring.ts';
export { rotateSecrets, type Rotated } from './rotate.ts';
