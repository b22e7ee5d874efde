import { describe, expect, it } from 'vitest';
import { ClusterSpecRequest, QdrantCluster } from '../src/crds/index.ts';
import { annotated, minimal, withRequests, withSpec } from './qdrant-cluster-helpers.ts';
import { expectOnlyIssue, expectValid, issuesOf } from './zod-issues.ts';

describe('QdrantCluster: rules upstream checks in code, on metadata', () => {
  it('requires the name qdrant-<spec.id>', () => {
    const cluster = minimal();
    cluster.metadata.name = 'my-cluster';
    expectOnlyIssue(QdrantCluster, cluster, 'metadata.name', /must be "qdrant-a7d8d973-0cc5-42de-8d7b-c29d14d24840" \(qdrant-<spec\.id>\), got "my-cluster"/);
    delete cluster.metadata.name;
    expectOnlyIssue(QdrantCluster, cluster, 'metadata.name', /got ""/);
  });

  it('requires the cluster-id label, equal to spec.id', () => {
    const cluster = minimal();
    cluster.metadata.labels = { 'cluster-id': 'other', 'customer-id': 'acme' };
    expectOnlyIssue(QdrantCluster, cluster, 'metadata.labels.cluster-id', /must equal spec\.id \("a7d8d973-0cc5-42de-8d7b-c29d14d24840"\), got "other"/);
    cluster.metadata.labels = { 'customer-id': 'acme' };
    expectOnlyIssue(QdrantCluster, cluster, 'metadata.labels', /must have the label "cluster-id: a7d8d973/);
  });

  it('requires the customer-id label', () => {
    const cluster = minimal();
    cluster.metadata.labels = { 'cluster-id': 'a7d8d973-0cc5-42de-8d7b-c29d14d24840' };
    expectOnlyIssue(QdrantCluster, cluster, 'metadata.labels', /must have the label "customer-id"/);
    delete cluster.metadata.labels;
    expect(issuesOf(QdrantCluster, cluster).map((i) => i.message)).toEqual([expect.stringMatching(/"cluster-id: /), expect.stringMatching(/"customer-id"/)]);
  });

  it('takes a bootstrap-node annotation only as the index of one of the nodes', () => {
    expectValid(QdrantCluster, annotated('2'));
    for (const bad of ['3', '-1', 'one', '01', '']) {
      expectOnlyIssue(QdrantCluster, annotated(bad), 'metadata.annotations.operator.qdrant.com/bootstrap-node', /index of a node of the cluster, 0 to 2/);
    }
  });
});

describe('QdrantCluster: rules upstream checks in code, on resources and refused fields', () => {
  it('requires resources with cpu, memory and storage', () => {
    expectOnlyIssue(QdrantCluster, withSpec({ resources: undefined }), 'spec.resources', /is required: set cpu, memory and storage/);
    expectOnlyIssue(QdrantCluster, withSpec({ resources: { memory: '1Gi', storage: '2Gi' } }), 'spec.resources.cpu', /is required/);
    expectOnlyIssue(QdrantCluster, withSpec({ resources: { cpu: '1', storage: '2Gi' } }), 'spec.resources.memory', /is required/);
    expectOnlyIssue(QdrantCluster, withSpec({ resources: { cpu: '1', memory: '1Gi', storage: '' } }), 'spec.resources.storage', /is required/);
  });

  it('requires valid, positive quantities', () => {
    expectOnlyIssue(
      QdrantCluster,
      withSpec({ resources: { cpu: 'one', memory: '1Gi', storage: '2Gi' } }),
      'spec.resources.cpu',
      /Kubernetes quantity such as "500m", "2" or "4Gi", got "one"/,
    );
    expectOnlyIssue(QdrantCluster, withSpec({ resources: { cpu: '1', memory: '1GB', storage: '2Gi' } }), 'spec.resources.memory', /Kubernetes quantity/);
    expectOnlyIssue(QdrantCluster, withSpec({ resources: { cpu: '1', memory: '1Gi', storage: '0' } }), 'spec.resources.storage', /greater than zero/);
    expectOnlyIssue(
      QdrantCluster,
      withSpec({ resources: { cpu: '1', memory: '1Gi', storage: '2Gi', requests: { cpu: 'x' } } }),
      'spec.resources.requests.cpu',
      /Kubernetes quantity/,
    );
    expectOnlyIssue(QdrantCluster, withSpec({ resources: { cpu: 1, memory: '1Gi', storage: '2Gi' } }), 'spec.resources.cpu', /expected string/);
  });

  it("runs the same checks on the API's spec (no id) as on the full cluster", () => {
    const { id: _id, ...spec } = (minimal() as { spec: Record<string, unknown> }).spec;
    const resources = { cpu: '1', memory: '1Gi', storage: '2Gi' };
    expectValid(ClusterSpecRequest, { ...spec, resources });
    for (const cpu of ['$(id)', '-1', '0', 'NaN'])
      expectOnlyIssue(ClusterSpecRequest, { ...spec, resources: { ...resources, cpu } }, 'resources.cpu', /quantity|greater than zero/);
    expectOnlyIssue(ClusterSpecRequest, { ...spec, resources: { ...resources, memory: '0' } }, 'resources.memory', /greater than zero/);
    expectOnlyIssue(ClusterSpecRequest, { ...spec, resources: { ...resources, storage: '-20Gi' } }, 'resources.storage', /greater than zero/);
    expectOnlyIssue(
      ClusterSpecRequest,
      { ...spec, resources: { ...resources, requests: { cpu: '2' } } },
      'resources.requests.cpu',
      /must not exceed the cpu limit/,
    );
    expectOnlyIssue(ClusterSpecRequest, { ...spec, resources: undefined }, 'resources', /is required/);
    expectOnlyIssue(ClusterSpecRequest, { ...spec, resources, version: '$(reboot)' }, 'version', /Qdrant release tag/);
    expectValid(ClusterSpecRequest, { ...spec, resources, version: '1.16.3' });
    expectValid(ClusterSpecRequest, { ...spec, resources, version: 'v1.17.0-rc.1' });
  });

  it('keeps requests within limits, comparing values not text', () => {
    expectValid(QdrantCluster, withRequests({ cpu: '1000m', memory: '1024Mi' }));
    expectOnlyIssue(QdrantCluster, withRequests({ cpu: '1001m' }), 'spec.resources.requests.cpu', /must not exceed the cpu limit \(1\)/);
    expectOnlyIssue(QdrantCluster, withRequests({ memory: '1.1G' }), 'spec.resources.requests.memory', /must not exceed the memory limit \(1Gi\)/);
  });

  it('refuses iops, throughput and readClusters, naming the field and what to do instead', () => {
    expectOnlyIssue(QdrantCluster, withSpec({ storage: { iops: 3000 } }), 'spec.storage.iops', /specific to each CSI driver.*volumeAttributesClassName/);
    expectOnlyIssue(
      QdrantCluster,
      withSpec({ storage: { throughput: 125 } }),
      'spec.storage.throughput',
      /specific to each CSI driver.*volumeAttributesClassName/,
    );
    expectOnlyIssue(QdrantCluster, withSpec({ readClusters: [{ id: 'other' }] }), 'spec.readClusters', /does not synchronise read clusters/);
    expectValid(QdrantCluster, withSpec({ storage: { volumeAttributesClassName: 'gold' } }));
    // On the fields themselves: the control plane's API, which takes the spec alone, refuses them too.
    const apiSpec = ClusterSpecRequest;
    const { id: _id, ...spec } = (minimal() as { spec: Record<string, unknown> }).spec;
    expectOnlyIssue(apiSpec, { ...spec, readClusters: [{ id: 'other' }] }, 'readClusters', /does not synchronise read clusters/);
    expectOnlyIssue(apiSpec, { ...spec, storage: { iops: 3000 } }, 'storage.iops', /VolumeAttributesClass/);
  });
});
