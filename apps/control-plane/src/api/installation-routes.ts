import { buildInstallation, renderHelmInstall, renderInstallScript } from '@qhc/manifests';
import { authenticate } from '../auth.ts';
import type { Store } from '../store.ts';
import { hashToken } from '../repositories/tokens.ts';
import type { Request, Router } from './http.ts';

export interface InstallationRouteOptions {
  store: Store;
  publicUrl: string;
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
  const scripts = new ScriptCache();

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
