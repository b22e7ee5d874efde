import { describe, expect, it } from 'vitest';
import { heapFit } from '../src/memory-limit.ts';

const MiB = 2 ** 20;

describe('heapFit', () => {
  it('is quiet outside a limited cgroup (0, or UINT64_MAX as libuv reports no limit)', () => {
    expect(heapFit(0, 4096 * MiB)).toEqual({ heapLimitMiB: 4096, containerLimitMiB: undefined, tooBig: false });
    expect(heapFit(2 ** 64 - 1, 4096 * MiB).tooBig).toBe(false);
  });

  it('warns when the heap can outgrow the container, not when it is half of it', () => {
    expect(heapFit(512 * MiB, 260 * MiB)).toEqual({ heapLimitMiB: 260, containerLimitMiB: 512, tooBig: false });
    expect(heapFit(256 * MiB, 260 * MiB).tooBig).toBe(true);
  });
});
