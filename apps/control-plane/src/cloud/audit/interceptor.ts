import type { DescMessage, DescMethod } from '@bufbuild/protobuf';
import type { Interceptor, UnaryRequest, UnaryResponse } from '@connectrpc/connect';
import { accountField, isPublic, isUuid } from '../auth.ts';
import { CALLER, type Caller, type CloudDeps } from '../context.ts';
import { actorOf } from './actor.ts';
import { fetchBefore } from './before.ts';
import type { InProcess } from './in-process.ts';
import { fullName, isMutating } from './mutating.ts';
import { objectOf } from './object.ts';
import { recordPublicCall } from './public-events.ts';
import { recordEvent } from './record.ts';
import { REMOTE_ADDRESS } from '../remote-address.ts';
import { summaryOf } from './summary.ts';

// The audit trail's one writer: after authentication (it needs the caller), one event for every
// successful change, written once the handler succeeded (a refused or failed call changed
// nothing). Reads pass untouched.

type Fields = Record<string, unknown>;

/** The response's object (a Create's or Update's answer), else the whole answer; undefined when empty. */
function afterOf(method: DescMethod, response: unknown): string | undefined {
  const res = response as Fields;
  const field = method.output.fields.find((f) => f.fieldKind === 'message' && f.message.fields.some((g) => g.name === 'id') && res[f.localName] !== undefined);
  return field?.fieldKind === 'message' ? summaryOf(field.message, res[field.localName]) : summaryOf(method.output, response);
}

const CREATE_ACCOUNT = 'qdrant.cloud.account.v1.AccountService/CreateAccount';
/** qhc keeps only a user's email, which UpdateUser refuses to change: its success changed nothing. */
const CHANGES_NOTHING = new Set(['qdrant.cloud.iam.v1.IAMService/UpdateUser']);

/**
 * The account whose trail holds the change: the caller's, which the auth interceptor matched
 * with the request's; a method without that check (an instance administrator approving an
 * account) changes the account its request names; CreateAccount, the account it made.
 */
function accountOf(req: UnaryRequest, res: UnaryResponse, caller: Caller): string {
  // A new account's trail starts with its creation (the caller acts in another account).
  if (fullName(req.method) === CREATE_ACCOUNT) {
    const made = (res.message as { account?: { id?: string } }).account?.id;
    if (made) return made;
  }
  const named = (req.message as Fields).accountId;
  return !accountField(req.method) && typeof named === 'string' && isUuid(named) ? named.toLowerCase() : caller.accountId;
}

async function beforeOf(deps: CloudDeps, inProcess: InProcess, req: UnaryRequest, caller: Caller): Promise<string | undefined> {
  try {
    const before = await fetchBefore(inProcess, req.method, req.message, caller, req.header);
    return before ? summaryOf(before.desc as DescMessage, before.message) : undefined;
  } catch (error) {
    // The change itself decides what the caller sees: a Get it may not make leaves `before` empty.
    deps.logger.debug('audit: no before summary', { method: fullName(req.method), reason: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

async function recordChange(deps: CloudDeps, req: UnaryRequest, res: UnaryResponse, caller: Caller, before: string | undefined): Promise<void> {
  try {
    await recordEvent(deps.db, deps.now, {
      accountId: accountOf(req, res, caller),
      actor: await actorOf(deps.db, caller),
      method: fullName(req.method),
      object: objectOf(req.method, req.message, res.message),
      before,
      after: afterOf(req.method, res.message),
      remoteAddress: req.contextValues.get(REMOTE_ADDRESS),
    });
  } catch (error) {
    // The change is made and its caller is told so; the missing event is an operator's alarm.
    deps.logger.error('audit event not written', { method: fullName(req.method), error: error instanceof Error ? error.message : String(error) });
  }
}

/** `inProcess` calls the router (known once it is made) for the Get that precedes an Update or Delete. */
export function auditInterceptor(deps: CloudDeps, inProcess: () => InProcess): Interceptor {
  return (next) => async (req) => {
    if (req.stream || !isMutating(req.method) || CHANGES_NOTHING.has(fullName(req.method))) return next(req);
    if (isPublic(req.method)) return recordPublicCall(deps, req, next);
    const caller = req.contextValues.get(CALLER);
    // The auth interceptor, before this one, set it for every method that is not public.
    if (!caller) return next(req);
    const before = await beforeOf(deps, inProcess(), req, caller);
    const res = await next(req);
    if (!res.stream) await recordChange(deps, req, res, caller, before);
    return res;
  };
}
