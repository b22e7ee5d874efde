import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// What a request leaves in the log: an id to find it by, and a path that carries no
// credential. Tokens travel in `/install/<token>` paths and, from some clients, in query
// strings; neither may reach the log at any level (issue 19, finding 5).

/** A caller's own id is kept when it is a plain word (no log injection, bounded); else a fresh one. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const id = Array.isArray(given) ? given[0] : given;
  return id && SANE_REQUEST_ID.test(id) ? id : randomUUID();
}

/**
 * The request's path for the log: the installation token masked, and every query value
 * masked (only the parameter names stay), since any of them may be a token.
 */
export function loggablePath(rawUrl: string | undefined): string {
  const url = rawUrl ?? '/';
  const at = url.indexOf('?');
  const path = (at === -1 ? url : url.slice(0, at)).replace(/^\/install\/[^/]+/, '/install/***');
  if (at === -1) return path;
  const names = url
    .slice(at + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]!.slice(0, 64)}=***`);
  return names.length > 0 ? `${path}?${names.join('&')}` : path;
}

/** The fields every log line about a request carries. */
export const requestFields = (req: IncomingMessage, requestId: string) => ({ requestId, method: req.method, path: loggablePath(req.url) });
