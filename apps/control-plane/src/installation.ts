import { buildInstallation } from '@qhc/manifests';
import type { RegionRecord } from '@qhc/schemas';
import type { Db } from './db/db.ts';
import { issueToken, listTokens, revokeToken, type Clock } from './repositories/tokens.ts';

// An installation command: the bootstrap token it carries and the commands that fetch the
// region's installation with it. /api/v1's installation route and the Cloud API's
// GenerateBootstrapCommands make them alike.

/** How long an installation command works unless the control plane is told otherwise. */
export const DEFAULT_BOOTSTRAP_TOKEN_TTL_SECONDS = 24 * 60 * 60;

/** As long as a real bootstrap token, so a check with it fails the way a real one would. */
const PLACEHOLDER_TOKEN = `qhc_b_${'0'.repeat(43)}`;

/**
 * Why an installation command made now would not work, before anything is issued (a refusal
 * must leave the region's tokens as they were: issue 19, finding 6); undefined when it would.
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

/** A new bootstrap token for the region; the ones not used yet stop working (a new command replaces them). */
export async function issueBootstrapToken(
  db: Db,
  regionId: string,
  options: { now: Clock; ttlSeconds: number },
): Promise<{ token: string; expiresAt: string }> {
  const { now } = options;
  const expiresAt = new Date(now() + options.ttlSeconds * 1000).toISOString();
  const token = await db.tx(async (tx) => {
    for (const t of await listTokens(tx, regionId)) if (t.kind === 'bootstrap' && !t.used_at && !t.revoked_at) await revokeToken(tx, t.id, now);
    return (await issueToken(tx, 'bootstrap', 'installation', { regionId, expiresAt, now })).token;
  });
  return { token, expiresAt };
}

/** The commands that install the region with `token`: the script, and the same through Helm. */
export function installationCommands(publicUrl: string, token: string) {
  const scriptUrl = new URL(`/install/${token}`, publicUrl).toString();
  const helmScriptUrl = new URL(`/install/${token}/helm`, publicUrl).toString();
  return { scriptUrl, command: `curl -fsSL ${scriptUrl} | bash`, helmScriptUrl, helmCommand: `curl -fsSL ${helmScriptUrl} | bash` };
}
