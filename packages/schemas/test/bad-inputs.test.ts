import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QhcSchemaError, formatPath, parseOperatorSettings, parseRegion, parseRegionUpdate } from '../src/index.ts';
import { CR_BAD_INPUTS } from './bad-inputs-resources.ts';
import type { BadInput } from './bad-input.ts';

const pem = readFileSync(new URL('./fixtures/test-ca.pem', import.meta.url), 'utf8');
const regionHead = 'name: r1\nnamespace: qdrant\nagentVersion: 1.0.0\noperatorVersion: 1.0.0\n';
const settings = (body: string) => `settings:\n${body}`;
const advanced = (body: string) => `${regionHead}advanced:\n${body}`;
const indent = (text: string, by: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => by + l)
    .join('\n');

// Each case: the text, the path and line that must be named, and words of the message.
const SETTINGS_AND_REGION: BadInput[] = [
  { name: 'syntax error', parse: parseOperatorSettings, text: 'settings:\n  backOff: [1, 2\n', path: '(document)', line: 3, message: /flow sequence|missing/i },
  { name: 'empty document', parse: parseOperatorSettings, text: '   \n', path: '(document)', message: /empty/ },
  { name: 'two documents', parse: parseOperatorSettings, text: 'settings: {}\n---\nsettings: {}\n', path: '(document)', line: 2, message: /single document/ },
  {
    name: 'duplicate key',
    parse: parseOperatorSettings,
    text: 'settings:\n  backupTimeout: 1\n  backupTimeout: 2\n',
    path: '(document)',
    line: 3,
    message: /unique|duplicate/i,
  },
  { name: 'document is a list', parse: parseOperatorSettings, text: '- a\n- b\n', path: '(document)', line: 1, message: /expected a mapping, got a list/ },
  {
    name: 'unknown top-level key',
    parse: parseOperatorSettings,
    text: 'setings: {}\n',
    path: 'setings',
    line: 1,
    message: /unknown key "setings"; did you mean "settings"\?/,
  },
  {
    name: 'unknown nested key with suggestion',
    parse: parseOperatorSettings,
    text: settings('  backOff:\n    minDelai: 1\n'),
    path: 'settings.backOff.minDelai',
    line: 3,
    message: /did you mean "minDelay"/,
  },
  {
    name: 'snake_case for camelCase key',
    parse: parseOperatorSettings,
    text: settings('  backup_timeout: 10\n'),
    path: 'settings.backup_timeout',
    line: 2,
    message: /did you mean "backupTimeout"/,
  },
  {
    name: 'unknown key without suggestion lists known keys',
    parse: parseOperatorSettings,
    text: settings('  qdrant:\n    flavour: vanilla\n'),
    path: 'settings.qdrant.flavour',
    line: 3,
    message: /known keys at settings\.qdrant: securityContext, image, log_level, networkPolicies/,
  },
  {
    name: 'wrong type: string for number',
    parse: parseOperatorSettings,
    text: settings('  operationTimeout: "2h"\n'),
    path: 'settings.operationTimeout',
    line: 2,
    message: /expected an integer|expected a number/,
  },
  {
    name: 'fractional seconds',
    parse: parseOperatorSettings,
    text: settings('  handlerTimeout: 1.5\n'),
    path: 'settings.handlerTimeout',
    line: 2,
    message: /whole number of seconds/,
  },
  {
    name: 'negative timeout',
    parse: parseOperatorSettings,
    text: settings('  backupTimeout: -5\n'),
    path: 'settings.backupTimeout',
    line: 2,
    message: /greater than 0 seconds/,
  },
  {
    name: 'zero operation timeout',
    parse: parseOperatorSettings,
    text: settings('  operationTimeout: 0\n'),
    path: 'settings.operationTimeout',
    line: 2,
    message: /greater than 0/,
  },
  {
    name: 'negative retention',
    parse: parseOperatorSettings,
    text: settings('  backupHistoryRetentionDays: -1\n'),
    path: 'settings.backupHistoryRetentionDays',
    line: 2,
    message: /at least 0 days/,
  },
  {
    name: 'minDelay > maxDelay',
    parse: parseOperatorSettings,
    text: settings('  backOff:\n    minDelay: 400\n    maxDelay: 300\n'),
    path: 'settings.backOff.minDelay',
    line: 3,
    message: /not be greater than maxDelay \(300\), got 400/,
  },
  {
    name: 'minDelay > default maxDelay',
    parse: parseOperatorSettings,
    text: settings('  backOff: { minDelay: 301 }\n'),
    path: 'settings.backOff.minDelay',
    line: 2,
    message: /maxDelay \(300\)/,
  },
  {
    name: 'boolean as string',
    parse: parseOperatorSettings,
    text: settings('  clusterManager:\n    debug: "yes"\n'),
    path: 'settings.clusterManager.debug',
    line: 3,
    message: /expected true or false, got string "yes"/,
  },
  {
    name: 'unquoted numeric tag',
    parse: parseOperatorSettings,
    text: settings('  clusterManager:\n    image:\n      tag: 1.10\n'),
    path: 'settings.clusterManager.image.tag',
    line: 4,
    message: /quote it/,
  },
  {
    name: 'image repository with a tag',
    parse: parseOperatorSettings,
    text: settings('  qdrant:\n    image:\n      repository: qdrant/qdrant:v1.12.0\n'),
    path: 'settings.qdrant.image.repository',
    line: 4,
    message: /image repository/,
  },
  {
    name: 'unknown ingress provider',
    parse: parseOperatorSettings,
    text: settings('  ingress:\n    provider: Traefik\n'),
    path: 'settings.ingress.provider',
    line: 3,
    message: /"KubernetesIngress", "NginxIngress"/,
  },
  {
    name: 'provider with wrong case',
    parse: parseOperatorSettings,
    text: settings('  ingress:\n    provider: nginxingress\n'),
    path: 'settings.ingress.provider',
    line: 3,
    message: /did you mean "NginxIngress"/,
  },
  {
    name: 'unknown app environment',
    parse: parseOperatorSettings,
    text: settings('  app_environment: docker\n'),
    path: 'settings.app_environment',
    line: 2,
    message: /"kubernetes", "local"/,
  },
  {
    name: 'bad pull policy',
    parse: parseOperatorSettings,
    text: settings('  qdrant:\n    image:\n      pull_policy: Sometimes\n'),
    path: 'settings.qdrant.image.pull_policy',
    line: 4,
    message: /"Always", "IfNotPresent", "Never"/,
  },
  {
    name: 'bad log level',
    parse: parseOperatorSettings,
    text: settings('  qdrant:\n    log_level: VERBOSE\n'),
    path: 'settings.qdrant.log_level',
    line: 3,
    message: /"TRACE", "DEBUG", "INFO", "WARN", "ERROR"/,
  },
  {
    name: 'storage class with capitals',
    parse: parseOperatorSettings,
    text: settings('  storage:\n    default_storage_class_names:\n      db: Fast_SSD\n'),
    path: 'settings.storage.default_storage_class_names.db',
    line: 4,
    message: /lower case|RFC 1123|DNS/i,
  },
  {
    name: 'invalid CIDR',
    parse: parseOperatorSettings,
    text: settings('  qdrant:\n    networkPolicies:\n      ingress:\n        - from:\n            - ipBlock:\n                cidr: 10.0.0.0/33\n'),
    path: 'settings.qdrant.networkPolicies.ingress[0].from[0].ipBlock.cidr',
    line: 7,
    message: /CIDR/,
  },
  {
    name: 'CIDR without a prefix',
    parse: parseOperatorSettings,
    text: settings('  qdrant:\n    networkPolicies:\n      egress:\n        - to:\n            - ipBlock:\n                cidr: 300.1.1.1/8\n'),
    path: 'settings.qdrant.networkPolicies.egress[0].to[0].ipBlock.cidr',
    line: 7,
    message: /CIDR/,
  },
  {
    name: 'port out of range',
    parse: parseOperatorSettings,
    text: settings('  qdrant:\n    networkPolicies:\n      egress:\n        - ports:\n            - port: 70000\n'),
    path: 'settings.qdrant.networkPolicies.egress[0].ports[0].port',
    line: 6,
    message: /65535/,
  },
  {
    name: 'port zero',
    parse: parseOperatorSettings,
    text: settings('  qdrant:\n    networkPolicies:\n      ingress:\n        - ports:\n            - port: 0\n'),
    path: 'settings.qdrant.networkPolicies.ingress[0].ports[0].port',
    line: 6,
    message: /1|65535|at least/,
  },
  {
    name: 'bad protocol',
    parse: parseOperatorSettings,
    text: settings('  qdrant:\n    networkPolicies:\n      ingress:\n        - ports:\n            - protocol: HTTP\n              port: 80\n'),
    path: 'settings.qdrant.networkPolicies.ingress[0].ports[0].protocol',
    line: 6,
    message: /"TCP", "UDP", "SCTP"/,
  },
  {
    name: 'bad toleration operator',
    parse: parseOperatorSettings,
    text: settings('  clusterManager:\n    tolerations:\n      - key: a\n        operator: Maybe\n'),
    path: 'settings.clusterManager.tolerations[0].operator',
    line: 5,
    message: /"Exists", "Equal"|Exists|Equal/,
  },
  {
    name: 'bad toleration effect',
    parse: parseOperatorSettings,
    text: settings('  clusterManager:\n    tolerations:\n      - key: a\n        effect: NoWay\n'),
    path: 'settings.clusterManager.tolerations[0].effect',
    line: 5,
    message: /NoSchedule/,
  },
  {
    name: 'topology spread maxSkew 0',
    parse: parseOperatorSettings,
    text: settings(
      '  scheduling:\n    default_topology_spread_constraints:\n      - maxSkew: 0\n        topologyKey: zone\n        whenUnsatisfiable: DoNotSchedule\n',
    ),
    path: 'settings.scheduling.default_topology_spread_constraints[0].maxSkew',
    line: 4,
    message: /at least 1|greater/,
  },
  {
    name: 'PDB with both minAvailable and maxUnavailable',
    parse: parseOperatorSettings,
    text: settings('  scheduling:\n    default_pod_disruption_budget:\n      minAvailable: 1\n      maxUnavailable: 1\n'),
    path: 'settings.scheduling.default_pod_disruption_budget.maxUnavailable',
    line: 5,
    message: /minAvailable|maxUnavailable/,
  },
  {
    name: 'node selector value too long',
    parse: parseOperatorSettings,
    text: settings(`  clusterManager:\n    node_selector:\n      zone: ${'x'.repeat(64)}\n`),
    path: 'settings.clusterManager.node_selector.zone',
    line: 4,
    message: /63/,
  },
  {
    name: 'security context user not numeric',
    parse: parseOperatorSettings,
    text: settings('  qdrant:\n    securityContext:\n      user: root\n'),
    path: 'settings.qdrant.securityContext.user',
    line: 4,
    message: /numeric id/,
  },
  {
    name: 'region without namespace',
    parse: parseRegion,
    text: 'name: r1\nagentVersion: 1.0.0\noperatorVersion: 1.0.0\n',
    path: 'namespace',
    line: 1,
    message: /is required/,
  },
  {
    name: 'region namespace not a DNS label',
    parse: parseRegion,
    text: 'name: r1\nnamespace: Qdrant_NS\nagentVersion: 1.0.0\noperatorVersion: 1.0.0\n',
    path: 'namespace',
    line: 2,
    message: /lower case|RFC 1123|DNS/i,
  },
  {
    name: 'region bad version',
    parse: parseRegion,
    text: 'name: r1\nnamespace: q\nagentVersion: latest\noperatorVersion: 1.0.0\n',
    path: 'agentVersion',
    line: 3,
    message: /version such as/,
  },
  {
    name: 'region bad proxy URL',
    parse: parseRegion,
    text: advanced('  proxy:\n    httpProxy: proxy.internal:3128\n'),
    path: 'advanced.proxy.httpProxy',
    line: 7,
    message: /http:\/\/ or https:\/\/ URL/,
  },
  {
    name: 'region bad no_proxy entry',
    parse: parseRegion,
    text: advanced('  proxy:\n    noProxy: ["bad host!"]\n'),
    path: 'advanced.proxy.noProxy[0]',
    line: 7,
    message: /host, \.domain, IP address, CIDR/,
  },
  {
    name: 'region registry URL with ftp',
    parse: parseRegion,
    text: advanced('  containerRegistryUrl: ftp://registry.example.com\n'),
    path: 'advanced.containerRegistryUrl',
    line: 6,
    message: /registry URL/,
  },
  {
    name: 'region bad PEM',
    parse: parseRegion,
    text: advanced('  caCertificate: not a certificate\n'),
    path: 'advanced.caCertificate',
    line: 6,
    message: /BEGIN CERTIFICATE/,
  },
  {
    name: 'region private key instead of CA',
    parse: parseRegion,
    text: advanced(`  caCertificate: |\n${indent(pem.replaceAll('CERTIFICATE', 'PRIVATE KEY'), '    ')}\n`),
    path: 'advanced.caCertificate',
    line: 6,
    message: /never a private key/,
  },
  {
    name: 'region bad log level',
    parse: parseRegion,
    text: advanced('  logLevel:\n    agent: TRACE\n'),
    path: 'advanced.logLevel.agent',
    line: 7,
    message: /"DEBUG", "INFO", "WARN", "ERROR"/,
  },
  {
    name: 'region nested settings problem',
    parse: parseRegion,
    text: `${regionHead}operatorSettings:\n  settings:\n    backOff:\n      maxDelay: -1\n`,
    path: 'operatorSettings.settings.backOff.maxDelay',
    line: 8,
    message: /greater than 0/,
  },
  {
    name: 'region namespace change',
    parse: (text) => parseRegionUpdate(text, { namespace: 'qdrant' }),
    text: regionHead.replace('namespace: qdrant', 'namespace: moved'),
    path: 'namespace',
    line: 2,
    message: /cannot change after the region is created/,
  },
];

const ALL = [...SETTINGS_AND_REGION, ...CR_BAD_INPUTS];

describe('bad inputs', () => {
  it('has at least 40 distinct cases', () => {
    expect(new Set(ALL.map((c) => c.name)).size).toBe(ALL.length);
    expect(ALL.length).toBeGreaterThanOrEqual(40);
  });

  it.each(ALL.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    let thrown: unknown;
    try {
      c.parse(c.text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown, 'the parser must reject the document').toBeInstanceOf(QhcSchemaError);
    const error = thrown as QhcSchemaError;
    const problem = error.problems.find((p) => formatPath(p.path) === c.path);
    expect(problem, `no problem at ${c.path}; got:\n${error.message}`).toBeDefined();
    expect(problem!.message).toMatch(c.message);
    if (c.line !== undefined) expect(problem!.line, error.message).toBe(c.line);
    // The one message a person reads names the path and, where known, the line.
    expect(error.message).toContain(c.path);
    if (c.line !== undefined) expect(error.message).toContain(`line ${c.line},`);
  });
});
