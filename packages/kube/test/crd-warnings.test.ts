import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { allKinds, buildCrd, type KindDefinition } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { parseWarnings } from '../src/index.ts';
import { clientFor } from './helpers.ts';

const sandbox = useSandboxNamespace('kube-crd-warnings');

/**
 * Each generated CRD, under a group of its own so the dry-run create neither collides with the
 * CRDs other test files install nor changes them: the apiserver validates it as a new CRD and
 * answers with every warning it has (unknown formats, deprecated fields) in `Warning` headers.
 */
function renamed(kind: KindDefinition): Record<string, unknown> {
  const crd = buildCrd(kind) as unknown as { metadata: { name: string }; spec: { group: string; names: { plural: string } } };
  const group = 'warnings.qhc-test.io';
  return { ...crd, metadata: { name: `${crd.spec.names.plural}.${group}` }, spec: { ...crd.spec, group } };
}

describe('generated CRDs on a real apiserver', () => {
  it.each(allKinds.map((k) => [k.kind, k] as const))('%s is accepted with no warning', async (_name, kind) => {
    const client = clientFor(sandbox.kubeconfigPath);
    const res = await client.transport.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      body: renamed(kind),
      query: { dryRun: 'All' },
    });
    expect(res.status).toBe(201);
    expect(res.warnings).toEqual([]);
  });
});

describe('parseWarnings', () => {
  it('reads each warn-agent text, folded or not, unescaping quotes', () => {
    expect(parseWarnings(null)).toEqual([]);
    expect(parseWarnings('299 - "unrecognized format \\"starts_with\\"", 299 - "second"')).toEqual(['unrecognized format "starts_with"', 'second']);
  });
});
