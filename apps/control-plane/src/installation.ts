import { buildInstallation } from '@qhc/manifests';
import type { RegionRecord } from '@qhc/schemas';
import type { Db } from './db/db.ts';
import { issueToken, listTokens, revokeToken, type Clock } from './repositories/tokens.ts';

// An installation command of a region: shared by the Cloud API's GenerateBootstrapCommands and
// qhc.v1 CreateInstallation, so both refuse the same regions and issue tokens the same way.

/** How long an installation command works unless the control plane is told otherwise. */
export const DEFAULT_BOOTSTRAP_TOKEN_TTL_SECONDS = 24 * 60 * 60;

/** As long as a real bootstrap token, so a check with it fails the way a real one would. */
const PLACEHOLDER_TOKEN = `qhc_b_${'0'.repeat(43)}`;

/**
 * Why an installation command made now would not work, before anything is issued (undefined:
 * it would): a refusal must leave the region's tokens as they were (issue 19, finding 6).
 */
export function installationProblem(region: RegionRecord, publicUrl: string): string | undefined {
  let protocol: string;
  try {
    protocol = new URL(publicUrl).protocol;
  } catch {
    return `the control plane's public URL (--public-url) is not a URL: ${JSON.stringify(publicUrl)}`;
  }
  if (protocol !== 'https:')
    return `the control plane's public URL (--public-url) is ${publicUrl}; agents only connect over https: start qhc-control-plane with --public-url https://<host> (and --tls-cert/--tls-key, or TLS at a proxy in front)`;
  try {
    buildInstallation(region.spec, { controlPlaneUrl: publicUrl, bootstrapToken: PLACEHOLDER_TOKEN });
  } catch (error) {
    return `region ${region.name} cannot be installed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}

export interface IssuedInstallation {
  bootstrapToken: string;
  expiresAt: string;
  scriptUrl: string;
  command: string;
  helmScriptUrl: string;
  helmCommand: string;
}

export interface InstallationRequest {
  regionId: string;
  publicUrl: string;
  ttlSeconds: number;
  now: Clock;
}

/** A new bootstrap token (the region's unused ones are revoked: one command works at a time) and the commands using it. */
export async function issueInstallation(db: Db, request: InstallationRequest): Promise<IssuedInstallation> {
  const { regionId, publicUrl, now } = request;
  const expiresAt = new Date(now() + request.ttlSeconds * 1000).toISOString();
  const token = await db.tx(async (tx) => {
    for (const t of await listTokens(tx, regionId)) if (t.kind === 'bootstrap' && !t.used_at && !t.revoked_at) await revokeToken(tx, t.id, now);
    return (await issueToken(tx, 'bootstrap', 'installation', { regionId, expiresAt, now })).token;
  });
  const scriptUrl = new URL(`/install/${token}`, publicUrl).toString();
  const helmScriptUrl = new URL(`/install/${token}/helm`, publicUrl).toString();
  return {
    bootstrapToken: token,
    expiresAt,
    scriptUrl,
    command: `curl -fsSL ${scriptUrl} | bash`,
    helmScriptUrl,
    helmCommand: `curl -fsSL ${helmScriptUrl} | bash`,
  };
}
