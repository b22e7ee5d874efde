// The Qdrant versions qhc's clusters are offered (ListQdrantReleases): those qhc's operator is
// tested with, newest first. A version outside the list is still accepted when it is a release
// tag (the spec's rule): an operator may run a newer patch release before qhc lists it.

export interface QdrantReleaseEntry {
  version: string;
  /** Taken when a configuration names no version, or "latest". */
  default?: boolean;
  endOfLife?: boolean;
}

export const QDRANT_RELEASES: readonly QdrantReleaseEntry[] = Object.freeze([
  { version: 'v1.16.3', default: true },
  { version: 'v1.16.2' },
  { version: 'v1.15.5' },
  { version: 'v1.14.1', endOfLife: true },
]);

export const defaultQdrantVersion = (): string => (QDRANT_RELEASES.find((r) => r.default) ?? QDRANT_RELEASES[0]!).version;

export const releaseNotesUrl = (version: string) => `https://github.com/qdrant/qdrant/releases/tag/${version}`;

const parts = (version: string) => /^v?(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1, 4).map(Number);

/**
 * The versions a cluster running `current` may move to: the same or newer, at most one minor
 * version ahead (the operator upgrades one minor version at a time), never backwards.
 */
export function releasesFrom(current: string): QdrantReleaseEntry[] {
  const from = parts(current);
  if (!from) return [...QDRANT_RELEASES];
  return QDRANT_RELEASES.filter((r) => {
    const to = parts(r.version)!;
    const newer = to[0]! > from[0]! || (to[0] === from[0] && (to[1]! > from[1]! || (to[1] === from[1] && to[2]! >= from[2]!)));
    return newer && to[0] === from[0] && to[1]! - from[1]! <= 1;
  });
}
