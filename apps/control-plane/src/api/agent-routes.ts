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
  /** How often a long-poll looks for a new revision (the database is the only channel between replicas). */
  pollIntervalMs?: number;
  logger?: RouterLog;
}

/** The most an agent may ask a long-poll to wait; the server's own limit (maxWaitSeconds) may be lower. */
const MAX_WAIT_SECONDS_ASKED = 3600;

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
    const agent = await authenticate(db, req, ['agent'], now);
    return { status: 201, json: { token: await rotateAgentToken(db, agent, now) } };
  });
  router.on('GET', '/agent/v1/desired-state', async (req) => {
    const regionId = (await authenticate(db, req, ['agent'], now)).region_id!;
    const after = queryInt(req.query, 'after', { min: -1, max: Number.MAX_SAFE_INTEGER, fallback: -1 });
    const wait = Math.min(queryInt(req.query, 'waitSeconds', { min: 0, max: MAX_WAIT_SECONDS_ASKED, fallback: 0 }), options.maxWaitSeconds ?? 30);
    const until = Date.now() + wait * 1000;
    for (;;) {
      const revision = await store.revision(regionId);
      if (revision === undefined) throw new ApiError(404, 'NotFound', 'the region was deleted');
      if (revision > after) return { status: 200, json: await store.desiredState(regionId) };
      if (Date.now() >= until || req.signal.aborted) return { status: 204 };
      await longPolls.park(regionId, Math.min(options.pollIntervalMs ?? 500, Math.max(1, until - Date.now())), req.signal);
    }
  });
  router.on('POST', '/agent/v1/status', async (req) => {
    const agent = await authenticate(db, req, ['agent'], now);
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
