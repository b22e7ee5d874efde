// OCI images of the operator, the agent, the control plane and the cluster manager, built offline: no base image
// can be pulled here, so each is FROM scratch with the Node 24 binary, the seven glibc
// libraries it links, CA certificates, a non-root user, and the app bundled into one file.
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bundleApp } from './bundle.ts';
import { assertBundleLoadsOnlyBuiltins } from './bundle-check.ts';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const APPS = {
  'qhc-operator': { dir: 'apps/operator', description: 'qhc operator: reconciles QdrantClusters' },
  'qhc-agent': { dir: 'apps/agent', description: 'qhc agent: keeps a region in step with the control plane over outgoing HTTPS' },
  'qhc-control-plane': {
    dir: 'apps/control-plane',
    description: 'qhc control plane: regions, clusters, installation commands, the agent endpoint, the web console',
    // The bundle cannot find @qhc/console next to itself: its built assets are copied in and named.
    assets: { from: 'packages/console/dist/app', to: 'app/console', env: 'QHC_CONSOLE_DIR' },
  },
  'qhc-cluster-manager': { dir: 'apps/cluster-manager', description: 'qhc cluster manager: rebalances shards, drains nodes, recovers dead peers' },
} as const satisfies Record<string, AppImage>;
export type ImageName = keyof typeof APPS;

interface AppImage {
  dir: string;
  description: string;
  /** Files the app reads besides its bundle, copied into the image and named by an env variable. */
  assets?: { from: string; to: string; env: string };
}

/** The user the apps run as: not root, no shell, no home to write. */
export const UID = 65532;

export interface BuiltImage {
  name: ImageName;
  reference: string;
  sizeBytes: number;
  buildSeconds: number;
}

/** buildah/podman flags that work on these machines: vfs storage, and (for podman) runc with no ulimits. */
export const STORAGE = ['--storage-driver', 'vfs'];

/**
 * podman's environment: a containers.conf without default ulimits (the machine lacks
 * CAP_SYS_RESOURCE, and crun's setrlimit fails); run with `--runtime runc`.
 */
export function podmanEnv(): NodeJS.ProcessEnv {
  const dir = join(tmpdir(), 'qhc-podman');
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'containers.conf');
  writeFileSync(conf, '[containers]\ndefault_ulimits = []\n');
  return { ...process.env, CONTAINERS_CONF: conf };
}
export const RUN = [...STORAGE, '--runtime', 'runc'];

/** Libraries `node` links against (from ldd), copied at their paths. */
async function libraries(node: string): Promise<string[]> {
  const { stdout } = await exec('ldd', [node]);
  return [...stdout.matchAll(/(\/\S+\.so[.\d]*)/g)].map((m) => m[1]!);
}

/** The entry esbuild bundles for an app. */
export const appEntry = (app: ImageName): string => join(ROOT, APPS[app].dir, 'src/main.ts');

/**
 * Flags for node itself that an app declares in its package.json (`qhc.nodeFlags`): V8's
 * flags that NODE_OPTIONS refuses (the operator's --optimize-for-size), so the image's
 * entrypoint carries them, and the app's bench reads the same list.
 */
export function nodeFlags(app: ImageName): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, APPS[app].dir, 'package.json'), 'utf8')) as { qhc?: { nodeFlags?: unknown } };
  const flags = pkg.qhc?.nodeFlags ?? [];
  if (!Array.isArray(flags) || !flags.every((f) => typeof f === 'string' && /^--[a-z0-9][a-z0-9_-]*(=\S+)?$/.test(f)))
    throw new Error(`${APPS[app].dir}/package.json: qhc.nodeFlags must be a list of --flags, got ${JSON.stringify(flags)}`);
  return flags as string[];
}
export { ROOT as WORKSPACE_ROOT };

async function bundle(app: ImageName, out: string): Promise<void> {
  // Fails the build, not the image's first run, on a runtime require of a package left outside.
  assertBundleLoadsOnlyBuiltins(await bundleApp(appEntry(app), join(out, 'app.mjs'), { workingDir: ROOT }), { name: `${app}'s bundle` });
  const pkg = JSON.parse(readFileSync(join(ROOT, APPS[app].dir, 'package.json'), 'utf8')) as { version: string };
  // The agent reads its version from ../package.json relative to its module.
  writeFileSync(join(out, '..', 'package.json'), JSON.stringify({ name: `@qhc/${app.replace('qhc-', '')}`, version: pkg.version, type: 'module' }));
}

/** Builds one image with buildah; returns its reference, size and build time. */
export async function buildImage(app: ImageName, options: { version?: string; revision?: string } = {}): Promise<BuiltImage> {
  const started = performance.now();
  // A malformed qhc.nodeFlags fails here, before the bundle and the root filesystem are built.
  const flags = nodeFlags(app);
  const version = options.version ?? (JSON.parse(readFileSync(join(ROOT, APPS[app].dir, 'package.json'), 'utf8')) as { version: string }).version;
  const revision =
    options.revision ??
    (await exec('git', ['rev-parse', 'HEAD'], { cwd: ROOT })
      .then((r) => r.stdout.trim())
      .catch(() => 'unknown'));
  const context = mkdtempSync(join(tmpdir(), `qhc-image-${app}-`));
  try {
    const rootfs = join(context, 'rootfs');
    const node = realpathSync(process.execPath);
    mkdirSync(join(rootfs, 'usr/local/bin'), { recursive: true });
    copyFileSync(node, join(rootfs, 'usr/local/bin/node'));
    for (const lib of await libraries(node)) {
      mkdirSync(join(rootfs, dirname(lib)), { recursive: true });
      copyFileSync(realpathSync(lib), join(rootfs, lib));
    }
    mkdirSync(join(rootfs, 'etc/ssl/certs'), { recursive: true });
    cpSync('/etc/ssl/certs/ca-certificates.crt', join(rootfs, 'etc/ssl/certs/ca-certificates.crt'));
    writeFileSync(join(rootfs, 'etc/passwd'), `root:x:0:0:root:/root:/sbin/nologin\nqhc:x:${UID}:${UID}:qhc:/nonexistent:/sbin/nologin\n`);
    writeFileSync(join(rootfs, 'etc/group'), `root:x:0:\nqhc:x:${UID}:\n`);
    mkdirSync(join(rootfs, 'tmp'), { recursive: true });
    mkdirSync(join(rootfs, 'app/dist'), { recursive: true });
    await bundle(app, join(rootfs, 'app/dist'));
    const assets = (APPS[app] as AppImage).assets;
    if (assets) {
      if (!existsSync(join(ROOT, assets.from, 'index.html'))) throw new Error(`${assets.from} is not built: run pnpm build first`);
      cpSync(join(ROOT, assets.from), join(rootfs, assets.to), { recursive: true });
    }
    const labels = {
      'org.opencontainers.image.title': app,
      'org.opencontainers.image.description': APPS[app].description,
      'org.opencontainers.image.version': version,
      'org.opencontainers.image.revision': revision,
      'org.opencontainers.image.source': 'https://github.com/qhc-dev/qhc',
      'org.opencontainers.image.licenses': 'Apache-2.0',
    };
    writeFileSync(
      join(context, 'Containerfile'),
      [
        'FROM scratch',
        'COPY rootfs/ /',
        ...Object.entries(labels).map(([k, v]) => `LABEL ${k}=${JSON.stringify(v)}`),
        `ENV NODE_ENV=production SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt${assets ? ` ${assets.env}=/${assets.to}` : ''}`,
        `USER ${UID}:${UID}`,
        'WORKDIR /app',
        // node is PID 1: the apps handle SIGTERM themselves and exit when done.
        `ENTRYPOINT ${JSON.stringify(['/usr/local/bin/node', ...flags, '/app/dist/app.mjs'])}`,
        '',
      ].join('\n'),
    );
    const reference = `localhost/${app}:${version}`;
    // The previous build of this tag would stay behind as a dangling image (vfs copies are whole).
    await exec('buildah', [...STORAGE, 'rmi', '-f', reference]).catch(() => undefined);
    await exec('buildah', [...STORAGE, 'bud', '--quiet', '--layers=false', '-t', reference, '-f', join(context, 'Containerfile'), context], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const { stdout } = await exec('podman', [...STORAGE, 'image', 'inspect', reference, '--format', '{{.Size}}'], { env: podmanEnv() });
    const sizeBytes = Number(stdout.trim());
    return { name: app, reference, sizeBytes, buildSeconds: Math.round((performance.now() - started) / 100) / 10 };
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}
