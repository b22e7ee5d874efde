// The release as a third party receives it: every published package goes to a local npm
// registry (verdaccio on 127.0.0.1, started and stopped here), beside the third-party packages
// the consumer needs, mirrored from the workspace's own store (an air-gapped mirror: no network
// during the test); a fresh folder installs @qhc/schemas and @qhc/cli from it, compiles a
// TypeScript file against the parse functions and types with tsc --strict, validates documents
// with a JSON Schema from the package using ajv, and runs `npx qhc --help`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, PUBLISHED, ROOT, run } from './support.ts';
import { freePorts, waitFor } from '@qhc/kube-sandbox';
import { qdrantClusterFixture } from '@qhc/schemas/test';

let registry: ChildProcess | undefined;
let url = '';
let work = '';
let npmrc = '';
let consumerNpmrc = '';
const version = (JSON.parse(readFileSync(join(ROOT, 'packages/schemas/package.json'), 'utf8')) as { version: string }).version;

/** Third-party packages the consumer installs (with their dependencies), by major version. */
const MIRRORED: Array<[string, string]> = [
  ['zod', '4'],
  ['yaml', '2'],
  ['typescript', '6'],
  ['ajv', '8'],
  ['fast-deep-equal', '3'],
  ['fast-uri', '3'],
  ['json-schema-traverse', '1'],
  ['require-from-string', '2'],
  ['@types/node', '24'],
  ['undici-types', '7'],
];

/** A package document from the local registry, as npm reads it. */
async function packument<T>(name: string): Promise<T> {
  return (await (await fetch(`${url}${name.replace('/', '%2f')}`)).json()) as T;
}

/** Packs a package from the workspace's pnpm store and publishes it to the local registry, as npm would. */
async function mirror(name: string, major: string, token: string): Promise<void> {
  const store = join(ROOT, 'node_modules/.pnpm');
  const prefix = `${name.replace('/', '+')}@${major}.`;
  const entry = readdirSync(store)
    .filter((e) => e.startsWith(prefix))
    .toSorted()
    .at(-1);
  if (!entry) throw new Error(`${name}@${major} is not in the workspace's store`);
  const dir = join(store, entry, 'node_modules', name);
  // npm's tarball layout (everything under package/), made with tar: `npm pack` on a store
  // directory dies ("Exit handler never called"). pnpm's store hard-links identical files, and
  // npm skips link entries when it unpacks: each file goes in whole.
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown> & { version: string };
  const filename = `${name.replace('/', '-').replace('@', '')}-${manifest.version}.tgz`;
  const packed = await run('tar', [
    '-czf',
    join(work, filename),
    '--owner=0',
    '--group=0',
    '--hard-dereference',
    '--transform',
    's,^\\.,package,',
    '-C',
    dir,
    '.',
  ]);
  if (packed.code !== 0) throw new Error(`packing ${name}: ${packed.stderr}`);
  const { version: packedVersion } = manifest;
  const tarball = readFileSync(join(work, filename));
  const tarballName = `${name}-${packedVersion}.tgz`;
  const body = {
    _id: name,
    name,
    'dist-tags': { latest: packedVersion },
    versions: {
      [packedVersion]: {
        ...manifest,
        _id: `${name}@${packedVersion}`,
        dist: {
          shasum: createHash('sha1').update(tarball).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
          tarball: `${url}${name}/-/${tarballName}`,
        },
      },
    },
    _attachments: { [tarballName]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
  };
  const res = await fetch(`${url}${name.replace('/', '%2f')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`publishing ${name}@${packedVersion} to the local registry: HTTP ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'qhc-registry-'));
  const port = (await freePorts(1))[0]!;
  url = `http://127.0.0.1:${port}/`;
  writeFileSync(
    join(work, 'config.yaml'),
    [
      `storage: ${join(work, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(work, 'htpasswd')}`,
      '    max_users: 10',
      'packages:',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      'log: { type: stdout, format: json, level: warn }',
      '',
    ].join('\n'),
  );
  registry = spawn(join(BIN, 'verdaccio'), ['--config', join(work, 'config.yaml'), '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  registry.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  registry.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  await waitFor(
    'verdaccio to answer /-/ping',
    async () => {
      if (registry!.exitCode !== null) throw new Error(`verdaccio exited:\n${log}`);
      return (await fetch(`${url}-/ping`)).ok ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100, onTimeout: () => `verdaccio did not start:\n${log}` },
  );
  // A publisher, the way `npm adduser` makes one.
  const user = await fetch(`${url}-/user/org.couchdb.user:release`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'release', password: 'release-password' }),
  });
  const { token } = (await user.json()) as { token: string };
  npmrc = join(work, '.npmrc');
  writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
  consumerNpmrc = join(work, 'consumer.npmrc');
  writeFileSync(consumerNpmrc, `registry=${url}\n`);
  for (const [name, major] of MIRRORED) await mirror(name, major, token);
}, 120_000);

afterAll(async () => {
  if (registry?.pid && registry.exitCode === null) {
    const exited = new Promise((resolve) => registry!.once('exit', resolve));
    registry.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (registry.exitCode === null) registry.kill('SIGKILL');
  }
  rmSync(work, { recursive: true, force: true });
});

describe('the release through a local npm registry', () => {
  it('receives every published package', async () => {
    for (const dir of PUBLISHED) {
      const published = await run('pnpm', ['publish', '--no-git-checks', '--registry', url], { cwd: join(ROOT, dir), env: { npm_config_userconfig: npmrc } });
      expect(published.code, `${dir}\n${published.stdout}\n${published.stderr}`).toBe(0);
    }
    const doc = await packument<{ versions: Record<string, { dependencies?: Record<string, string> }> }>('@qhc/schemas');
    expect(Object.keys(doc.versions)).toContain(version);
    // workspace: and catalog: ranges were replaced by real ones.
    const cli = await packument<{ versions: Record<string, { dependencies?: Record<string, string>; bin?: Record<string, string> }> }>('@qhc/cli');
    expect(cli.versions[version]?.dependencies ?? {}).toEqual({});
    expect(cli.versions[version]?.bin).toEqual({ qhc: './dist/qhc.js', 'kubectl-qhc': './dist/qhc.js' });
    const agent = await packument<{ versions: Record<string, { dependencies: Record<string, string> }> }>('@qhc/agent');
    expect(Object.values(agent.versions[version]!.dependencies).every((range) => !/^(workspace|catalog):/.test(range))).toBe(true);
  }, 300_000);
});

describe('the release through a local npm registry: a third party', () => {
  it('a third party installs @qhc/schemas and @qhc/cli, compiles against the types, validates with the JSON Schema, runs qhc', async () => {
    const app = join(work, 'third-party');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'third-party', private: true, type: 'module' }));
    await expectInstalledFromRegistry(app);
    await expectTypesCompile(app);
    await expectJsonSchemaValidates(app);
    await expectConsoleAssetsAndCli(app);
  }, 300_000);
});

/** The cluster a third party writes, from the shared fixture: three nodes of v1.16.2. */
const thirdPartyCluster = () => qdrantClusterFixture('a', { version: 'v1.16.2', size: 3 }, { labels: { 'customer-id': 'c' } });

async function expectInstalledFromRegistry(app: string): Promise<void> {
  const installed = await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-online',
      `@qhc/schemas@${version}`,
      `@qhc/cli@${version}`,
      `@qhc/console@${version}`,
      'typescript@6',
      'ajv@8',
      '@types/node@24',
    ],
    { cwd: app, env: { npm_config_userconfig: consumerNpmrc } },
  );
  expect(installed.code, installed.stderr).toBe(0);
  // Everything came from the local registry.
  const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> };
  const resolved = Object.entries(lock.packages)
    .filter(([path]) => path)
    .map(([, p]) => p.resolved ?? '');
  expect(resolved.length).toBeGreaterThan(8);
  for (const r of resolved) expect(r.startsWith(url), r).toBe(true);
}

async function expectTypesCompile(app: string): Promise<void> {
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2024', noEmit: true, skipLibCheck: false, types: ['node'] },
      include: ['use.ts'],
    }),
  );
  writeFileSync(
    join(app, 'use.ts'),
    [
      "import { parseQdrantCluster, safeParseOperatorSettings, QhcSchemaError, type QdrantCluster } from '@qhc/schemas';",
      // A JSON document is YAML too: the parser takes either.
      `const cluster: QdrantCluster = parseQdrantCluster(${JSON.stringify(JSON.stringify(thirdPartyCluster()))});`,
      'const nodes: number = cluster.spec.size;',
      "const settings = safeParseOperatorSettings('settings: {}');",
      'if (!settings.success) throw settings.error satisfies QhcSchemaError;',
      'console.log(nodes, settings.data.settings.backupTimeout);',
      '',
    ].join('\n'),
  );
  const tsc = await run(join(app, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: app });
  expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);
  // The types are real: a wrong use does not compile.
  writeFileSync(join(app, 'use.ts'), "import type { QdrantCluster } from '@qhc/schemas';\nexport const wrong: string = ({} as QdrantCluster).spec.size;\n");
  const bad = await run(join(app, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: app });
  expect(bad.code).not.toBe(0);
  expect(bad.stdout).toContain("Type 'number' is not assignable to type 'string'");
}

async function expectJsonSchemaValidates(app: string): Promise<void> {
  writeFileSync(
    join(app, 'check.mjs'),
    [
      "import { createRequire } from 'node:module';",
      "import Ajv2020 from 'ajv/dist/2020.js';",
      'const require = createRequire(import.meta.url);',
      "const schema = require('@qhc/schemas/json-schema/qdrantcluster.json');",
      'const validate = new Ajv2020({ strict: false }).compile(schema);',
      `const good = ${JSON.stringify(thirdPartyCluster())};`,
      "const bad = { ...good, spec: { ...good.spec, size: 'three' } };",
      'console.log(JSON.stringify({ good: validate(good), bad: validate(bad), error: validate.errors?.[0]?.instancePath }));',
      '',
    ].join('\n'),
  );
  const checked = await run(process.execPath, ['check.mjs'], { cwd: app });
  expect(checked.code, checked.stderr).toBe(0);
  expect(JSON.parse(checked.stdout)).toEqual({ good: true, bad: false, error: '/spec/size' });
}

/** The console package carries its built assets, found where it is installed; `npx qhc` runs. */
async function expectConsoleAssetsAndCli(app: string): Promise<void> {
  const assets = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { existsSync } from 'node:fs'; import { consoleAssetsDir } from '@qhc/console'; console.log(existsSync(consoleAssetsDir() + 'index.html'));",
    ],
    { cwd: app },
  );
  expect(assets.stdout.trim(), assets.stderr).toBe('true');

  const help = await run('npx', ['--no-install', 'qhc', '--help'], { cwd: app, env: { npm_config_userconfig: consumerNpmrc } });
  expect(help.code, help.stderr).toBe(0);
  expect(help.stdout).toMatch(/^Usage: qhc \[options\] \[command\]/);
}
