// Registry credentials where docker, podman, skopeo and helm keep them, so `docker login`,
// `podman login` or `helm registry login` is all a user does before `qhc mirror`.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface BasicCredentials {
  username: string;
  password: string;
}

type AuthFile = { auths?: Record<string, { auth?: string }>; credsStore?: string; credHelpers?: Record<string, string> };

// Docker Hub is logged in to as index.docker.io (docker) or docker.io (podman), and its API is registry-1.docker.io.
const DOCKER_HUB = ['docker.io', 'index.docker.io', 'registry-1.docker.io'];

function authFiles(env: NodeJS.ProcessEnv): string[] {
  const home = homedir();
  const config = env.XDG_CONFIG_HOME ?? join(home, '.config');
  return [
    env.REGISTRY_AUTH_FILE,
    env.XDG_RUNTIME_DIR && join(env.XDG_RUNTIME_DIR, 'containers/auth.json'),
    join(config, 'containers/auth.json'),
    join(env.DOCKER_CONFIG ?? join(home, '.docker'), 'config.json'),
    env.HELM_REGISTRY_CONFIG ?? join(config, 'helm/registry/config.json'),
  ].filter((f): f is string => Boolean(f));
}

function readAuthFile(file: string): AuthFile {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as AuthFile;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

function sameHost(key: string, host: string): boolean {
  const bare = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return bare === host || (DOCKER_HUB.includes(bare) && DOCKER_HUB.includes(host));
}

export interface StoredLogin {
  credentials?: BasicCredentials;
  /** Where they came from, for messages. */
  file?: string;
  /** A credential helper is configured for the host: its secrets are out of reach. */
  helper?: string;
}

/** The first stored login for `host` (an `auth` entry: base64 of user:password). */
export function storedLogin(host: string, env: NodeJS.ProcessEnv = process.env): StoredLogin {
  let helper: string | undefined;
  for (const file of authFiles(env)) {
    if (!existsSync(file)) continue;
    const content = readAuthFile(file);
    for (const [key, entry] of Object.entries(content.auths ?? {})) {
      if (!sameHost(key, host) || !entry.auth) continue;
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }, file };
    }
    helper ??= Object.entries(content.credHelpers ?? {}).find(([key]) => sameHost(key, host))?.[1] ?? content.credsStore;
  }
  return { helper };
}

/** What to tell a user whose registry wants a login qhc could not find. */
export function loginHint(host: string, login: StoredLogin): string {
  if (login.credentials) return `the login stored in ${login.file} was refused: log in to ${host} again`;
  if (login.helper)
    return `the login for ${host} is kept by the credential helper "${login.helper}", which qhc cannot read: log in with podman login --authfile <file> ${host} and set REGISTRY_AUTH_FILE=<file>`;
  return `run docker login, podman login or helm registry login ${host}`;
}
