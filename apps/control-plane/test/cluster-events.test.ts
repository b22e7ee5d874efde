import { describe, expect, it } from 'vitest';
import { statusEvents } from '../src/cluster-events.ts';

// The timeline itself, through the Cloud API: cloud-port-cluster-events, cloud-qhc-events.

describe('what changed between two reports', () => {
  it('phase, nodes, version and each condition that moved; nothing when nothing did', () => {
    const creating = { phase: 'Creating', nodes: 1, nodesReady: 0, version: 'v1.16.2', conditions: [{ type: 'Ready', status: 'False', reason: 'Creating' }] };
    expect(statusEvents(undefined, creating)).toEqual([
      { type: 'Phase', message: 'Creating' },
      { type: 'Nodes', message: '0/1 nodes ready' },
      { type: 'Condition', message: 'Ready False (Creating)' },
    ]);
    expect(statusEvents(creating, creating)).toEqual([]);
    expect(
      statusEvents(creating, { ...creating, phase: 'Healthy', nodesReady: 1, version: 'v1.16.3', conditions: [{ type: 'Ready', status: 'True' }] }),
    ).toEqual([
      { type: 'Phase', message: 'Creating → Healthy' },
      { type: 'Nodes', message: '1/1 nodes ready' },
      { type: 'Version', message: 'running v1.16.3 (was v1.16.2)' },
      { type: 'Condition', message: 'Ready True' },
    ]);
  });
});
