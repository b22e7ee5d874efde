import { describe, expect, it } from 'vitest';
import {
  CLUSTER_CONDITION_TYPES,
  CLUSTER_PHASES,
  MAX_CLUSTER_ID_LENGTH,
  QdrantCluster,
  QdrantClusterSpec,
  isActivePhase,
  isFailedPhase,
} from '../src/crds/index.ts';
import { UNSET_IN_FULL_EXAMPLE, clusterWithId, clusterWithStatus, full, minimal, withSpec } from './qdrant-cluster-helpers.ts';
import { SPEC_REFUSALS } from './qdrant-cluster-refusals.ts';
import { unsetPaths } from './schema-coverage.ts';
import { expectOnlyIssue, expectValid, issuesOf } from './zod-issues.ts';

describe('QdrantCluster: examples', () => {
  it('parses the full example, keeping every field as written', () => {
    const written = full();
    const parsed = QdrantCluster.parse(written);
    expect(parsed).toEqual(written);
  });

  it('the full example sets every field of the schema', () => {
    expect(unsetPaths(QdrantCluster, full(), UNSET_IN_FULL_EXAMPLE)).toEqual([]);
  });

  it('parses the docs minimal example and fills in upstream defaults', () => {
    const parsed = QdrantCluster.parse(minimal());
    expect(parsed.spec).toEqual({
      id: 'a7d8d973-0cc5-42de-8d7b-c29d14d24840',
      version: 'v1.11.3',
      size: 1,
      resources: { cpu: '100m', memory: '1Gi', storage: '2Gi' },
      servicePerNode: true,
      suspend: false,
      onDemandReplication: 'Off',
      multiAZ: false,
    });
  });

  it('fills in nested defaults where their parent is given', () => {
    const parsed = QdrantClusterSpec.parse({ ...minimal().spec, gpu: { gpuType: 'amd' }, service: {}, config: { inference: {}, audit: {} } });
    expect(parsed.gpu).toEqual({ gpuType: 'amd', forceHalfPrecision: false, parallelIndexes: 1, allowIntegrated: false });
    expect(parsed.service).toEqual({ type: 'ClusterIP' });
    expect(parsed.config).toEqual({ inference: { enabled: false }, audit: { enabled: false, rotation: 'daily', max_log_files: 7 } });
  });

  it('accepts a VolumeAttributesClass without iops and throughput, and a PDB by minAvailable', () => {
    expectValid(QdrantCluster, withSpec({ storage: { volumeAttributesClassName: 'gold' }, podDisruptionBudget: { minAvailable: '50%' } }));
  });

  it('accepts a cluster read back from the apiserver, with server-set metadata', () => {
    const cluster = minimal();
    cluster.metadata = { ...cluster.metadata, uid: 'u', resourceVersion: '1', generation: 2, managedFields: [{ manager: 'qhc-operator' }] };
    expectValid(QdrantCluster, cluster);
  });
});

describe('QdrantCluster: phases and conditions', () => {
  it('lists the 15 upstream phases', () => {
    expect(CLUSTER_PHASES).toHaveLength(15);
    expect(CLUSTER_PHASES.filter(isActivePhase)).toEqual(['Creating', 'Updating', 'Scaling', 'Upgrading', 'Suspending', 'Resuming']);
    expect(CLUSTER_PHASES.filter(isFailedPhase)).toEqual(['FailedToCreate', 'FailedToUpdate', 'FailedToSuspend', 'FailedToResume']);
  });

  it('lists upstream condition types first, then ours', () => {
    expect(CLUSTER_CONDITION_TYPES).toEqual(['AcceptingConnection', 'RecoveryMode', 'Ready', 'Progressing', 'Degraded']);
  });
});

describe('QdrantCluster: rules of the CRD schema', () => {
  it.each(SPEC_REFUSALS)('refuses %j', (change, path, message) => {
    expectOnlyIssue(QdrantCluster, withSpec(change), path, message);
  });

  it('requires id, version and size', () => {
    const cluster = minimal();
    cluster.spec = { resources: cluster.spec.resources };
    expect(
      issuesOf(QdrantCluster, cluster)
        .map((i) => i.path)
        .toSorted(),
    ).toEqual(['spec.id', 'spec.size', 'spec.version']);
  });

  it('refuses an id that cannot name pods and Services', () => {
    // The derived name is invalid too; the id is what to fix.
    expect(issuesOf(QdrantCluster, clusterWithId('A7D8'))).toContainEqual({
      path: 'spec.id',
      message: expect.stringMatching(/lower case letters, digits and "-"/),
    });
    expectOnlyIssue(
      QdrantCluster,
      clusterWithId('a'.repeat(MAX_CLUSTER_ID_LENGTH + 1)),
      'spec.id',
      /at most 47 characters, so that qdrant-headless-<id> fits in 63/,
    );
    expectValid(QdrantCluster, clusterWithId('a'.repeat(MAX_CLUSTER_ID_LENGTH)));
  });

  it('refuses an unknown phase, a negative node index and a malformed condition in status', () => {
    expectOnlyIssue(QdrantCluster, clusterWithStatus({ phase: 'Running' }), 'status.phase', /Creating/);
    expectOnlyIssue(QdrantCluster, clusterWithStatus({ ScaleDownNodeIndex: -1 }), 'status.ScaleDownNodeIndex', />=0|at least 0|too small/i);
    expectOnlyIssue(QdrantCluster, clusterWithStatus({ scaleDownNodeIndex: 1 }), 'status', /scaleDownNodeIndex/);
    expectOnlyIssue(
      QdrantCluster,
      clusterWithStatus({ conditions: [{ type: 'Ready', status: 'Yes', lastTransitionTime: '2026-11-20T08:00:00Z', reason: 'R', message: '' }] }),
      'status.conditions[0].status',
      /True/,
    );
    expectOnlyIssue(
      QdrantCluster,
      clusterWithStatus({ nodes: { '0': { databasePVCStatus: { capacity: '10Gi' } } } }),
      'status.nodes.0.databasePVCStatus.capacity',
      /expected record/,
    );
  });

  it('refuses a wrong apiVersion or kind', () => {
    expectOnlyIssue(QdrantCluster, { ...minimal(), apiVersion: 'qdrant.io/v1alpha1' }, 'apiVersion', /qdrant\.io\/v1/);
    expectOnlyIssue(QdrantCluster, { ...minimal(), kind: 'QdrantClusterSnapshot' }, 'kind', /QdrantCluster/);
  });
});
