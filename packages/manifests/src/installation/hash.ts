import { createHash } from 'node:crypto';
import type { Region } from '@qhc/schemas';
import { normalize } from '../object.ts';

/** On the operator settings ConfigMap: which installation inputs the installation was made from (see installationHash). */
export const INSTALLATION_HASH_ANNOTATION = 'qhc.dev/installation-hash';
/** On each component's pod template: the CA bundle it read at start (NODE_EXTRA_CA_CERTS is read once). */
export const CA_CHECKSUM_ANNOTATION = 'qhc.dev/ca-checksum';

/** SHA-256 of a text, hex: what Helm's `sha256sum` gives for the same string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * One fingerprint of everything a region's installation is made from: the region as the
 * control plane stores it and its registry credentials. The control plane stamps it into a
 * Helm installation's values, the agent computes it from the desired state with this same
 * function, and a difference means the Helm release is out of date. Only a digest: the
 * credentials cannot be read back from it.
 */
export function installationHash(region: Region, registry?: { username: string; password: string }): string {
  return sha256Hex(JSON.stringify(normalize({ region, registry: registry ?? null })));
}
