// qhc mirror against real registries (docker-registry on loopback): a release seeded into a
// "public" registry with plain HTTP calls, copied by the built CLI into a private one.
import { createSign, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { fromJson } from '@bufbuild/protobuf';
import { hybridV1 } from '@qhc/cloud-api';
import { componentImages } from '@qhc/manifests';
import { parseRegion } from '@qhc/schemas';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoopbackTls, startOciRegistry, type LoopbackTls, type OciRegistry } from '@qhc/kube-sandbox';
import { qhc } from './support.ts';
import { remoteDigest, seedChart, seedImage } from './oci-seed.ts';

const RELEASE = '1.2.3';
const IMAGES = ['qhc-operator', 'qhc-agent', 'qhc-control-plane'];
let upstream: OciRegistry;
let mirror: OciRegistry;
let locked: OciRegistry;
let secure: OciRegistry;
let tokened: OciRegistry;
let tls: LoopbackTls;
let tokenService: Server;
const tokensIssued: string[] = [];
const BOT = { username: 'token-bot', password: 'to:ken' };
const home = mkdtempSync(join(tmpdir(), 'qhc-mirror-home-'));
// No stored logins of the machine's user leak in.
const env = {
  HOME: home,
  XDG_CONFIG_HOME: join(home, '.config'),
  XDG_RUNTIME_DIR: join(home, 'run'),
  DOCKER_CONFIG: join(home, '.docker'),
  REGISTRY_AUTH_FILE: undefined,
};

/**
 * A token service as Docker Hub's and GHCR's work: basic credentials in, a JWT out, signed with
 * a key whose certificate (x5c) chains to what the registry trusts. The registry checks it.
 */
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

function startTokenService(): Promise<Server> {
  const der = tls.cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const server = createServer((req, res) => {
    if (req.headers.authorization !== `Basic ${Buffer.from(`${BOT.username}:${BOT.password}`).toString('base64')}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"incorrect username or password"}');
      return;
    }
    const url = new URL(req.url!, 'http://127.0.0.1');
    const access = url.searchParams.getAll('scope').map((scope) => {
      const [type, name, actions] = scope.split(':');
      return { type, name, actions: actions!.split(',') };
    });
    const now = Math.floor(Date.now() / 1000);
    const input = `${b64({ alg: 'ES256', typ: 'JWT', x5c: [der] })}.${b64({ iss: 'qhc-test-issuer', sub: BOT.username, aud: url.searchParams.get('service'), exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access })}`;
    const signature = createSign('SHA256').update(input).sign({ key: tls.key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    tokensIssued.push(url.searchParams.getAll('scope').join(' '));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `${input}.${signature}`, expires_in: 300 }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const seeded = new Map<string, string>();
beforeAll(async () => {
  tls = await createLoopbackTls(join(home, 'tls'), 'qhc-registry');
  tokenService = await startTokenService();
  const address = tokenService.address() as { port: number };
  [upstream, mirror, locked, secure, tokened] = await Promise.all([
    startOciRegistry(),
    startOciRegistry(),
    startOciRegistry({ user: { username: 'mirror-bot', password: 'pa:ss' } }),
    startOciRegistry({ tls: { cert: tls.cert, key: tls.key } }),
    startOciRegistry({
      tokenAuth: { realm: `http://127.0.0.1:${address.port}/token`, service: 'qhc-test-registry', issuer: 'qhc-test-issuer', rootCertBundle: tls.ca },
    }),
  ]);
  for (const name of IMAGES) seeded.set(name, await seedImage(upstream.host, `qdrant/${name}`, RELEASE));
  seeded.set('qdrant-cloud-cluster-manager', await seedImage(upstream.host, 'qdrant/qdrant-cloud-cluster-manager', RELEASE));
  seeded.set('qhc', await seedChart(upstream.host, 'qdrant-charts/qhc', RELEASE));
  seeded.set('qdrant', await seedImage(upstream.host, 'hub/qdrant/qdrant', 'v1.16.2'));
});

afterAll(async () => {
  await Promise.all([upstream, mirror, locked, secure, tokened].map((r) => r?.stop()));
  await new Promise((resolve) => tokenService?.close(resolve));
});

const source = () => [
  '--from',
  `https://${upstream.host}/qdrant/`,
  '--charts-from',
  `oci://${upstream.host}/qdrant-charts`,
  '--release',
  RELEASE,
  '--source-plain-http',
];

describe('qhc mirror', () => {
  it('copies every image and the chart of a release, digests unchanged, and a second run copies nothing', async () => {
    const run = await qhc(['mirror', ...source(), '--to', `${mirror.host}/private/qhc`, '--plain-http', '-o', 'json'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = (JSON.parse(run.stdout) as { items: Array<{ target: string; result: string; digest: string; blobs: number }> }).items;
    expect(rows.map((r) => r.target)).toEqual([
      `${mirror.host}/private/qhc/qhc-operator:${RELEASE}`,
      `${mirror.host}/private/qhc/qhc-agent:${RELEASE}`,
      `${mirror.host}/private/qhc/qdrant-cloud-cluster-manager:${RELEASE}`,
      `${mirror.host}/private/qhc/qhc-control-plane:${RELEASE}`,
      `${mirror.host}/private/qhc/charts/qhc:${RELEASE}`,
    ]);
    expect(rows.every((r) => r.result === 'copied')).toBe(true);
    // Index + 2 platforms × (config + layer) per image; config + content for the chart.
    expect(rows.map((r) => r.blobs)).toEqual([4, 4, 4, 4, 2]);
    for (const name of [...IMAGES, 'qdrant-cloud-cluster-manager']) {
      expect(await remoteDigest(mirror.host, `private/qhc/${name}`, RELEASE)).toBe(seeded.get(name));
    }
    expect(await remoteDigest(mirror.host, 'private/qhc/charts/qhc', RELEASE)).toBe(seeded.get('qhc'));

    const regionFile = join(home, 'mirror-region.yaml');
    const again = await qhc(['mirror', ...source(), '--to', `${mirror.host}/private/qhc`, '--plain-http', '--region-file', regionFile], env);
    expect(again.code).toBe(0);
    expect(
      again.stdout
        .trim()
        .split('\n')
        .slice(1)
        .every((line) => /\bunchanged\b/.test(line)),
    ).toBe(true);
    expect(again.stderr).toContain(`containerRegistryUrl: http://${mirror.host}/private/qhc/`);
    expect(again.stderr).toContain(`chartRepositoryUrl: oci://${mirror.host}/private/qhc/charts`);
    expect(again.stderr).toContain(`qhc region update <region> -f ${regionFile}`);
    // What it wrote is an environment configuration in the API's shape (qhc region create/update -f takes it as it is)
    // and points a region's images at the mirror.
    const fragment = parse(readFileSync(regionFile, 'utf8')) as Record<string, string>;
    const configuration = fromJson(hybridV1.HybridCloudEnvironmentConfigurationSchema, { namespace: 'qhc', ...fragment });
    expect(configuration).toMatchObject({
      containerRegistryUrl: `http://${mirror.host}/private/qhc/`,
      chartRepositoryUrl: `oci://${mirror.host}/private/qhc/charts`,
    });
    const region = parseRegion(
      JSON.stringify({
        name: 'closed',
        namespace: 'qhc',
        agentVersion: RELEASE,
        operatorVersion: RELEASE,
        advanced: { containerRegistryUrl: configuration.containerRegistryUrl, chartRepositoryUrl: configuration.chartRepositoryUrl },
      }),
    );
    expect(componentImages(region)['qhc-operator']).toBe(`${mirror.host}/private/qhc/qhc-operator:${RELEASE}`);
  });

  it('copies the Qdrant database images asked for, and says which setting points clusters at them', async () => {
    const run = await qhc(
      ['mirror', ...source(), '--qdrant', 'v1.16.2', '--qdrant-from', `${upstream.host}/hub/qdrant/qdrant`, '--to', `${mirror.host}/db`, '--plain-http'],
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`image\\s+${mirror.host}/db/qdrant:v1\\.16\\.2\\s+copied`));
    expect(await remoteDigest(mirror.host, 'db/qdrant', 'v1.16.2')).toBe(seeded.get('qdrant'));
    expect(run.stderr).toContain(`settings.qdrant.image.repository: ${mirror.host}/db/qdrant`);
    const bad = await qhc(['mirror', ...source(), '--qdrant', 'v1.16.2,not a tag', '--to', `${mirror.host}/db`], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--qdrant: "not a tag" is not an image tag');
  });
});

describe('qhc mirror: registries', () => {
  it('mounts blobs instead of sending them again within one registry', async () => {
    const run = await qhc(['mirror', ...source(), '--to', `${upstream.host}/copy`, '--plain-http', '-o', 'json'], env);
    expect(run.code).toBe(0);
    const rows = (JSON.parse(run.stdout) as { items: Array<{ result: string; blobs: number }> }).items;
    expect(rows.every((r) => r.result === 'copied' && r.blobs === 0)).toBe(true);
    expect(await remoteDigest(upstream.host, 'copy/qhc-agent', RELEASE)).toBe(seeded.get('qhc-agent'));
  });

  it('logs in with the credentials podman login stored, and explains a refusal without them', async () => {
    const refused = await qhc(['mirror', ...source(), '--to', `${locked.host}/qhc`, '--plain-http'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`${locked.host.replace('.', '\\.')} needs a login: run docker login, podman login or helm registry login`));

    const authFile = join(home, 'auth.json');
    writeFileSync(authFile, JSON.stringify({ auths: { [locked.host]: { auth: Buffer.from('mirror-bot:pa:ss').toString('base64') } } }));
    const run = await qhc(['mirror', ...source(), '--to', `${locked.host}/qhc`, '--plain-http'], { ...env, REGISTRY_AUTH_FILE: authFile });
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    const auth = `Basic ${Buffer.from('mirror-bot:pa:ss').toString('base64')}`;
    expect(await remoteDigest(locked.host, 'qhc/charts/qhc', RELEASE, auth)).toBe(seeded.get('qhc'));
  });

  it('copies from a plain-HTTP registry into an HTTPS one (--plain-http is only about the source here)', async () => {
    const run = await qhc(['mirror', ...source(), '--to', `${secure.host}/qhc`, '-o', 'json'], { ...env, NODE_EXTRA_CA_CERTS: tls.caPath });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { items: Array<{ result: string }> }).items.every((r) => r.result === 'copied')).toBe(true);
  });

  it('logs in to a registry with token authentication (as Docker Hub and GHCR), one token per repository scope', async () => {
    const refused = await qhc(['mirror', ...source(), '--to', `${tokened.host}/qhc`, '--plain-http'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'the token service refused (401: {"details":"incorrect username or password"}): run docker login, podman login or helm registry login',
    );

    const dockerConfig = join(home, 'docker-config');
    mkdirSync(dockerConfig, { recursive: true });
    writeFileSync(
      join(dockerConfig, 'config.json'),
      JSON.stringify({ auths: { [`http://${tokened.host}`]: { auth: Buffer.from(`${BOT.username}:${BOT.password}`).toString('base64') } } }),
    );
    tokensIssued.length = 0;
    const run = await qhc(['mirror', ...source(), '--to', `${tokened.host}/qhc`, '--plain-http'], { ...env, DOCKER_CONFIG: dockerConfig });
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    expect(tokensIssued).toContain(`repository:qhc/qhc-operator:pull,push`);
    expect(new Set(tokensIssued).size).toBe(tokensIssued.length);

    const helper = join(home, 'helper-config');
    mkdirSync(helper, { recursive: true });
    writeFileSync(join(helper, 'config.json'), JSON.stringify({ credsStore: 'desktop' }));
    const unreadable = await qhc(['mirror', ...source(), '--to', `${tokened.host}/other`, '--plain-http'], { ...env, DOCKER_CONFIG: helper });
    expect(unreadable.stderr).toContain('is kept by the credential helper "desktop", which qhc cannot read');
  });
});

describe('qhc mirror: mistakes and checks', () => {
  it('names a release that is not there, and the flag that fixes a plain-HTTP registry', async () => {
    const missing = await qhc(
      [
        'mirror',
        '--from',
        `${upstream.host}/qdrant`,
        '--charts-from',
        `${upstream.host}/qdrant-charts`,
        '--release',
        '9.9.9',
        '--source-plain-http',
        '--plain-http',
        '--to',
        `${mirror.host}/x`,
      ],
      env,
    );
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(`image qhc-operator:9.9.9: ${upstream.host}/qdrant/qhc-operator:9.9.9 does not exist`);
    expect(missing.stderr).toContain('hint: is 9.9.9 a release published at');

    // --plain-http is about the registry copied to: the one copied from stays HTTPS.
    const https = await qhc(['mirror', '--from', `${upstream.host}/qdrant`, '--release', RELEASE, '--to', `${mirror.host}/x`, '--plain-http'], env);
    expect(https.code).toBe(1);
    expect(https.stderr).toMatch(
      new RegExp(`${upstream.host.replace('.', '\\.')}: GET .* \\(a plain-HTTP registry\\? use --plain-http, or --source-plain-http`),
    );

    const bad = await qhc(['mirror', '--to', 'Not A Registry'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--to: "Not A Registry" is not a registry');
  });

  it('checks a release without copying it (--dry-run)', async () => {
    const run = await qhc(['mirror', ...source(), '--to', `${mirror.host}/dry`, '--plain-http', '--dry-run', '-o', 'json'], env);
    expect(run.code).toBe(0);
    const rows = (JSON.parse(run.stdout) as { items: Array<{ result: string }> }).items;
    expect(rows.map((r) => r.result)).toEqual(Array(5).fill('would copy'));
    expect(await remoteDigest(mirror.host, 'dry/qhc-agent', RELEASE)).toBeUndefined();
  });
});
