import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { QHC, fixture, qhc } from './support.ts';

describe('qhc validate', () => {
  it('prints every problem as file:line:col: path: message and exits 1', async () => {
    const files = ['bad-cluster.yaml', 'bad-settings.yaml', 'bad-region.yaml', 'other.yaml', 'good.yaml'].map(fixture);
    const run = await qhc(['validate', ...files]);
    expect(run.code).toBe(1);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => l.replace(/^.*\/fixtures\//, ''));
    expect(lines).toEqual([
      'bad-cluster.yaml:11:9: spec.size: must be at least 1, got number -1',
      'bad-cluster.yaml:13:10: spec.resources.cpu: must be a Kubernetes quantity such as "500m", "2" or "4Gi", got "lots"',
      'bad-settings.yaml:3:15: settings.backOff.minDelay: minDelay must be at least 0 seconds',
      expect.stringMatching(/^bad-region\.yaml:1:7: name: /),
      expect.stringMatching(/^bad-region\.yaml:3:15: agentVersion: must be a version such as "1\.4\.2"/),
      'other.yaml:1:1: cannot tell what this is: not a qdrant.io resource (no kind), operator settings (no settings:) or a region (no namespace and versions)',
    ]);
    expect(run.stderr).toBe('4 of 5 file(s) invalid\n');
  });

  it('exits 0 when everything is valid', async () => {
    const run = await qhc(['validate', fixture('good.yaml')]);
    expect([run.code, run.stdout, run.stderr]).toEqual([0, '', '1 file(s) valid\n']);
  });
});

describe('qhc render', () => {
  it('prints the objects the operator would apply, as YAML documents or a JSON List', async () => {
    const yaml = await qhc(['render', 'cluster', fixture('good.yaml')]);
    expect(yaml.code).toBe(0);
    const kinds = yaml.stdout.split('\n---\n').map((d) => (parse(d) as { kind: string }).kind);
    expect(kinds).toEqual(['ConfigMap', 'Service', 'Service', 'Service', 'Service', 'Service', 'NetworkPolicy', 'PodDisruptionBudget', 'StatefulSet']);
    const json = JSON.parse((await qhc(['-o', 'json', 'render', 'cluster', fixture('good.yaml')])).stdout) as {
      kind: string;
      items: Array<{ kind: string; spec?: { replicas?: number } }>;
    };
    expect(json.kind).toBe('List');
    expect(json.items.find((i) => i.kind === 'StatefulSet')?.spec?.replicas).toBe(3);
    const bad = await qhc(['render', 'cluster', fixture('bad-cluster.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('spec.size (line 11, column 9)');
  });
});

const ACCOUNT = '0b7c4a52-3f1e-4d6b-9a8e-2c5d7f9e1a23';

describe('contexts', () => {
  it('keeps contexts (endpoint, account id, management key) in the XDG config folder with mode 0600, never printing keys', async () => {
    const xdg = mkdtempSync(join(tmpdir(), 'qhc-xdg-'));
    const env = { XDG_CONFIG_HOME: xdg, QHC_URL: undefined, QHC_MANAGEMENT_KEY: undefined, QHC_ACCOUNT_ID: undefined, QHC_CONTEXT: undefined };
    const prod = ['--url', 'https://cp.example.com', '--account-id', ACCOUNT, '--management-key', 'qhc_m_secret'];
    expect((await qhc(['context', 'add', 'prod', ...prod], env)).code).toBe(0);
    // The key from QHC_MANAGEMENT_KEY, as `qhc login` takes it too.
    const dev = await qhc(['context', 'add', 'dev', '--url', 'https://dev.example.com', '--account-id', ACCOUNT], { ...env, QHC_MANAGEMENT_KEY: 'qhc_m_dev' });
    expect(dev.code, dev.stderr).toBe(0);
    const file = join(xdg, 'qhc', 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).contexts).toEqual({
      prod: { url: 'https://cp.example.com', accountId: ACCOUNT, managementKey: 'qhc_m_secret' },
      dev: { url: 'https://dev.example.com', accountId: ACCOUNT, managementKey: 'qhc_m_dev' },
    });
    const list = await qhc(['context', 'list'], env);
    expect(list.stdout).toBe('CURRENT   NAME   URL\n*         prod   https://cp.example.com\n          dev    https://dev.example.com\n');
    const wide = await qhc(['context', 'list', '-o', 'wide'], env);
    expect(wide.stdout).toContain(ACCOUNT);
    for (const out of [list.stdout, wide.stdout, (await qhc(['context', 'list', '-o', 'json'], env)).stdout]) expect(out).not.toContain('qhc_m_');
    const keyless = await qhc(['context', 'add', 'x', '--url', 'https://x.example.com', '--account-id', ACCOUNT], env);
    expect([keyless.code, keyless.stderr.split('\n')[0]]).toEqual([2, 'error: a management key is needed']);
    expect((await qhc(['context', 'use', 'dev'], env)).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).current).toBe('dev');
    const missing = await qhc(['context', 'use', 'staging'], env);
    expect([missing.code, missing.stderr]).toEqual([3, 'error: no context named "staging"\nhint: known: prod, dev\n']);
    expect((await qhc(['context', 'remove', 'dev'], env)).code).toBe(0);
    expect((await qhc(['-o', 'name', 'context', 'list'], env)).stdout).toBe('context/prod\n');
  });

  it('without any control plane, says how to configure one (exit 2)', async () => {
    const run = await qhc(['region', 'list'], {
      XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'qhc-xdg-')),
      QHC_URL: undefined,
      QHC_MANAGEMENT_KEY: undefined,
      QHC_ACCOUNT_ID: undefined,
      QHC_CONTEXT: undefined,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: no control plane configured\nhint: run `qhc login <url> --account-id <id> --management-key <key>`, or set QHC_URL, QHC_ACCOUNT_ID and QHC_MANAGEMENT_KEY; or use --kubeconfig to work on a cluster directly\n',
    );
  });
});

describe('as a kubectl plugin', () => {
  it('`kubectl qhc` runs it when kubectl-qhc is on the PATH', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qhc-plugin-'));
    symlinkSync(QHC, join(dir, 'kubectl-qhc'));
    const run = spawnSync('kubectl', ['qhc', 'version', '--client'], {
      env: { ...process.env, PATH: `${dir}:${dirname(process.execPath)}:${process.env.PATH}` },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^client: \d+\.\d+\.\d+/);
  });
});

describe('help and version', () => {
  it('prints the client version', async () => {
    expect((await qhc(['version', '--client'])).stdout).toMatch(/^client: \d+\.\d+\.\d+/);
  });

  const every = [
    [],
    ['version'],
    ['login'],
    ['status'],
    ['completion'],
    ['validate'],
    ['mirror'],
    ['render'],
    ...['cluster', 'install'].map((c) => ['render', c]),
    ['context'],
    ...['list', 'use', 'add', 'remove'].map((c) => ['context', c]),
    ['region'],
    ...['create', 'list', 'get', 'update', 'delete', 'install-command'].map((c) => ['region', c]),
    ['cluster'],
    ...[
      'create',
      'list',
      'get',
      'describe',
      'scale',
      'set-resources',
      'upgrade',
      'restart',
      'suspend',
      'resume',
      'pause',
      'unpause',
      'expose',
      'update',
      'delete',
    ].map((c) => ['cluster', c]),
    ['backup'],
    ...['create', 'list', 'delete'].map((c) => ['backup', c]),
    ['backup', 'schedule'],
    ...['create', 'list', 'delete'].map((c) => ['backup', 'schedule', c]),
    ['restore'],
    ...['create', 'list', 'get'].map((c) => ['restore', c]),
    ['account'],
    ...['list', 'get', 'create', 'update', 'delete', 'leave', 'switch', 'access', 'requests', 'approve', 'reject'].map((c) => ['account', c]),
    ['account', 'billing'],
    ...['get', 'set'].map((c) => ['account', 'billing', c]),
    ['member'],
    ...['list', 'get', 'remove', 'roles', 'invite', 'invites', 'cancel-invite'].map((c) => ['member', c]),
    ['invite'],
    ...['list', 'accept', 'reject'].map((c) => ['invite', c]),
    ['role'],
    ...['list', 'get', 'create', 'update', 'delete', 'permissions'].map((c) => ['role', c]),
    ['key'],
    ...['list', 'create', 'delete'].map((c) => ['key', c]),
    ['audit'],
    ['audit', 'list'],
  ];
  it.each(every.map((args) => [args]))('help text of qhc %j', async (args) => {
    const run = await qhc([...args, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatchSnapshot();
  });

  it('an unknown command suggests the right one', async () => {
    const run = await qhc(['clustr', 'list']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('(Did you mean cluster?)');
  });
});
