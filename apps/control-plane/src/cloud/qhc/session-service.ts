import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import { qhcV1 } from '@qhc/cloud-api';
import { createCloudSession, deleteCloudSession, findCloudSession, type LiveCloudSession } from '../../repositories/cloud-sessions.ts';
import { csrfTokenOf } from '../../sessions.ts';
import { authenticate } from '../auth.ts';
import type { CloudDeps } from '../context.ts';
import { invalid } from './fields.ts';
import { cloudSessionCookie, sessionSecretOf } from './session-cookie.ts';

// qhc.v1.SessionService: the console's sign-in. The session's secret travels only in the
// HttpOnly cookie; the answer carries the CSRF token derived from it.

const toSession = (secret: string, session: Pick<LiveCloudSession, 'account_id' | 'management_key_id' | 'expires_at'>) =>
  create(qhcV1.SessionSchema, {
    accountId: session.account_id,
    csrfToken: csrfTokenOf(secret),
    expiresAt: timestampFromDate(new Date(session.expires_at)),
    managementKeyId: session.management_key_id,
  });

const signedOut = () => new ConnectError('not signed in (no session cookie, or the session ended)', Code.Unauthenticated);

async function sessionOf(deps: CloudDeps, ctx: HandlerContext): Promise<{ secret: string; session: LiveCloudSession }> {
  const secret = sessionSecretOf(ctx.requestHeader);
  const session = secret ? await findCloudSession(deps.db, secret, deps.now) : undefined;
  if (!secret || !session) throw signedOut();
  return { secret, session };
}

export function sessionService(deps: CloudDeps): Partial<ServiceImpl<typeof qhcV1.SessionService>> {
  const { ttlSeconds, secure } = deps.sessions;
  return {
    async createSession(req, ctx) {
      // No session yet, so no CSRF token; a sign-in from another site (login CSRF) is refused as /api/v1 refuses it.
      const site = ctx.requestHeader.get('sec-fetch-site');
      if (site !== null && site !== 'same-origin')
        throw new ConnectError(`refused: the sign-in came from another site (Sec-Fetch-Site: ${site.slice(0, 32)})`, Code.PermissionDenied);
      const key = req.managementKey.trim();
      if (!key) throw invalid('management_key', 'missing; paste a management key (qhc_m_…)');
      if (/\s/.test(key)) throw invalid('management_key', 'a management key is one word, without spaces');
      // The key's own checks (unknown, deleted, expired) and their messages, as for `authorization: apikey`.
      const caller = await authenticate(deps, `apikey ${key}`);
      const { secret, session } = await createCloudSession(deps.db, caller.principal.id, ttlSeconds, deps.now);
      ctx.responseHeader.append('set-cookie', cloudSessionCookie(secret, { secure, maxAgeSeconds: ttlSeconds }));
      return { session: toSession(secret, { ...session, account_id: caller.accountId }) };
    },
    async getSession(_req, ctx) {
      const { secret, session } = await sessionOf(deps, ctx);
      return { session: toSession(secret, session) };
    },
    // The interceptor has checked the cookie and its CSRF token; a key alone names no session to end.
    async deleteSession(_req, ctx) {
      const { secret } = await sessionOf(deps, ctx);
      await deleteCloudSession(deps.db, secret);
      ctx.responseHeader.append('set-cookie', cloudSessionCookie('', { secure, maxAgeSeconds: 0 }));
      return {};
    },
  };
}
