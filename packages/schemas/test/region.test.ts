import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CHART_REPOSITORY_URL,
  DEFAULT_CONTAINER_REGISTRY_URL,
  QhcSchemaError,
  checkPemCertificates,
  checkRegionUpdate,
  parseRegion,
  parseRegionUpdate,
  toYaml,
} from '../src/index.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseRegion', () => {
  it('parses a region with every advanced option', () => {
    const region = parseRegion(fixture('region-full.yaml'));
    expect(region.name).toBe('prod-eu');
    expect(region.namespace).toBe('qdrant');
    expect(region.advanced.proxy?.noProxy).toContain('10.0.0.0/8');
    expect(region.advanced.logLevel).toEqual({ operator: 'DEBUG', agent: 'WARN' });
    expect(region.advanced.caCertificate).toContain('BEGIN CERTIFICATE');
    // Settings are merged with the seed defaults.
    expect(region.operatorSettings.settings.backOff).toEqual({ minDelay: 1, maxDelay: 300, increment: 5 });
    expect(parseRegion(toYaml(region))).toEqual(region);
  });

  it("defaults the registry and chart repository to Qdrant's", () => {
    const region = parseRegion('name: r1\nnamespace: qdrant\nagentVersion: 1.0.0\noperatorVersion: 1.0.0\n');
    expect(region.advanced.containerRegistryUrl).toBe(DEFAULT_CONTAINER_REGISTRY_URL);
    expect(region.advanced.chartRepositoryUrl).toBe(DEFAULT_CHART_REPOSITORY_URL);
    expect(region.advanced.logLevel).toEqual({ operator: 'INFO', agent: 'INFO' });
  });
});

describe('namespace immutability', () => {
  const stored = parseRegion(fixture('region-full.yaml'));

  it('allows changing everything but the namespace', () => {
    const text = fixture('region-full.yaml').replace('agentVersion: 1.4.2', 'agentVersion: 1.5.0');
    expect(parseRegionUpdate(text, stored).agentVersion).toBe('1.5.0');
    const next = { ...stored, agentVersion: '9.9.9' };
    expect(checkRegionUpdate(stored, next)).toEqual([]);
  });

  it('rejects a namespace change, located at the namespace line', () => {
    const text = fixture('region-full.yaml').replace('namespace: qdrant', 'namespace: other');
    try {
      parseRegionUpdate(text, stored);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(QhcSchemaError);
      const [problem] = (error as QhcSchemaError).problems;
      expect(problem).toMatchObject({ path: ['namespace'], code: 'immutable', line: 2 });
      expect(problem?.message).toContain('was "qdrant", got "other"');
    }
  });
});

describe('checkPemCertificates', () => {
  const pem = fixture('test-ca.pem');
  it('accepts a certificate and a bundle', () => {
    expect(checkPemCertificates(pem)).toEqual({ ok: true, certificates: 1 });
    expect(checkPemCertificates(`${pem}\n${pem}`)).toEqual({ ok: true, certificates: 2 });
  });
  it.each([
    ['no PEM at all', 'hello', /BEGIN CERTIFICATE/],
    ['a private key', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', /never a private key/],
    ['bad base64', '-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----', /not valid base64/],
    ['a truncated body', pem.replace(/\n[A-Za-z0-9+/=]+\n-----END/, '\n-----END'), /DER|base64/],
    ['text around the block', `junk\n${pem}`, /outside/],
    ['a non-certificate DER', '-----BEGIN CERTIFICATE-----\nAgEF\n-----END CERTIFICATE-----', /SEQUENCE/],
  ])('rejects %s', (_name, text, reason) => {
    const result = checkPemCertificates(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
