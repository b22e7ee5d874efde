/** A key's place in line: higher runs first. client-go's queue has one level; controller-runtime's priority queue adds these. */
export const PRIORITY = {
  /** A change: an object's spec, or one it owns. */
  normal: 0,
  /** What no change brought: the informer's first list, a resync, every key queued at once. */
  low: -100,
} as const;

/**
 * Keys in line by priority, first in first out within one, each key at most once. A key added
 * again at a higher priority moves up (it keeps its place when added at the same or a lower
 * one). Written here rather than taken from a library: a heap would reorder equal priorities,
 * and the queue's other rules (once per key, a moved key's old entry skipped) are the point.
 */
export class PriorityFifo {
  private readonly lines = new Map<number, { keys: Array<{ key: string; seq: number }>; head: number }>();
  /** Priorities with a line, highest first. */
  private order: number[] = [];
  /** Each queued key's live entry; an entry left behind by a move is skipped when reached. */
  private readonly entries = new Map<string, { priority: number; seq: number }>();
  private seq = 0;

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The priority the key is queued at. */
  priorityOf(key: string): number | undefined {
    return this.entries.get(key)?.priority;
  }

  /** Queues the key, or moves it up; false when it was already queued at this priority or higher. */
  push(key: string, priority: number): boolean {
    const queued = this.entries.get(key);
    if (queued && queued.priority >= priority) return false;
    const seq = ++this.seq;
    this.entries.set(key, { priority, seq });
    this.line(priority).keys.push({ key, seq });
    return true;
  }

  /** The first key of the highest priority, with it. */
  shift(): { key: string; priority: number } | undefined {
    for (const priority of this.order) {
      const line = this.lines.get(priority)!;
      while (line.head < line.keys.length) {
        const { key, seq } = line.keys[line.head]!;
        line.head++;
        if (this.entries.get(key)?.seq !== seq) continue;
        this.entries.delete(key);
        this.compact(priority, line);
        return { key, priority };
      }
      this.compact(priority, line);
    }
    return undefined;
  }

  clear(): void {
    this.lines.clear();
    this.order = [];
    this.entries.clear();
  }

  private line(priority: number) {
    let line = this.lines.get(priority);
    if (!line) {
      line = { keys: [], head: 0 };
      this.lines.set(priority, line);
      this.order = [...this.lines.keys()].toSorted((a, b) => b - a);
    }
    return line;
  }

  /** An emptied line goes; a long-consumed head is cut off, so taking a key stays O(1) amortized. */
  private compact(priority: number, line: { keys: Array<{ key: string; seq: number }>; head: number }): void {
    if (line.head >= line.keys.length) {
      this.lines.delete(priority);
      this.order = this.order.filter((p) => p !== priority);
    } else if (line.head > 1024 && line.head * 2 > line.keys.length) {
      line.keys.splice(0, line.head);
      line.head = 0;
    }
  }
}
