import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The Hydra binary build.sh produced: QHC_HYDRA if set, else the build it last recorded.
 * A missing binary is an error that says how to build it.
 */
export function locateHydra(): string {
  const override = process.env.QHC_HYDRA;
  if (override) return override;
  const current = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'qhc', 'oidc-provider', 'current.json');
  if (!existsSync(current)) {
    throw new Error(`Ory Hydra is not built (no ${current}): run bash tooling/oidc-provider/build.sh`);
  }
  const binary = (JSON.parse(readFileSync(current, 'utf8')) as { binary: string }).binary;
  if (!existsSync(binary)) {
    throw new Error(`Ory Hydra is missing at ${binary}: run bash tooling/oidc-provider/build.sh`);
  }
  return binary;
}
