import { Code, ConnectError, createContextKey, type HandlerContext } from '@connectrpc/connect';
import type { Logger } from '@qhc/kube';
import type { ResourcePackage } from '@qhc/schemas';
import type { RegionDefaults } from '../api/inputs.ts';
import type { Db } from '../db/db.ts';
import type { KeyLink } from '../iam/effective-permissions.ts';
import type { SignInPolicy } from '../iam/sign-in.ts';
import type { Clock } from '../repositories/tokens.ts';

/** What the Cloud API's services are given: the database, the clock keys expire by, the log, the packages catalogue. */
export interface CloudDeps {
  db: Db;
  now: Clock;
  logger: Logger;
  /** The resource packages clusters are made in (BookingService; a cluster's package_id names one). */
  packages: readonly ResourcePackage[];
  /** Where new regions pull from unless they say otherwise (the control plane's --default-registry). */
  regionDefaults?: RegionDefaults;
  /** The URL agents and installation commands use (known once the server listens). */
  publicUrl: () => string;
  /** How long an installation's bootstrap token works. */
  bootstrapTokenTtlSeconds: number;
  /** The console's sessions (qhc.v1.SessionService): their lifetime, and `Secure` cookies when served over TLS. */
  sessions: { ttlSeconds: number; secure: boolean };
  /** This control plane's release: the agent and operator version it offers environments. */
  releaseVersion: string;
  /** Password sign-in's lockout, rate limit and hashing cost; default DEFAULT_SIGN_IN_POLICY. */
  signIn?: SignInPolicy;
  /** --auto-approve-accounts: accounts made by sign-up or CreateAccount start approved, not pending. */
  autoApproveAccounts?: boolean;
}

/** Who authenticated: a management key, or a person signed in to the console. */
export type Principal = { kind: 'management_key'; id: string; prefix: string } | { kind: 'user'; id: string; email: string; sessionId: string };

/** An authenticated principal and the account it acts in, before its permissions there are known. */
export interface Identity {
  accountId: string;
  principal: Principal;
  /** The key's id when the principal is a management key (or a key's console session). */
  managementKeyId?: string;
  /** The key's row as this request authenticated it: no need to read it again for its permissions when no key made it. */
  keyLink?: KeyLink;
}

/** Who is calling, in which account, holding which permissions there (the union of its roles'). */
export interface Caller extends Identity {
  permissions: ReadonlySet<string>;
}

/** Set by the Cloud API's adapter once the headers authenticated (before the body is read); the interceptor completes it. */
export const IDENTITY = createContextKey<Identity | undefined>(undefined, { description: 'the authenticated principal' });

/** Set by the auth interceptor for every authenticated call; absent for `requires_authentication = false` methods. */
export const CALLER = createContextKey<Caller | undefined>(undefined, { description: 'the authenticated caller' });

/** The caller of a method that requires authentication (the interceptor has checked it). */
export function callerOf(ctx: Pick<HandlerContext, 'values'>): Caller {
  const caller = ctx.values.get(CALLER);
  // Only reached if a method skipping authentication asks for its caller: a bug, not the client's fault.
  if (!caller) throw new ConnectError('this method has no authenticated caller', Code.Internal);
  return caller;
}
