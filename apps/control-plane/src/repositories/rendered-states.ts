/** A region's desired state as the agent's answer: its revision, and its JSON. */
export interface Rendered {
  revision: number;
  /** Its JSON without the CRDs (ownJson). */
  own: string;
}

/**
 * The agents' answers, rendered once per region and revision instead of once per long-poll
 * answer (reading every cluster, decrypting keys, serialising). Keyed by the revision, which moves
 * with every change of the desired state, so an entry is never older than the revision a caller
 * just read: it is used only when its revision is at least that one. Bounded: the regions
 * answered least recently go first. Concurrent answers of one region share one rendering.
 */
export class RenderedStates {
  private readonly done = new Map<string, Rendered>();
  private readonly pending = new Map<string, { revision: number; rendered: Promise<Rendered> }>();
  readonly maxRegions: number;
  constructor(maxRegions: number) {
    this.maxRegions = maxRegions;
  }

  /** The region's answer at `revision` or later: cached, being rendered, or rendered now by `render`. */
  async get(regionId: string, revision: number, render: () => Promise<Rendered>): Promise<Rendered> {
    const hit = this.done.get(regionId);
    if (hit && hit.revision >= revision) {
      this.done.delete(regionId);
      this.done.set(regionId, hit);
      return hit;
    }
    const under = this.pending.get(regionId);
    if (under && under.revision >= revision) return under.rendered;
    const rendered = render();
    this.pending.set(regionId, { revision, rendered });
    try {
      const result = await rendered;
      this.keep(regionId, result);
      return result;
    } finally {
      if (this.pending.get(regionId)?.rendered === rendered) this.pending.delete(regionId);
    }
  }

  /** Regions held now. */
  get size(): number {
    return this.done.size;
  }

  private keep(regionId: string, result: Rendered): void {
    const held = this.done.get(regionId);
    if (held && held.revision > result.revision) return;
    this.done.delete(regionId);
    this.done.set(regionId, result);
    while (this.done.size > this.maxRegions) this.done.delete(this.done.keys().next().value!);
  }
}
