import { describe, expect, it } from 'vitest';
import { generateSealingKeyPair, isSealingPublicKey, openSealed, publicKeyOf, sealedKeyContext, sealFor } from '../src/sealing/index.ts';
import { AgentReport, DesiredCluster } from '../src/index.ts';

describe('sealing database API keys for an agent', () => {
  it('opens what was sealed for its key pair, in the same context only', () => {
    const pair = generateSealingKeyPair();
    expect(publicKeyOf(pair.privateKeyPem)).toBe(pair.publicKey);
    expect(isSealingPublicKey(pair.publicKey)).toBe(true);
    const context = sealedKeyContext('c1', 'k1');
    const sealed = sealFor(pair.publicKey, 'the-secret', context);
    expect(sealed).not.toContain('the-secret');
    expect(openSealed(pair.privateKeyPem, sealed, context)).toBe('the-secret');
    expect(openSealed(pair.privateKeyPem, sealed, sealedKeyContext('c2', 'k1'))).toBeUndefined();
    expect(openSealed(generateSealingKeyPair().privateKeyPem, sealed, context)).toBeUndefined();
    expect(openSealed(pair.privateKeyPem, `${sealed.slice(0, -2)}AA`, context)).toBeUndefined();
    expect(openSealed(pair.privateKeyPem, 'short', context)).toBeUndefined();
  });

  it('seals the same key differently each time (a fresh ephemeral key)', () => {
    const pair = generateSealingKeyPair();
    expect(sealFor(pair.publicKey, 'k', 'x')).not.toBe(sealFor(pair.publicKey, 'k', 'x'));
    expect(isSealingPublicKey('not-a-key')).toBe(false);
  });

  it('carries the public key in the report and the sealed keys in the desired state', () => {
    const { publicKey } = generateSealingKeyPair();
    expect(AgentReport.parse({ agentPublicKey: publicKey }).agentPublicKey).toBe(publicKey);
    expect(AgentReport.safeParse({ agentPublicKey: 'x' }).success).toBe(false);
    const cluster = { id: 'c', spec: { id: 'c' }, databaseApiKeys: [{ id: 'k', slot: 'readOnly', sealed: 's' }] };
    expect(DesiredCluster.parse(cluster).databaseApiKeys).toEqual(cluster.databaseApiKeys);
    const three = Array.from({ length: 3 }, (_, i) => ({ id: `k${i}`, slot: 'readWrite', sealed: 's' }));
    expect(DesiredCluster.safeParse({ ...cluster, databaseApiKeys: three }).success).toBe(false);
  });
});
