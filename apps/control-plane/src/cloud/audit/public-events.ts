import { Code, ConnectError, type UnaryRequest, type UnaryResponse } from '@connectrpc/connect';
import type { Db } from '../../db/db.ts';
import { accountsOfUser, normalEmail, userByEmail } from '../../repositories/users.ts';
import type { CloudDeps } from '../context.ts';
import { userActor, type Actor } from './actor.ts';
import { fullName } from './mutating.ts';
import { recordEvent } from './record.ts';
import { REMOTE_ADDRESS } from '../remote-address.ts';
import { summaryOf } from './summary.ts';

// The changes made without a caller: sign-up (the new user is the actor, in the new account),
// sign-in (the user or key signing in), and a refused password sign-in (`sign_in_failed`, in
// the accounts of the user it named; nothing for an email no user has; the password is never read here).

type Fields = Record<string, unknown>;
type Next = (req: UnaryRequest) => Promise<unknown>;

export const SIGN_IN_FAILED = 'sign_in_failed';

interface Session {
  accountId?: string;
  managementKeyId?: string;
  userId?: string;
  userEmail?: string;
}

/** Who signed in or up, in which account, from the answer (undefined: not a call the trail records). */
function signedIn(method: string, req: Fields, res: Fields): { actor: Actor; accountId: string } | undefined {
  const session = (res.session ?? {}) as Session;
  if (method === 'SignUp') return { actor: userActor(String(res.userId ?? ''), normalEmail(String(req.email ?? ''))), accountId: String(res.accountId ?? '') };
  if (session.userId) return { actor: userActor(session.userId, session.userEmail ?? ''), accountId: session.accountId ?? '' };
  if (session.managementKeyId) return { actor: { kind: 'management_key', id: session.managementKeyId, label: '' }, accountId: session.accountId ?? '' };
  return undefined;
}

async function keyLabel(db: Db, actor: Actor): Promise<Actor> {
  if (actor.kind !== 'management_key') return actor;
  const row = await db.q.selectFrom('management_keys').select('prefix').where('id', '=', actor.id).executeTakeFirst();
  return { ...actor, label: row?.prefix ?? '' };
}

async function recordSignIn(deps: CloudDeps, req: UnaryRequest, res: UnaryResponse): Promise<void> {
  const who = signedIn(req.method.name, req.message as Fields, res.message as Fields);
  if (!who) return;
  const actor = await keyLabel(deps.db, who.actor);
  const isSignUp = req.method.name === 'SignUp';
  await recordEvent(deps.db, deps.now, {
    accountId: who.accountId,
    actor,
    method: fullName(req.method),
    object: isSignUp ? { type: 'account', id: who.accountId } : { type: 'session', id: actor.id },
    after: summaryOf(req.method.output, res.message),
    remoteAddress: req.contextValues.get(REMOTE_ADDRESS),
  });
}

/** A refused password sign-in: one event in each account of the user it named (or the one it asked for). */
async function recordFailure(deps: CloudDeps, req: UnaryRequest, error: unknown): Promise<void> {
  const message = req.message as { email?: string; accountId?: string };
  const email = normalEmail(message.email ?? '').slice(0, 320);
  const user = email ? await userByEmail(deps.db, email) : undefined;
  // An email nobody has is no one's trail, and is often a password typed into the wrong field:
  // it is never stored (the lockout still counts it, by hash).
  if (!user) return;
  const accounts = (await accountsOfUser(deps.db, user.id)).map((a) => a.id);
  const named = accounts.filter((id) => id === message.accountId);
  const reason = error instanceof Error ? error.message.slice(0, 200) : 'refused';
  for (const accountId of named.length ? named : accounts.length ? accounts : ['']) {
    await recordEvent(deps.db, deps.now, {
      accountId,
      actor: userActor(user.id, email),
      method: SIGN_IN_FAILED,
      object: { type: 'user', id: user.id },
      after: JSON.stringify({ email, rpc: fullName(req.method), reason }),
      remoteAddress: req.contextValues.get(REMOTE_ADDRESS),
    });
  }
}

/** Runs a public rpc (sign-up, sign-in) and records what it did, or a refused password sign-in. */
export async function recordPublicCall(deps: CloudDeps, req: UnaryRequest, next: Next): Promise<UnaryResponse> {
  let res: UnaryResponse;
  try {
    res = (await next(req)) as UnaryResponse;
  } catch (error) {
    // Wrong credentials and locked emails are attempts worth a trail; a malformed or rate-limited
    // request changes nothing (a rate-limited one must stay cheap).
    if (req.method.name === 'SignInWithPassword' && error instanceof ConnectError && error.code === Code.Unauthenticated)
      await recordFailure(deps, req, error).catch((e: unknown) => deps.logger.error('audit event not written', { error: String(e) }));
    throw error;
  }
  await recordSignIn(deps, req, res).catch((e: unknown) => deps.logger.error('audit event not written', { method: fullName(req.method), error: String(e) }));
  return res;
}
