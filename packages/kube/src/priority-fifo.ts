/** A key's place in line: higher runs first. client-go's queue has one level; controller-runtime's priority queue adds these. */
export const PRIORITY = {
  /** A change: an object's spec, or one it owns. */
  normal: 0,
  /** What no change brought: the informer's first list, a resync, every key queued at once. */
  low: -100,
} as const;

interface Line {
  keys: Array<{ key: string; seq: number }>;
  /** Where the line starts: entries before it were taken. */
  head: number;
  /** Entries still live (not taken, not left behind by a move). */
  live: number;
}

/**
 * Keys in line by priority, first in first out within one, each key at most once. A key added
 * again at a higher priority moves up (it keeps its place when added at the same or a lower
 * one). Written here rather than taken from a library: a heap would reorder equal priorities,
 * and the queue's other rules (once per key, a moved key's old entry skipped) are the point.
 */
export class PriorityFifo {
  private readonly lines = new Map<number, Line>();
  /** Priorities with a line, highest first. */
  private order: number[] = [];
  /** Each queued key's live entry; an entry left behind by a move is skipped when reached. */
  private readonly entries = new Map<string, { priority: number; seq: number }>();
  private seq = 0;

  get size(): number {
    return this.entries.size;
  }

  /** Queues the key, or moves it up; false when it was already queued at this priority or higher. */
  push(key: string, priority: number): boolean {
    const queued = this.entries.get(key);
    if (queued && queued.priority >= priority) return false;
    // A moved key's old entry stays where it is, dead; a line of dead entries alone goes.
    if (queued) this.release(queued.priority);
    const seq = ++this.seq;
    this.entries.set(key, { priority, seq });
    const line = this.line(priority);
    line.keys.push({ key, seq });
    line.live++;
    return true;
  }

  /** The first key of the highest priority, with it. */
  shift(): { key: string; priority: number } | undefined {
    const priority = this.order[0];
    if (priority === undefined) return undefined;
    const line = this.lines.get(priority)!;
    // A line is kept only while it has a live entry, which lies at or after its head.
    while (line.head < line.keys.length) {
      const { key, seq } = line.keys[line.head++]!;
      if (this.entries.get(key)?.seq !== seq) continue;
      this.entries.delete(key);
      this.release(priority);
      return { key, priority };
    }
    throw new Error(`PriorityFifo: the line of priority ${priority} has no live entry`);
  }

  clear(): void {
    this.lines.clear();
    this.order = [];
    this.entries.clear();
  }

  private line(priority: number): Line {
    let line = this.lines.get(priority);
    if (!line) {
      line = { keys: [], head: 0, live: 0 };
      this.lines.set(priority, line);
      this.order = [...this.lines.keys()].toSorted((a, b) => b - a);
    }
    return line;
  }

  /**
   * One live entry fewer in the line: an emptied line goes (with the dead entries it held), and
   * a long-consumed head is cut off, so taking a key stays O(1) amortized.
   */
  private release(priority: number): void {
    const line = this.lines.get(priority)!;
    if (--line.live === 0) {
      this.lines.delete(priority);
      this.order = this.order.filter((p) => p !== priority);
    } else if (line.head > 1024 && line.head * 2 > line.keys.length) {
      line.keys.splice(0, line.head);
      line.head = 0;
    }
  }
}
