import { describe, expect, it } from 'vitest';
import { ComponentLogLevel, IMMUTABLE_CLUSTER_FIELDS, QdrantClusterSpec, ServiceType, safeParseOperatorSettings, safeValidateRegion } from '@qhc/schemas';
import { describeProblem, problemsToDiagnostics } from '../app/src/lib/problems.ts';
import { compareVersions, formatAge, installExpiry, operatorSettingsCondition, phaseTone, regionStatus, upgradeAvailable } from '../app/src/lib/status.ts';
import { backupName, clusterBody, regionBody, restoreBody, type RegionForm } from '../app/src/lib/forms.ts';
import { match } from '../app/src/router.tsx';
import { LOG_LEVELS, SERVICE_TYPES, IMMUTABLE_REASONS } from '../app/src/lib/options.ts';
import { parseWarningHeader } from '../app/src/lib/warnings.ts';
import { EMPTY_CONFIG, applyConfig, configOf, formatTolerations, parseTolerations, type ClusterConfigForm } from '../app/src/lib/cluster-config.ts';
import type { ClusterRecord } from '../app/src/types.ts';

describe('settings problems as editor diagnostics', () => {
  it('underlines from the reported column to the end of that line, and says the line in words', () => {
    const text = 'settings:\n  backOff:\n    minDelay: -1\n  nope: 1\n';
    const parsed = safeParseOperatorSettings(text);
    expect(parsed.success).toBe(false);
    const problems = parsed.success ? [] : [...parsed.error.problems];
    const diagnostics = problemsToDiagnostics(text, problems);
    const minDelay = diagnostics.find((d) => d.message.includes('minDelay'))!;
    expect(minDelay.line).toBe(3);
    expect(text.slice(minDelay.from, minDelay.to)).toBe('-1');
    expect(minDelay.message).toMatch(/^line 3, column 15: settings\.backOff\.minDelay: /);
    expect(diagnostics.some((d) => d.line === 4)).toBe(true);
    expect(problems.map(describeProblem).find((l) => l.includes('minDelay'))).toMatch(/^Line 3, column 15: settings\.backOff\.minDelay: /);
  });

  it('a syntax error and a problem without position stay inside the text', () => {
    const text = 'settings: [\n';
    const parsed = safeParseOperatorSettings(text);
    const diagnostics = problemsToDiagnostics(text, parsed.success ? [] : parsed.error.problems);
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) expect(d.from <= d.to && d.to <= text.length).toBe(true);
    expect(problemsToDiagnostics('', [{ path: [], code: 'document', message: 'empty' }])).toEqual([{ from: 0, to: 0, message: '(document): empty' }]);
  });
});

describe('status', () => {
  const now = Date.parse('2026-12-01T06:00:00Z');
  it('a region is connected while its agent reported within two minutes', () => {
    expect(regionStatus({}, now)).toMatchObject({ connection: 'never', label: 'Not connected yet' });
    const report = {
      phase: 'Ready',
      components: [
        { name: 'qhc-operator', namespace: 'qhc', version: '0.1.0', phase: 'Ready' },
        { name: 'qhc-agent', namespace: 'qhc', version: '0.1.1', phase: 'Ready' },
      ],
    };
    expect(regionStatus({ lastSeenAt: '2026-12-01T05:59:50Z', status: report }, now)).toEqual({
      connection: 'connected',
      label: 'Connected',
      operatorVersion: '0.1.0',
      agentVersion: '0.1.1',
      phase: 'Ready',
    });
    expect(regionStatus({ lastSeenAt: '2026-12-01T05:50:00Z' }, now).label).toBe('Disconnected (last seen 10m ago)');
  });
  it('finds the operator settings condition the agent reported, if any', () => {
    const refused = {
      type: 'OperatorSettingsValid',
      status: 'False',
      reason: 'InvalidSettings',
      message: 'settings.backOff.minDelay (line 3, column 15): …',
      lastTransitionTime: '2026-12-01T05:00:00Z',
    };
    expect(operatorSettingsCondition({ status: { phase: 'Ready', conditions: [{ type: 'Other', status: 'True' }, refused] } })).toEqual(refused);
    expect(operatorSettingsCondition({ status: { phase: 'Ready' } })).toBeUndefined();
    expect(operatorSettingsCondition({})).toBeUndefined();
  });
  it('versions, ages and phase tones', () => {
    expect([
      compareVersions('v1.2.10', '1.2.9') > 0,
      compareVersions('0.1.0', '0.1.0'),
      upgradeAvailable('0.1.0', '0.2.0'),
      upgradeAvailable('0.2.0-rc.1', '0.2.0'),
    ]).toEqual([true, 0, true, false]);
    expect([formatAge(3_000), formatAge(600_000), formatAge(3 * 3_600_000), formatAge(5 * 86_400_000)]).toEqual(['3s', '10m', '3h', '5d']);
    expect(installExpiry('2026-12-05T11:00:00.000Z', Date.parse('2026-12-04T11:00:00.000Z'))).toBe(
      'Its token expires at 2026-12-05 11:00 UTC (in 24h); after that, generate a new command.',
    );
    expect(['Healthy', 'Scaling', 'FailedToCreate', 'Suspended', undefined].map(phaseTone)).toEqual(['good', 'busy', 'bad', 'neutral', 'neutral']);
  });
});

describe('request bodies from the forms', () => {
  const form: RegionForm = {
    name: ' eu-1 ',
    namespace: 'qdrant',
    agentVersion: '0.1.0',
    operatorVersion: '0.1.0',
    settingsYaml: 'settings: {}\n',
    httpProxy: '',
    httpsProxy: 'http://proxy:3128',
    noProxy: '10.0.0.0/8, .svc',
    containerRegistryUrl: '',
    chartRepositoryUrl: '',
    caCertificate: '',
    registryUsername: '',
    registryPassword: '',
    operatorLogLevel: 'DEBUG',
    agentLogLevel: 'INFO',
  };
  it('a region: empty fields left out, so the API defaults them; valid for @qhc/schemas', () => {
    const body = regionBody(form);
    expect(body).toEqual({
      name: 'eu-1',
      namespace: 'qdrant',
      agentVersion: '0.1.0',
      operatorVersion: '0.1.0',
      operatorSettings: 'settings: {}\n',
      advanced: { proxy: { httpsProxy: 'http://proxy:3128', noProxy: ['10.0.0.0/8', '.svc'] }, logLevel: { operator: 'DEBUG', agent: 'INFO' } },
    });
    expect(safeValidateRegion({ ...body, operatorSettings: {} }).success).toBe(true);
  });
  it('a region with registry credentials: sent beside the region, the password untrimmed; half a login is sent for the API to refuse', () => {
    expect(regionBody({ ...form, registryUsername: ' robot ', registryPassword: ' s3cret ' }).registryCredentials).toEqual({
      username: 'robot',
      password: ' s3cret ',
    });
    expect(regionBody({ ...form, registryUsername: 'robot' }).registryCredentials).toEqual({ username: 'robot', password: '' });
    expect(regionBody(form)).not.toHaveProperty('registryCredentials');
  });
  it('a cluster, a backup name and a restore', () => {
    expect(
      clusterBody({
        name: 'hello',
        version: 'v1.16.2',
        nodes: '3',
        cpu: '1',
        memory: '1Gi',
        storage: '2Gi',
        ...EMPTY_CONFIG,
        serviceType: 'LoadBalancer',
        ingressEnabled: true,
        ingressHost: 'q.example.com',
        apiKeySecretName: 'qdrant-api-key',
        apiKeySecretKey: '',
      }),
    ).toEqual({
      name: 'hello',
      spec: {
        version: 'v1.16.2',
        size: 3,
        resources: { cpu: '1', memory: '1Gi', storage: '2Gi' },
        service: { type: 'LoadBalancer' },
        ingress: { enabled: true, host: 'q.example.com' },
        config: { service: { api_key: { secretKeyRef: { name: 'qdrant-api-key', key: 'api-key' } } } },
      },
    });
    expect(backupName('hello', new Date('2026-12-01T06:07:08.123Z'))).toBe('hello-20261201-060708');
    expect(restoreBody({ name: 'bk', clusterId: 'hello' }, 'ns', { cluster: 'copy', create: true })).toEqual({
      name: 'bk-to-copy',
      clusterId: 'hello',
      spec: { source: { snapshotName: 'bk', namespace: 'ns' }, destination: { name: 'qdrant-copy', namespace: 'ns', create: true } },
    });
  });
});

describe('routes', () => {
  it('matches and decodes parameters', () => {
    expect(match('/environments/:region/clusters/:cluster', '/environments/eu-1/clusters/a%20b')).toEqual({ region: 'eu-1', cluster: 'a b' });
    expect(match('/environments/:region', '/environments/eu-1/clusters/x')).toBeUndefined();
  });
});

describe('form choices', () => {
  it('offer exactly what the schemas accept', () => {
    expect([...SERVICE_TYPES]).toEqual(ServiceType.options);
    expect([...LOG_LEVELS]).toEqual(ComponentLogLevel.options);
  });
});

describe("the control plane's warnings", () => {
  it('reads every warning of a Warning header, quotes unescaped', () => {
    expect(parseWarningHeader(null)).toEqual([]);
    expect(parseWarningHeader('299 - "StorageClass \\"fast\\" does not allow volume expansion", 299 - "region eu has no VolumeSnapshotClass"')).toEqual([
      'StorageClass "fast" does not allow volume expansion',
      'region eu has no VolumeSnapshotClass',
    ]);
  });
});

// A form with every field set, and the spec it makes.
const configBase = { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
const configForm: ClusterConfigForm = {
  ...EMPTY_CONFIG,
  nodeSelector: 'disktype=ssd\n zone = a ',
  tolerations: 'dedicated=qdrant:NoSchedule\ngpu:NoExecute',
  serviceType: 'LoadBalancer',
  serviceAnnotations: 'lb.example.com/internal=true',
  ingressEnabled: true,
  ingressClass: 'nginx',
  ingressHost: 'q.example.com',
  ingressTls: true,
  ingressTlsSecret: 'q-tls',
  ingressAnnotations: 'a=b',
  storageClass: 'fast',
  volumeSnapshotClass: 'csi-snap',
  logLevel: 'DEBUG',
  apiKeySecretName: 'keys',
  apiKeySecretKey: 'rw',
  readOnlyApiKeySecretName: 'keys',
  readOnlyApiKeySecretKey: '',
  rebalance: 'on',
};
const configSpec: ClusterRecord['spec'] = {
  ...configBase,
  servicePerNode: true,
  suspend: false,
  onDemandReplication: 'Off',
  multiAZ: false,
  nodeSelector: { disktype: 'ssd', zone: 'a' },
  tolerations: [
    { key: 'dedicated', operator: 'Equal', value: 'qdrant', effect: 'NoSchedule' },
    { key: 'gpu', operator: 'Exists', effect: 'NoExecute' },
  ],
  service: { type: 'LoadBalancer', annotations: { 'lb.example.com/internal': 'true' } },
  ingress: { enabled: true, ingressClassName: 'nginx', host: 'q.example.com', tls: true, tlsSecretName: 'q-tls', annotations: { a: 'b' } },
  storageClassNames: { db: 'fast' },
  storage: { volumeSnapshotClassName: 'csi-snap' },
  config: {
    log_level: 'DEBUG',
    service: { api_key: { secretKeyRef: { name: 'keys', key: 'rw' } }, read_only_api_key: { secretKeyRef: { name: 'keys', key: 'read-only-api-key' } } },
  },
  clusterManager: true,
};

describe('the cluster configuration form', () => {
  it('every field lands where the QdrantCluster spec has it, and the spec accepts it', () => {
    expect(applyConfig({ ...configBase, servicePerNode: true, suspend: false, onDemandReplication: 'Off', multiAZ: false }, configForm)).toEqual(configSpec);
    expect(QdrantClusterSpec.safeParse({ ...applyConfig(configBase, configForm), id: 'x' }).success).toBe(true);
  });

  it('reads back into the same form; an untouched form changes nothing, rebalancing left unset stays unset', () => {
    expect(configOf(configSpec)).toEqual({ ...configForm, nodeSelector: 'disktype=ssd\nzone=a', readOnlyApiKeySecretKey: 'read-only-api-key' });
    expect(applyConfig(configSpec, configOf(configSpec))).toEqual(configSpec);
    expect(applyConfig(configBase, configOf(configBase))).toEqual({ ...configBase, service: { type: 'ClusterIP' } });
    // Emptied fields are removed, the rest of the spec is kept.
    expect(applyConfig({ ...configSpec, suspend: true }, { ...configOf(configSpec), nodeSelector: '', tolerations: '', ingressEnabled: false })).toMatchObject({
      suspend: true,
      ingress: { enabled: false },
    });
    expect(applyConfig(configSpec, { ...configOf(configSpec), nodeSelector: '' }).nodeSelector).toBeUndefined();
  });

  it('a save with only the log level changed writes every other field back exactly as it was', () => {
    const odd: ClusterRecord['spec'] = {
      ...configSpec,
      tolerations: [
        { operator: 'Exists' },
        { operator: 'Exists', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
        { key: 'dedicated', operator: 'Equal', value: 'qdrant', effect: 'NoExecute', tolerationSeconds: 0 },
      ],
      nodeSelector: { zone: 'a', disktype: 'ssd' },
      config: { log_level: 'INFO', service: { api_key: { secretKeyRef: { name: 'keys', key: 'rw', optional: true } as { name: string; key: string } } } },
    };
    expect(applyConfig(odd, configOf(odd))).toEqual(odd);
    expect(applyConfig(odd, { ...configOf(odd), logLevel: 'DEBUG' })).toEqual({ ...odd, config: { ...odd.config, log_level: 'DEBUG' } });
    // The text itself round-trips every toleration form, so editing one line keeps the others.
    expect(parseTolerations(formatTolerations(odd.tolerations))).toEqual(odd.tolerations);
    // A changed Secret name keeps the reference's other keys.
    expect(applyConfig(odd, { ...configOf(odd), apiKeySecretName: 'other' }).config?.service?.api_key).toEqual({
      secretKeyRef: { name: 'other', key: 'rw', optional: true },
    });
  });

  it('rebalancing is a three-way choice: the environment default (unset), on, off', () => {
    const { clusterManager: _, ...unset } = configSpec;
    expect(configOf(unset).rebalance).toBe('default');
    expect(configOf({ ...configSpec, clusterManager: false }).rebalance).toBe('off');
    expect(applyConfig(unset, { ...configOf(unset), rebalance: 'off' }).clusterManager).toBe(false);
    expect(applyConfig(unset, { ...configOf(unset), rebalance: 'on' }).clusterManager).toBe(true);
    expect(applyConfig(configSpec, { ...configOf(configSpec), rebalance: 'default' })).not.toHaveProperty('clusterManager');
  });

  it('says why a field is read-only with the reason the API refuses a change with', () => {
    expect(IMMUTABLE_CLUSTER_FIELDS.find((f) => f.path.join('.') === 'storageClassNames.db')?.reason).toBe(IMMUTABLE_REASONS.storageClass);
  });
});
