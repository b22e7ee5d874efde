import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeConfigError, currentNamespace, formatMicroTime, loadKubeConfig } from '../src/index.ts';
import { inClusterKubeConfig } from '../src/kubeconfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'qhc-kubeconfig-'));
let counter = 0;
function file(text: string): string {
  const path = join(dir, `config-${counter++}`);
  writeFileSync(path, text);
  return path;
}

const GOOD = `apiVersion: v1
kind: Config
clusters:
  - name: c1
    cluster: { server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true }
users:
  - name: u1
    user: { token: abc }
contexts:
  - name: ctx1
    context: { cluster: c1, user: u1, namespace: qdrant }
  - name: ctx2
    context: { cluster: c1, user: u1 }
current-context: ctx1
`;

describe('loadKubeConfig', () => {
  it('loads a good file and its current context', () => {
    const kc = loadKubeConfig({ kubeconfigPath: file(GOOD) });
    expect(kc.getCurrentContext()).toBe('ctx1');
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    expect(currentNamespace(kc)).toBe('qdrant');
  });

  it('switches to a named context', () => {
    const kc = loadKubeConfig({ kubeconfigPath: file(GOOD), context: 'ctx2' });
    expect(kc.getCurrentContext()).toBe('ctx2');
    expect(currentNamespace(kc)).toBe('default');
  });

  it.each([
    ['a missing file', () => join(dir, 'nope'), undefined, /nope: the file does not exist/],
    ['YAML that does not parse', () => file('clusters: [\n  - name: a\n'), undefined, /is not valid YAML at line \d+, column \d+/],
    ['a list instead of a mapping', () => file('- a\n- b\n'), undefined, /expected a mapping/],
    ['no current-context', () => file(GOOD.replace('current-context: ctx1\n', '')), undefined, /has no current-context/],
    ['an unknown context', () => file(GOOD), 'prod', /has no context "prod" \(contexts: ctx1, ctx2\)/],
    [
      'a context naming a missing cluster',
      () => file(GOOD.replace('cluster: c1, user: u1, namespace', 'cluster: c9, user: u1, namespace')),
      undefined,
      /names cluster "c9"/,
    ],
    [
      'a context naming a missing user',
      () => file(GOOD.replace('{ cluster: c1, user: u1, namespace', '{ cluster: c1, user: u9, namespace')),
      undefined,
      /names user "u9"/,
    ],
    ['a cluster without a server', () => file(GOOD.replace('server: "https://127.0.0.1:6443", ', '')), undefined, /has no server URL/],
    ['a server that is not a URL', () => file(GOOD.replace('https://127.0.0.1:6443', 'not a url')), undefined, /invalid server URL "not a url"/],
    ['a server with another scheme', () => file(GOOD.replace('https://127.0.0.1:6443', 'ftp://127.0.0.1')), undefined, /must be an https:\/\/ URL/],
  ])('explains %s', (_name, path, context, message) => {
    const kubeconfigPath = path();
    let error: unknown;
    try {
      loadKubeConfig({ kubeconfigPath, context });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KubeConfigError);
    expect((error as KubeConfigError).message).toMatch(message);
    expect((error as KubeConfigError).file).toBe(kubeconfigPath);
  });

  it('explains a missing in-cluster environment', () => {
    const saved = process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_HOST;
    try {
      expect(() => loadKubeConfig({ inCluster: true })).toThrow(/in-cluster configuration needs KUBERNETES_SERVICE_HOST/);
    } finally {
      if (saved !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved;
    }
  });
});

// As kube-sandbox writes them (tooling/kube-sandbox/src/kubeconfig.ts): CA and client certificate inline.
const b64 = (text: string) => Buffer.from(text).toString('base64');
const SANDBOX_LIKE = `apiVersion: v1
kind: Config
clusters:
  - name: sandbox
    cluster: { server: "https://127.0.0.1:16443/", certificate-authority-data: ${b64('CA PEM')} }
users:
  - name: sandbox-admin
    user: { client-certificate-data: ${b64('CERT PEM')}, client-key-data: ${b64('KEY PEM')} }
  - name: files
    user: { client-certificate: certs/client.crt, client-key: /abs/client.key, tokenFile: token }
  - name: eks
    user: { exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token] } }
contexts:
  - name: sandbox
    context: { cluster: sandbox, user: sandbox-admin }
  - name: files
    context: { cluster: sandbox, user: files }
  - name: eks
    context: { cluster: sandbox, user: eks }
current-context: sandbox
`;

describe('the hand-written kubeconfig (no client-node)', () => {
  it('gives the TLS material of a sandbox kubeconfig, the same digest each time', () => {
    const kc = loadKubeConfig({ kubeconfigPath: file(SANDBOX_LIKE) });
    const credentials = kc.credentials();
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:16443');
    expect(credentials.tls).toEqual({ ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM', rejectUnauthorized: true, servername: undefined });
    expect(credentials.headers).toEqual({});
    expect(kc.credentials().tlsDigest).toBe(credentials.tlsDigest);
    expect(kc.needsPlugin()).toBe(false);
  });

  it("resolves file paths from the kubeconfig's directory, and sends the token file's token", () => {
    const kc = loadKubeConfig({ kubeconfigPath: file(SANDBOX_LIKE), context: 'files' });
    expect(kc.getCurrentUser()).toMatchObject({ certFile: join(dir, 'certs/client.crt'), keyFile: '/abs/client.key', tokenFile: join(dir, 'token') });
    writeFileSync(join(dir, 'token'), 'tok\n');
    kc.getCurrentUser()!.certFile = kc.getCurrentUser()!.keyFile = undefined;
    expect(kc.credentials().headers).toEqual({ authorization: 'Bearer tok' });
  });

  it('a token file wins over an inline token (it rotates), which is used only when the file cannot be read', () => {
    const both = SANDBOX_LIKE.replace('tokenFile: token }', 'tokenFile: both-token, token: inline }');
    const kc = loadKubeConfig({ kubeconfigPath: file(both), context: 'files' });
    kc.getCurrentUser()!.certFile = kc.getCurrentUser()!.keyFile = undefined;
    expect(kc.credentials().headers).toEqual({ authorization: 'Bearer inline' });
    writeFileSync(join(dir, 'both-token'), 'from-file\n');
    expect(kc.credentials(Date.now() + 120_000).headers).toEqual({ authorization: 'Bearer from-file' });
  });

  it('hands a plugin (exec) user, or a cluster behind a proxy, to client-node', () => {
    expect(loadKubeConfig({ kubeconfigPath: file(SANDBOX_LIKE), context: 'eks' }).needsPlugin()).toBe(true);
    const proxied = SANDBOX_LIKE.replace('cluster: { server:', 'cluster: { proxy-url: "http://proxy:3128", server:');
    expect(loadKubeConfig({ kubeconfigPath: file(proxied) }).needsPlugin()).toBe(true);
  });

  it('in the cluster: the kubernetes Service and the service account files', () => {
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = 'fd00::1';
    process.env.KUBERNETES_SERVICE_PORT = '443';
    try {
      const kc = inClusterKubeConfig(dir);
      expect(kc.getCurrentCluster()).toMatchObject({ server: 'https://[fd00::1]:443', caFile: join(dir, 'ca.crt') });
      expect(kc.getCurrentUser()?.tokenFile).toBe(join(dir, 'token'));
    } finally {
      process.env.KUBERNETES_SERVICE_HOST = saved.host;
      process.env.KUBERNETES_SERVICE_PORT = saved.port;
      if (saved.host === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
      if (saved.port === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
    }
  });
});

describe('formatMicroTime', () => {
  it('writes exactly six fractional digits', () => {
    expect(formatMicroTime(new Date('2026-01-02T03:04:05.123Z'))).toBe('2026-01-02T03:04:05.123000Z');
    expect(formatMicroTime(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000000Z');
  });
});
