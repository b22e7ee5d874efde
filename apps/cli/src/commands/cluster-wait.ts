import { parseDuration, waitUntil } from '../progress.ts';
import { getObject, type QdrantClusterObject, type Target } from './cluster-targets.ts';

/** Healthy at the spec's generation with every node available; after a restart, once it has left Healthy. */
export async function waitDirect(t: Target, name: string, options: { restart?: boolean; since: number; timeout?: string }): Promise<void> {
  let left = !options.restart;
  await waitUntil(
    `cluster ${name}`,
    async () => {
      const c = (await getObject(t, name)) as QdrantClusterObject & { metadata: { generation?: number }; status?: { observedGeneration?: number } };
      if (c.status?.phase !== 'Healthy') left = true;
      // A restart the operator has not picked up within 15 s had nothing to do.
      if (!left && Date.now() - options.since > 15_000) left = true;
      const current = c.status?.observedGeneration === c.metadata.generation;
      return {
        done: left && current && c.status?.phase === 'Healthy' && (c.status?.availableNodes ?? 0) === c.spec.size,
        phase: c.status?.phase,
        ready: c.status?.availableNodes,
        size: c.spec.size,
      };
    },
    { timeoutMs: parseDuration(options.timeout ?? '10m') },
  );
}
