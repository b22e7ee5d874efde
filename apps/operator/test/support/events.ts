// The tests' one reader of Events (events.k8s.io/v1) about an object: the operator records an
// event after the write a test waits for, so a test that needs one waits until they hold it.
import { waitFor } from '@qhc/kube-sandbox';
import type { KubeClient, KubeObject } from '@qhc/kube';

export interface ObjectEvent {
  type: string;
  reason: string;
  note?: string;
}

/** An `until` for eventsAbout(): every reason seen at least once. */
export const withReasons =
  (...reasons: string[]) =>
  (events: Array<{ reason: string }>): boolean =>
    reasons.every((reason) => events.some((e) => e.reason === reason));

/** The events in `namespace` about the object named `name`, as they are now. */
export async function listEventsAbout(client: KubeClient, namespace: string, name: string): Promise<ObjectEvent[]> {
  const events = await client.list<KubeObject & ObjectEvent & { regarding: { name: string } }>(
    { apiVersion: 'events.k8s.io/v1', kind: 'Event' },
    { namespace },
  );
  return events.items.filter((e) => e.regarding.name === name).map((e) => ({ type: e.type, reason: e.reason, note: e.note }));
}

/** The events about `name` once `until` holds them; on a timeout, the reasons seen so far. */
export function eventsAbout(
  client: KubeClient,
  namespace: string,
  name: string,
  until: (events: ObjectEvent[]) => boolean,
  timeoutMs = 30_000,
): Promise<ObjectEvent[]> {
  let last: ObjectEvent[] = [];
  return waitFor(
    `events about ${namespace}/${name}`,
    async () => {
      last = await listEventsAbout(client, namespace, name);
      return until(last) ? last : undefined;
    },
    { timeoutMs, intervalMs: 200, onTimeout: () => `events so far: ${JSON.stringify(last.map((e) => e.reason))}` },
  );
}
