import type { ServerResponse } from 'node:http';
import type { Db } from '../db/db.ts';
import { BusyError } from '../errors.ts';
import type { AnyRequest, AnyResponse, CloudApi, Handle } from '../cloud/transport.ts';
import { busyReply, writeReply } from './http.ts';

// Answered without the database: a probe must not fail because the pool is busy.
const WITHOUT_DATABASE = new Set(['/healthz']);

/** Refuses the request (true) when the database takes no more now, answered in its API's form. */
export type Admission = (req: AnyRequest, res: AnyResponse, requestId: string, cloudCall: boolean) => boolean;

/** Where a request goes once it is past the console: the Cloud API or the API, if admitted. */
export type Entry = { cloud: CloudApi; api: Handle; admit: Admission };

/**
 * Whether the database takes a request, asked once at its entry, before any work: a request is
 * refused whole (503 with Retry-After; the Cloud API's resource_exhausted) or never. Once
 * admitted, its statements wait their turn: refused halfway, a change that committed would be
 * told as refused, and its audit event lost.
 */
export function admission(db: Db, cloud: Pick<CloudApi, 'refuse'>): Admission {
  return (req, res, requestId, cloudCall) => {
    if (WITHOUT_DATABASE.has((req.url ?? '/').split('?')[0]!)) return false;
    try {
      db.admit();
      return false;
    } catch (error) {
      if (!(error instanceof BusyError)) throw error;
      if (cloudCall) cloud.refuse(req, res, error);
      else writeReply(res as ServerResponse, busyReply(error), requestId);
      return true;
    }
  };
}
