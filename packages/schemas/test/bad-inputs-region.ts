import { readFileSync } from 'node:fs';
import { parseRegion, parseRegionUpdate } from '../src/index.ts';
import type { BadInput } from './bad-input.ts';

const pem = readFileSync(new URL('./fixtures/test-ca.pem', import.meta.url), 'utf8');
const regionHead = 'name: r1\nnamespace: qdrant\nagentVersion: 1.0.0\noperatorVersion: 1.0.0\n';
const advanced = (body: string) => `${regionHead}advanced:\n${body}`;
const indent = (text: string, by: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => by + l)
    .join('\n');

export const REGION_BAD_INPUTS: BadInput[] = [
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
