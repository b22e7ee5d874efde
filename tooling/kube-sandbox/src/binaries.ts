import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const BINARIES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'sandbox-etcd', 'kwok'] as const;
/** What only the opt-in real node needs: the kubelet and its pause image (an OCI archive). */
export const REAL_NODE_FILES = ['kubelet', 'pause.tar'] as const;
export type BinaryName = (typeof BINARIES)[number] | (typeof REAL_NODE_FILES)[number];

export interface SandboxBinaries {
  binDir: string;
  path(name: BinaryName): string;
}

function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'qhc', 'kube-sandbox');
}

/**
 * Finds the binaries build.sh produced: QHC_SANDBOX_BIN if set, else the build it last
 * recorded. A missing binary is an error that says how to build it.
 */
export function locateBinaries(required: readonly BinaryName[] = BINARIES): SandboxBinaries {
  let binDir = process.env.QHC_SANDBOX_BIN;
  if (!binDir) {
    // The real node's files are recorded apart (build.sh says why).
    const current = join(cacheRoot(), required === BINARIES ? 'current.json' : 'real-node.json');
    if (!existsSync(current)) {
      throw new Error(`the kube sandbox is not built (no ${current}): run bash tooling/kube-sandbox/build.sh`);
    }
    binDir = (JSON.parse(readFileSync(current, 'utf8')) as { binDir: string }).binDir;
  }
  const missing = required.filter((name) => !existsSync(join(binDir, name)));
  if (missing.length > 0) {
    throw new Error(`the kube sandbox binaries ${missing.join(', ')} are missing from ${binDir}: run bash tooling/kube-sandbox/build.sh`);
  }
  const dir = binDir;
  return { binDir: dir, path: (name) => join(dir, name) };
}
