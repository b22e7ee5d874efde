import type * as z from 'zod';
import { isQuantity, parseQuantity } from '../k8s/index.ts';
import { ANNOTATION_BOOTSTRAP_NODE, ANNOTATION_REINIT } from './annotations.ts';
import type { QdrantResources } from './qdrant-cluster-fields.ts';

// The rules Qdrant's operator checks in Go, as zod refinements of the spec and the whole object.

type RefinementContext = z.core.$RefinementCtx;

function checkQuantity(value: string | undefined, path: string[], ctx: RefinementContext, required: boolean): number | undefined {
  if (value === undefined || value === '') {
    if (required) ctx.addIssue({ code: 'custom', path, message: 'is required (a quantity such as "2", "500m" or "4Gi")' });
    return undefined;
  }
  if (!isQuantity(value)) {
    ctx.addIssue({ code: 'custom', path, message: `must be a Kubernetes quantity such as "500m", "2" or "4Gi", got ${JSON.stringify(value)}` });
    return undefined;
  }
  const parsed = parseQuantity(value);
  if (parsed <= 0) ctx.addIssue({ code: 'custom', path, message: `must be greater than zero, got ${JSON.stringify(value)}` });
  return parsed;
}

// Relative to the spec: zod prefixes `spec.` where the spec is nested in a QdrantCluster.
const at = (...path: string[]) => ['resources', ...path];

/** Upstream's Resources.Validate(): cpu, memory and storage are quantities; requests stay within limits. */
export function checkResources(resources: QdrantResources | undefined, ctx: RefinementContext): void {
  if (!resources) {
    ctx.addIssue({ code: 'custom', path: at(), message: 'is required: set cpu, memory and storage, e.g. { cpu: "1", memory: "4Gi", storage: "20Gi" }' });
    return;
  }
  const cpu = checkQuantity(resources.cpu, at('cpu'), ctx, true);
  const memory = checkQuantity(resources.memory, at('memory'), ctx, true);
  checkQuantity(resources.storage, at('storage'), ctx, true);
  const requestCpu = checkQuantity(resources.requests?.cpu, at('requests', 'cpu'), ctx, false);
  const requestMemory = checkQuantity(resources.requests?.memory, at('requests', 'memory'), ctx, false);
  if (cpu !== undefined && requestCpu !== undefined && requestCpu > cpu) {
    ctx.addIssue({ code: 'custom', path: at('requests', 'cpu'), message: `must not exceed the cpu limit (${resources.cpu})` });
  }
  if (memory !== undefined && requestMemory !== undefined && requestMemory > memory) {
    ctx.addIssue({ code: 'custom', path: at('requests', 'memory'), message: `must not exceed the memory limit (${resources.memory})` });
  }
}

/** operator.qdrant.com/bootstrap-node names a node of the cluster: 0 … size-1. */
export function checkBootstrapNode(
  cluster: { metadata: { annotations?: Record<string, string> | undefined }; spec: { size: number } },
  ctx: RefinementContext,
): void {
  const value = cluster.metadata.annotations?.[ANNOTATION_BOOTSTRAP_NODE];
  if (value === undefined) return;
  if (!/^(0|[1-9][0-9]*)$/.test(value) || Number(value) >= cluster.spec.size) {
    ctx.addIssue({
      code: 'custom',
      path: ['metadata', 'annotations', ANNOTATION_BOOTSTRAP_NODE],
      message: `must be the index of a node of the cluster, 0 to ${cluster.spec.size - 1} (spec.size - 1), got ${JSON.stringify(value)}`,
    });
  }
}

/**
 * operator.qdrant.com/reinit is refused: as a start-script flag it stayed for as long as the
 * annotation did, so any later restart of the bootstrap node reinitialised consensus again and
 * forgot its peers. A safe one-shot version needs the operator to drive each node once.
 */
export function checkReinit(cluster: { metadata: { annotations?: Record<string, string> | undefined } }, ctx: RefinementContext): void {
  if (cluster.metadata.annotations?.[ANNOTATION_REINIT] === undefined) return;
  ctx.addIssue({
    code: 'custom',
    path: ['metadata', 'annotations', ANNOTATION_REINIT],
    message:
      `${ANNOTATION_REINIT} is not supported by this operator: reinitialising consensus is a manual recovery step. ` +
      "Remove the annotation; to recover, pause the cluster (spec.pauses), start the node to keep once with Qdrant's --reinit flag " +
      "(it becomes the single-member leader, keeping its data), then each other node once with --reinit --bootstrap <that node's p2p URI> " +
      '(it drops its consensus state and re-syncs), then remove the pause',
  });
}
