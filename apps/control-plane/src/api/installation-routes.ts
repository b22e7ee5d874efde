import { buildInstallation, renderHelmInstall, renderInstallScript } from '@qhc/manifests';
import { authenticate } from '../auth.ts';
import { ApiError } from '../errors.ts';
import type { RegionRecord, Store } from '../store.ts';
import { hashToken, issueToken, listTokens, revokeToken } from '../repositories/tokens.ts';
import type { Request, Router } from './http.ts';

/** How long an installation command works unless the control plane is told otherwise. */
export const DEFAULT_BOOTSTRAP_TOKEN_TTL_SECONDS = 24 * 60 * 60;

export interface InstallationRouteOptions {
  store: Store;
  publicUrl: string;
  bootstrapTokenTtlSeconds?: number;
}

/** As long as a real bootstrap token, so a check with it fails the way a real one would. */
const PLACEHOLDER_TOKEN = `qhc_b_${'0'.repeat(43)}`;

/**
 * Whether an installation command made now would work, before anything is issued: a refusal
 * must leave the region's tokens as they were (issue 19, finding 6).
 */
function checkInstallable(region: RegionRecord, publicUrl: string): void {
  let protocol: string;
  try {
    protocol = new URL(publicUrl).protocol;
  } catch {
    throw new ApiError(409, 'NotInstallable', `the control plane's public URL (--public-url) is not a URL: ${JSON.stringify(publicUrl)}`);
  }
  if (protocol !== 'https:')
    throw new ApiError(
      409,
      'NotInstallable',
      `the control plane's public URL (--public-url) is ${publicUrl}; agents only connect over https: start qhc-control-plane with --public-url https://<host> (and --tls-cert/--tls-key, or TLS at a proxy in front)`,
    );
  try {
    buildInstallation(region.spec, { controlPlaneUrl: publicUrl, bootstrapToken: PLACEHOLDER_TOKEN });
  } catch (error) {
    throw new ApiError(409, 'NotInstallable', `region ${region.name} cannot be installed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The rendered scripts, by token hash, region revision and flavour. The script is ~100 KB and
 * costs tens of ms of CPU to render; a region's pipeline fetches it more than once. Safe across
 * replicas: each replica keeps its own copy, the key carries the region's revision read from the
 * shared database on every fetch (a changed region or registry credential bumps it, so a stale
 * entry is never served), and the token is authenticated on every fetch before the cache is
 * read (a revoked, used or expired token gets nothing). Bounded: the oldest entry goes first.
 */
export class ScriptCache {
  private readonly entries = new Map<string, string>();
  private readonly max: number;
  constructor(max = 32) {
    this.max = max;
  }

  getOrRender(key: string, render: () => string): string {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const script = render();
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, script);
    return script;
  }
}

export function installationRoutes(router: Router, options: InstallationRouteOptions): void {
  const { store } = options;
  const { db, now } = store;
  const ttlSeconds = options.bootstrapTokenTtlSeconds ?? DEFAULT_BOOTSTRAP_TOKEN_TTL_SECONDS;
  const scripts = new ScriptCache();

  router.on('POST', '/api/v1/regions/:region/installation', async (req) => {
    await authenticate(db, req, ['user'], now);
    const region = await store.region(req.params.region!);
    checkInstallable(region, options.publicUrl);
    const expiresAt = new Date(now() + ttlSeconds * 1000).toISOString();
    const token = await db.tx(async (tx) => {
      // A new installation command invalidates the ones not used yet.
      for (const t of await listTokens(tx, region.id)) if (t.kind === 'bootstrap' && !t.used_at && !t.revoked_at) await revokeToken(tx, t.id, now);
      return (await issueToken(tx, 'bootstrap', 'installation', { regionId: region.id, expiresAt, now })).token;
    });
    const scriptUrl = new URL(`/install/${token}`, options.publicUrl).toString();
    const helmScriptUrl = new URL(`/install/${token}/helm`, options.publicUrl).toString();
    return {
      status: 201,
      json: {
        bootstrapToken: token,
        expiresAt,
        scriptUrl,
        command: `curl -fsSL ${scriptUrl} | bash`,
        helmScriptUrl,
        helmCommand: `curl -fsSL ${helmScriptUrl} | bash`,
      },
    };
  });

  const scriptOf = async (req: Request, flavour: 'script' | 'helm') => {
    const token = req.params.token!;
    const row = await authenticate(db, { ...req, headers: { authorization: `Bearer ${token}` } }, ['bootstrap'], now);
    const region = await store.regionById(row.region_id!);
    const registry = await store.registryCredentials(region.id);
    const credentials = { controlPlaneUrl: options.publicUrl, bootstrapToken: token, ...(registry ? { registry } : {}) };
    const text = scripts.getOrRender(`${flavour}:${hashToken(token)}:${region.revision}`, () =>
      flavour === 'helm' ? renderHelmInstall(region.spec, credentials) : renderInstallScript(region.spec, buildInstallation(region.spec, credentials)),
    );
    return { status: 200, text, type: 'text/x-shellscript; charset=utf-8' };
  };
  router.on('GET', '/install/:token', (req) => scriptOf(req, 'script'));
  // The same installation as `helm upgrade --install` of the region's chart, values on stdin.
  router.on('GET', '/install/:token/helm', (req) => scriptOf(req, 'helm'));
}
