import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HydraAdmin } from './admin.ts';
import { locateHydra } from './binary.ts';
import { walkLogin } from './flow.ts';
import { startHydra } from './hydra.ts';
import { startLoginApp } from './login-app.ts';
import { freePorts } from '@qhc/kube-sandbox';
import type { OidcProvider, OidcProviderEndpoints, OidcProviderHandle, OidcUser } from './types.ts';

export interface StartOidcProviderOptions {
  users: readonly OidcUser[];
  /** Keep the work folder (Hydra's log) after stop(). */
  keepWorkDir?: boolean;
}

/**
 * A real OpenID Connect provider on 127.0.0.1: Ory Hydra (in-memory store) and its login and
 * consent app, which knows `users`. Stop it with stop(); a Node exit kills Hydra by its PID.
 */
export async function startOidcProvider(options: StartOidcProviderOptions): Promise<OidcProvider> {
  const binary = locateHydra();
  const workDir = mkdtempSync(join(tmpdir(), 'qhc-oidc-'));
  const [publicPort, adminPort] = (await freePorts(2)) as [number, number];
  const admin = new HydraAdmin(`http://127.0.0.1:${adminPort}`);
  const app = await startLoginApp(admin, options.users);
  try {
    const hydra = await startHydra({ binary, publicPort, adminPort, loginAppUrl: app.url, workDir });
    const handle = connectOidcProvider({ issuer: hydra.issuer, adminUrl: hydra.adminUrl, loginAppUrl: app.url });
    return {
      ...handle,
      hydraPid: hydra.pid,
      hydraLogFile: hydra.logFile,
      stop: async () => {
        await hydra.stop();
        await closeServer(app.server);
        if (!options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await closeServer(app.server);
    throw error;
  }
}

/** The handle of a provider started elsewhere (a vitest globalSetup), from its endpoints. */
export function connectOidcProvider(endpoints: OidcProviderEndpoints): OidcProviderHandle {
  const admin = new HydraAdmin(endpoints.adminUrl);
  return {
    ...endpoints,
    createClient: (options) => admin.createClient(options),
    login: (authorizeUrl, credentials) => walkLogin(authorizeUrl, credentials, endpoints),
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
