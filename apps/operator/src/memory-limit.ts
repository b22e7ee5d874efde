import { getHeapStatistics } from 'node:v8';

/** What V8 may grow to, and the container's memory limit (none outside a limited cgroup). */
export interface HeapFit {
  heapLimitMiB: number;
  containerLimitMiB: number | undefined;
  /** The heap can grow past 75% of the limit: the kernel would kill the process before V8 collects. */
  tooBig: boolean;
}

/**
 * The heap's limit against the container's. process.constrainedMemory() is libuv's reading of
 * the cgroup (v1 memory.limit_in_bytes or v2 memory.max); unlimited reads as 0 or UINT64_MAX.
 * The shipped NODE_OPTIONS size the heap from the same figure (a percentage): this catches a
 * fixed --max-old-space-size left behind when the limit was lowered.
 */
export function heapFit(constrained = process.constrainedMemory(), heapLimit = getHeapStatistics().heap_size_limit): HeapFit {
  const heapLimitMiB = Math.round(heapLimit / 2 ** 20);
  const limited = constrained > 0 && constrained < 2 ** 62;
  const containerLimitMiB = limited ? Math.round(constrained / 2 ** 20) : undefined;
  return { heapLimitMiB, containerLimitMiB, tooBig: containerLimitMiB !== undefined && heapLimitMiB > containerLimitMiB * 0.75 };
}
