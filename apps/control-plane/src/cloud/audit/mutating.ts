import type { DescMethod } from '@bufbuild/protobuf';

// Which rpcs change something, from their descriptors: every rpc but Get*, List* and Suggest*.
// Exceptions are listed here and only here; a test holds both lists against every served
// method's `permissions` option (a write:/delete:/restore: permission is a change, read: is not).

/** `qdrant.cloud.cluster.v1.ClusterService/CreateCluster`: how events name their method. */
export const fullName = (method: DescMethod) => `${method.parent.typeName}/${method.name}`;

const READ_VERB = /^(Get|List|Suggest)[A-Z]/;

/** Rpcs with a write permission that change nothing, and why. */
export const NOT_CHANGES: ReadonlyMap<string, string> = new Map([
  ['qdrant.cloud.booking.v1.BookingService/GetQuote', 'a price quote for a cluster not yet made'],
  ['qdrant.cloud.booking.v1.BookingService/GetBackupQuote', 'a price quote for backups not yet made'],
]);

/** Rpcs named like a read (or with only read: permissions) that change something, and why. */
export const CHANGES: ReadonlyMap<string, string> = new Map();

export function isMutating(method: DescMethod): boolean {
  const name = fullName(method);
  if (CHANGES.has(name)) return true;
  if (NOT_CHANGES.has(name)) return false;
  return !READ_VERB.test(method.name);
}
