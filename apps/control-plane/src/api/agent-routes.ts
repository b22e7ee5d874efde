import { authenticate } from '../auth.ts';
import { ApiError } from '../errors.ts';
import type { Store } from '../store.ts';
import { exchangeBootstrap, rotateAgentToken } from '../repositories/tokens.ts';
import { parseAgentReport } from './agent-report.ts';
import type { Router, RouterLog } from './http.ts';
import type { LongPolls } from './long-polls.ts';
import { queryInt } from './query.ts';

export interface AgentRouteOptions {
  store: Store;
  longPolls: LongPolls;
  /** The longest an agent's long-poll waits for a change. */
  maxWaitSeconds?: number;
  /**
   * How often a long-poll looks for a new revision while the database's notices do not arrive
   * (PostgreSQL's listening connection is down); default 500 ms.
   */
  pollIntervalMs?: number;
  /** How often a long-poll looks again though no notice came; default RECHECK_MS. */
  recheckMs?: number;
  logger?: RouterLog;
}

/** The most an agent may ask a long-poll to wait; the server's own limit (maxWaitSeconds) may be lower. */
const MAX_WAIT_SECONDS_ASKED = 3600;

/**
 * A waiting long-poll is woken by the notice of its region's change; it looks again without one
 * only this often, as a safety net: a notice is lost if the process misses it (no missed notice
 * is known, since a reconnect of the listening connection wakes everyone, but a lost wake-up
 * would otherwise hold a change back until the agent's wait ends). Rare enough to cost nothing.
 */
export const RECHECK_MS = 30_000;

/** How long a waiting long-poll may sleep: until its deadline, its recheck, or the next database API key expiry (which moves the revision). */
function napMs(options: AgentRouteOptions, until: number, nextExpiry: number | undefined): number {
  const { store } = options;
  const recheck = store.db.revisions.live ? (options.recheckMs ?? RECHECK_MS) : (options.pollIntervalMs ?? 500);
  const expiry = nextExpiry === undefined ? Infinity : nextExpiry - store.now();
  return Math.max(1, Math.min(until - Date.now(), recheck, expiry));
}

/** The agent's side: every call is the agent's; the control plane never calls it. */
export function agentRoutes(router: Router, options: AgentRouteOptions): void {
  const { store, longPolls } = options;
  const { db, now } = store;
  router.on('POST', '/agent/v1/register', async (req) => {
    const bootstrap = await authenticate(db, req, ['bootstrap'], now);
    const token = req.headers.authorization!.slice(7).trim();
    const exchanged = await exchangeBootstrap(db, token, now);
    if (!exchanged) throw new ApiError(401, 'Unauthenticated', 'the bootstrap token was used meanwhile');
    return { status: 201, json: { token: exchanged.token, region: (await store.regionById(bootstrap.region_id!)).name } };
  });
  router.on('POST', '/agent/v1/rotate', async (req) => {
    const agent = await store.agentTokens.authenticate(req);
    const token = await rotateAgentToken(db, agent, now);
    if (token === undefined) throw new ApiError(401, 'Unauthenticated', 'the token is not valid (unknown, revoked, or a bootstrap token already used)');
    return { status: 201, json: { token } };
  });
  router.on('GET', '/agent/v1/desired-state', async (req) => {
    const regionId = (await store.agentTokens.authenticate(req)).region_id!;
    const after = queryInt(req.query, 'after', { min: -1, max: Number.MAX_SAFE_INTEGER, fallback: -1 });
    const wait = Math.min(queryInt(req.query, 'waitSeconds', { min: 0, max: MAX_WAIT_SECONDS_ASKED, fallback: 0 }), options.maxWaitSeconds ?? 30);
    const until = Date.now() + wait * 1000;
    // Watching before the first look: a change committed after it wakes the wait below.
    const watch = longPolls.watch(regionId);
    try {
      for (;;) {
        const look = await store.look(regionId);
        if (look === undefined) throw new ApiError(404, 'NotFound', 'the region was deleted');
        if (look.revision > after) return { status: 200, text: await store.desiredStateJson(regionId, look.revision), type: 'application/json' };
        if (Date.now() >= until || req.signal.aborted) return { status: 204 };
        const nap = napMs(options, until, look.nextExpiry);
        // A timer may fire a few ms before Date.now() reaches its end (Node starts it from the
        // event loop's cached time): a nap to the deadline ends the long-poll whatever the clock says.
        const toDeadline = nap >= until - Date.now();
        const woken = await watch.wait(nap, req.signal);
        // No notice by the deadline: nothing changed, and the agent's next long-poll looks first anyway.
        if (!woken && (toDeadline || Date.now() >= until || req.signal.aborted)) return { status: 204 };
      }
    } finally {
      watch.close();
    }
  });
  router.on('POST', '/agent/v1/status', async (req) => {
    const agent = await store.agentTokens.authenticate(req);
    const body = await req.body();
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new ApiError(400, 'Invalid', "status report: body: must be a JSON object (the agent's report)");
    const parsed = parseAgentReport(body, (message, fields) => options.logger?.warn(message, { region: agent.region_id, ...fields }));
    if (!parsed.success)
      throw new ApiError(400, 'Invalid', `status report: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
    await store.recordStatus(agent.region_id!, parsed.data);
    return { status: 204 };
  });
}
