import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

// Sealing a database API key for one agent (ECIES): an ephemeral X25519 key agreement with the
// agent's public key, HKDF-SHA256, AES-256-GCM. The control plane keeps only the sealed copy; the
// agent alone, holding the private key, opens it. The associated data (cluster and key ids) ties
// a sealed key to its place: moved to another cluster or key, it does not open.
// Apart from the main entry (`@qhc/schemas/sealing`): node:crypto has no place in the browser console.

const INFO = Buffer.from('qhc database api key v1');
const RAW_KEY = 32;
const IV = 12;
const TAG = 16;

/** An agent's key pair: the public key as reported (raw X25519, base64url), the private one as PKCS#8 PEM. */
export interface SealingKeyPair {
  publicKey: string;
  privateKeyPem: string;
}

export function generateSealingKeyPair(): SealingKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { publicKey: rawPublicKey(publicKey), privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

/** The raw public key (base64url) of a private key, as the agent reports it. */
export function publicKeyOf(privateKeyPem: string): string {
  return rawPublicKey(createPublicKey(createPrivateKey(privateKeyPem)));
}

const rawPublicKey = (key: KeyObject): string => {
  const { x } = key.export({ format: 'jwk' });
  if (!x) throw new Error('not an X25519 public key');
  return x;
};

const publicKeyFromRaw = (raw: string): KeyObject => createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw }, format: 'jwk' });

/** Whether `value` is a raw X25519 public key in base64url (what a report may carry). */
export function isSealingPublicKey(value: string): boolean {
  if (!/^[A-Za-z0-9_-]{43}$/.test(value)) return false;
  try {
    publicKeyFromRaw(value);
    return true;
  } catch {
    return false;
  }
}

const aeadKey = (shared: Buffer, ephemeral: Buffer, recipient: Buffer) =>
  Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeral, recipient]), INFO, 32));

/** `plaintext` sealed for the holder of `recipientPublicKey`: base64url(ephemeral public key | iv | tag | ciphertext). */
export function sealFor(recipientPublicKey: string, plaintext: string, associatedData: string): string {
  const recipient = publicKeyFromRaw(recipientPublicKey);
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralRaw = Buffer.from(rawPublicKey(ephemeral.publicKey), 'base64url');
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', aeadKey(shared, ephemeralRaw, Buffer.from(recipientPublicKey, 'base64url')), iv);
  cipher.setAAD(Buffer.from(associatedData));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([ephemeralRaw, iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
}

/** The plaintext, or undefined when this key pair cannot open it (sealed for another, altered, or moved). */
export function openSealed(privateKeyPem: string, sealed: string, associatedData: string): string | undefined {
  try {
    const bytes = Buffer.from(sealed, 'base64url');
    if (bytes.length <= RAW_KEY + IV + TAG) return undefined;
    const ephemeralRaw = bytes.subarray(0, RAW_KEY);
    const iv = bytes.subarray(RAW_KEY, RAW_KEY + IV);
    const tag = bytes.subarray(RAW_KEY + IV, RAW_KEY + IV + TAG);
    const privateKey = createPrivateKey(privateKeyPem);
    const shared = diffieHellman({ privateKey, publicKey: publicKeyFromRaw(ephemeralRaw.toString('base64url')) });
    const own = Buffer.from(rawPublicKey(createPublicKey(privateKey)), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', aeadKey(shared, ephemeralRaw, own), iv);
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(bytes.subarray(RAW_KEY + IV + TAG)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** What a sealed database API key is bound to: its cluster (the Kubernetes identity) and its id. */
export const sealedKeyContext = (clusterId: string, keyId: string): string => `qhc/database-api-key/${clusterId}/${keyId}`;
