import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The chart's source directory. */
export const CHART_DIR = fileURLToPath(new URL('../../../charts/qhc/', import.meta.url));
export const CHART_NAME = 'qhc';

/** The helm binary build.sh made (QHC_HELM overrides); a clear error when it was never built. */
export function helmBinary(): string {
  if (process.env.QHC_HELM) return process.env.QHC_HELM;
  const current = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'qhc/helm/current.json');
  if (!existsSync(current)) throw new Error(`helm is not built: run tooling/helm/build.sh (or scripts/setup.sh); looked for ${current}`);
  const { binary } = JSON.parse(readFileSync(current, 'utf8')) as { binary: string };
  if (!existsSync(binary)) throw new Error(`helm is missing at ${binary}: run tooling/helm/build.sh again`);
  return binary;
}

let privateHome: string | undefined;

/**
 * Runs helm with its own config, cache and data folders (never the user's, and private to this
 * process: nobody else can plant plugins or repositories there), returning stdout; stderr is
 * in the error.
 */
export async function helm(args: string[], options: { env?: NodeJS.ProcessEnv; home?: string } = {}): Promise<string> {
  const home = options.home ?? (privateHome ??= mkdtempSync(join(tmpdir(), 'qhc-helm-')));
  const env = {
    ...process.env,
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_DATA_HOME: join(home, 'data'),
    ...options.env,
  };
  try {
    const { stdout } = await exec(helmBinary(), args, { env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`helm ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`, { cause: error });
  }
}

/**
 * The registry login file a push should use: what podman/buildah login wrote, else docker's.
 * helm reads only its own and docker's unless told.
 */
export function registryAuthFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const config = env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  const candidates = [
    env.REGISTRY_AUTH_FILE,
    env.XDG_RUNTIME_DIR && join(env.XDG_RUNTIME_DIR, 'containers/auth.json'),
    join(config, 'containers/auth.json'),
    join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json'),
  ];
  return candidates.find((f): f is string => Boolean(f) && existsSync(f!));
}

/** Packages the chart with the release's version as both chart version and appVersion; returns the .tgz path. */
export async function packageChart(outDir: string, version: string): Promise<string> {
  await helm(['package', CHART_DIR, '--destination', outDir, '--version', version, '--app-version', version]);
  return join(outDir, `${CHART_NAME}-${version}.tgz`);
}
