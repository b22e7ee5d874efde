import { describe, expect, it } from 'vitest';
import { Annotations, Condition, LabelKey, LabelSelector, LabelValue, Labels, ObjectMeta, dns1123Label, dns1123Subdomain } from '../src/k8s/index.ts';
import { expectOnlyIssue, expectValid, issuesOf } from './zod-issues.ts';

describe('DNS-1123 names', () => {
  it.each(['a', 'qdrant-0', '0abc', 'a'.repeat(63)])('label %j is valid', (name) => expectValid(dns1123Label, name));

  it.each([
    ['Qdrant', /RFC 1123 label/],
    ['-a', /RFC 1123 label/],
    ['a-', /RFC 1123 label/],
    ['a.b', /RFC 1123 label/],
    ['', /RFC 1123 label/],
  ])('label %j is refused', (name, message) => expectOnlyIssue(dns1123Label, name, '', message));

  it('label refuses 64 characters with the limit in the message', () => {
    expectOnlyIssue(dns1123Label, 'a'.repeat(64), '', /at most 63 characters/);
  });

  it.each(['a.b.c', 'qdrant-abc.example.com', 'a'])('subdomain %j is valid', (name) => expectValid(dns1123Subdomain, name));

  it.each(['a..b', '.a', 'A.b', 'a_b'])('subdomain %j is refused', (name) => {
    expectOnlyIssue(dns1123Subdomain, name, '', /RFC 1123 subdomain/);
  });

  it('subdomain refuses 254 characters', () => {
    expectOnlyIssue(dns1123Subdomain, `${'a.'.repeat(126)}ab`, '', /at most 253 characters/);
  });
});

describe('labels and annotations', () => {
  it.each(['app', 'cluster-id', 'app.kubernetes.io/name', 'example.com/A_b.c', 'a'.repeat(63)])('key %j is valid', (key) => {
    expectValid(LabelKey, key);
  });

  it.each([
    ['a/b/c', /at most one "\/"/],
    ['/name', /prefix "" must be a DNS subdomain/],
    ['Example.com/name', /prefix "Example.com" must be a DNS subdomain/],
    ['example.com/', /name part must be 1 to 63 characters/],
    ['a'.repeat(64), /name part must be 1 to 63 characters/],
    ['-name', /starting and ending with a letter or digit/],
  ])('key %j is refused', (key, message) => expectOnlyIssue(LabelKey, key, '', message));

  it.each(['', 'v1', 'a.b_c-d', 'x'.repeat(63)])('value %j is valid', (value) => expectValid(LabelValue, value));

  it('value refuses more than 63 characters', () => {
    expectOnlyIssue(LabelValue, 'x'.repeat(64), '', /at most 63 characters/);
  });

  it.each(['-a', 'a b', 'a/b', 'é'])('value %j is refused', (value) => {
    expectOnlyIssue(LabelValue, value, '', /letters, digits, "-", "_" or "."/);
  });

  it('reports a bad label key at the key and a bad value at the value', () => {
    expectOnlyIssue(Labels, { 'bad key': 'x' }, 'bad key', /invalid label key/);
    expectOnlyIssue(Labels, { team: 'a b' }, 'team', /letters, digits/);
  });

  it('accepts any annotation value but checks annotation keys', () => {
    expectValid(Annotations, { 'example.com/config': '{"a": [1, 2]}\nmulti-line' });
    expectOnlyIssue(Annotations, { 'a/b/c': 'x' }, 'a/b/c', /invalid annotation key/);
  });
});

describe('label selectors', () => {
  it('accepts matchLabels and every operator used correctly', () => {
    expectValid(LabelSelector, {
      matchLabels: { app: 'qdrant' },
      matchExpressions: [
        { key: 'zone', operator: 'In', values: ['a', 'b'] },
        { key: 'tier', operator: 'NotIn', values: ['slow'] },
        { key: 'gpu', operator: 'Exists' },
        { key: 'spot', operator: 'DoesNotExist', values: [] },
      ],
    });
    expectValid(LabelSelector, {});
  });

  it.each(['In', 'NotIn'])('%s needs values', (operator) => {
    expectOnlyIssue(
      LabelSelector,
      { matchExpressions: [{ key: 'zone', operator }] },
      'matchExpressions[0].values',
      new RegExp(`at least one value when operator is ${operator}`),
    );
    expectOnlyIssue(LabelSelector, { matchExpressions: [{ key: 'zone', operator, values: [] }] }, 'matchExpressions[0].values', /at least one value/);
  });

  it.each(['Exists', 'DoesNotExist'])('%s must not have values', (operator) => {
    expectOnlyIssue(
      LabelSelector,
      { matchExpressions: [{ key: 'zone', operator, values: ['a'] }] },
      'matchExpressions[0].values',
      new RegExp(`must be empty when operator is ${operator}`),
    );
  });

  it('refuses an unknown operator and an unknown field', () => {
    expectOnlyIssue(
      LabelSelector,
      { matchExpressions: [{ key: 'zone', operator: 'Gt', values: ['1'] }] },
      'matchExpressions[0].operator',
      /In|NotIn|Exists|DoesNotExist/,
    );
    expect(issuesOf(LabelSelector, { matchLabel: { app: 'qdrant' } })[0]?.message).toMatch(/matchLabel/);
  });
});

describe('ObjectMeta', () => {
  it('validates what users write', () => {
    expectOnlyIssue(ObjectMeta, { name: 'My_Cluster' }, 'name', /RFC 1123 subdomain/);
    expectOnlyIssue(ObjectMeta, { namespace: 'a.b' }, 'namespace', /RFC 1123 label/);
    expectOnlyIssue(ObjectMeta, { labels: { 'cluster-id': 'x y' } }, 'labels.cluster-id', /letters, digits/);
    expectOnlyIssue(ObjectMeta, { annotations: { 'a/b/c': 'x' } }, 'annotations.a/b/c', /invalid annotation key/);
    expectOnlyIssue(ObjectMeta, { generateName: 5 }, 'generateName', /expected string/);
  });

  it('lets fields the apiserver sets pass through untouched', () => {
    const meta = {
      name: 'qdrant-abc',
      generateName: 'qdrant-',
      uid: 'u',
      resourceVersion: '1',
      generation: 2,
      managedFields: [{ manager: 'qhc-operator', operation: 'Apply', fieldsV1: { 'f:spec': {} } }],
      selfLink: '/apis/qdrant.io/v1/namespaces/q/qdrantclusters/qdrant-abc',
    };
    const result = ObjectMeta.safeParse(meta);
    expect(result.success && result.data).toEqual(meta);
  });
});

describe('metav1.Condition', () => {
  const ready = { type: 'Ready', status: 'True', lastTransitionTime: '2026-11-20T08:00:00Z', reason: 'ClusterHealthy', message: '' };

  it('accepts a full condition, including a prefixed type', () => {
    expectValid(Condition, { ...ready, observedGeneration: 3 });
    expectValid(Condition, { ...ready, type: 'qdrant.io/Synced' });
  });

  it.each([
    [{ status: 'Yes' }, 'status', /"True"|True/],
    [{ reason: '' }, 'reason', /CamelCase reason/],
    [{ reason: 'pods ready' }, 'reason', /CamelCase reason/],
    [{ reason: '1Bad' }, 'reason', /CamelCase reason/],
    [{ type: 'has space' }, 'type', /condition type/],
    [{ lastTransitionTime: 'yesterday' }, 'lastTransitionTime', /RFC 3339/],
    [{ observedGeneration: -1 }, 'observedGeneration', />=0|at least 0|too small/i],
  ] as const)('refuses %j', (change, path, message) => {
    expectOnlyIssue(Condition, { ...ready, ...change }, path, message);
  });

  it('requires type, status, lastTransitionTime, reason and message', () => {
    const paths = issuesOf(Condition, {})
      .map((i) => i.path)
      .toSorted();
    expect(paths).toEqual(['lastTransitionTime', 'message', 'reason', 'status', 'type']);
  });
});
