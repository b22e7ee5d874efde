import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '../../../src/index.ts';
import { findToken } from '../../../src/repositories/tokens.ts';
import { findSession } from '../../../src/repositories/sessions.ts';
import { callApi } from '../http.ts';
import type { Credential, FuzzCase } from './cases.ts';
import { sqlOn } from '../sql.ts';

export const ADMIN = 'qhc_u_fuzz-admin-token-0123456789';

/**
 * The control plane under fuzz and what exists in it: region `r` (agent registered, cluster
 * `c1`, backup `b1`), region `r2` with an unused bootstrap token, a console session, a revoked
 * user token and one the fuzzer may revoke. Requests delete and revoke these; `repair()` puts
 * them back between requests (never between a request and its database check).
 */
export class World {
  agent = '';
  bootstrap = '';
  revoked = '';
  spareTokenId = '';
  session = { secret: '', csrf: '' };
  readonly cp: RunningControlPlane;
  readonly logs: string[];

  private constructor(cp: RunningControlPlane, logs: string[]) {
    this.cp = cp;
    this.logs = logs;
  }

  static async start(): Promise<World> {
    const logs: string[] = [];
    // Kept to show what an attack leaves in the log; capped, an attack is long.
    const logger = createLogger({ level: 'warn', write: (line) => void (logs.length < 1_000 && logs.push(line)) });
    const cp = await startControlPlane({
      database: join(mkdtempSync(join(tmpdir(), 'qhc-fuzz-')), 'cp.db'),
      port: 0,
      adminToken: ADMIN,
      logger,
      publicUrl: 'https://cp.example.test',
      pollIntervalMs: 20,
      maxWaitSeconds: 1,
      console: false,
    });
    const world = new World(cp, logs);
    await world.repair();
    return world;
  }

  private async admin(method: string, path: string, body?: unknown) {
    const answer = await callApi(this.cp.url, method, path, { body, headers: { authorization: `Bearer ${ADMIN}` } });
    if (answer.status >= 400 && answer.status !== 409) throw new Error(`fuzz fixture: ${method} ${path} answered ${answer.status} ${answer.text}`);
    return answer.json;
  }

  /** Puts back whatever the last request deleted, revoked or used up. */
  async repair(): Promise<void> {
    const db = this.cp.store.db;
    for (const name of ['r', 'r2'])
      if (!(await sqlOn(db).one('SELECT id FROM regions WHERE name = $1', [name])))
        await this.admin('POST', '/api/v1/regions', { name, namespace: `ns-${name}`, agentVersion: '0.1.0', operatorVersion: '0.1.0' });
    await sqlOn(db).run("UPDATE clusters SET deleted_at = NULL WHERE name = 'c1'");
    await sqlOn(db).run("UPDATE resources SET deleted_at = NULL WHERE name = 'b1'");
    if (!(await sqlOn(db).one("SELECT c.id FROM clusters c JOIN regions r ON r.id = c.region_id WHERE r.name = 'r' AND c.name = 'c1'")))
      await this.admin('POST', '/api/v1/regions/r/clusters', {
        name: 'c1',
        spec: { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } },
      });
    if (!(await sqlOn(db).one("SELECT s.id FROM resources s JOIN regions r ON r.id = s.region_id WHERE r.name = 'r' AND s.name = 'b1'")))
      await this.admin('POST', '/api/v1/regions/r/backups', { name: 'b1', clusterId: 'c1', spec: { 'cluster-id': 'c1' } });
    if ((await findToken(db, this.agent))?.kind !== 'agent') {
      const install = await this.admin('POST', '/api/v1/regions/r/installation');
      this.agent = (await callApi(this.cp.url, 'POST', '/agent/v1/register', { headers: { authorization: `Bearer ${install.bootstrapToken}` } })).json.token;
    }
    if ((await findToken(db, this.bootstrap))?.kind !== 'bootstrap')
      this.bootstrap = (await this.admin('POST', '/api/v1/regions/r2/installation')).bootstrapToken;
    if (!this.revoked) {
      const issued = await this.admin('POST', '/api/v1/tokens', { name: 'revoked' });
      await this.admin('DELETE', `/api/v1/tokens/${issued.id}`);
      this.revoked = issued.token;
    }
    if (!(await sqlOn(db).one('SELECT id FROM tokens WHERE id = $1 AND revoked_at IS NULL', [this.spareTokenId])))
      this.spareTokenId = (await this.admin('POST', '/api/v1/tokens', { name: 'spare' })).id;
    if (!this.session.secret || !(await findSession(db, this.session.secret))) await this.signIn();
  }

  private async signIn(): Promise<void> {
    const answer = await callApi(this.cp.url, 'POST', '/api/v1/session', { body: { token: ADMIN } });
    const cookie = answer.headers.get('set-cookie') ?? '';
    this.session = { secret: /qhc_session=([^;]+)/.exec(cookie)?.[1] ?? '', csrf: answer.json.csrfToken };
  }

  /** The headers a credential stands for, now. */
  headers(credential: Credential): Record<string, string> {
    const cookie = `qhc_session=${this.session.secret}`;
    const byKind: Record<Credential, Record<string, string>> = {
      admin: { authorization: `Bearer ${ADMIN}` },
      none: {},
      garbage: { authorization: 'Bearer qhc_u_$(id)`x`' },
      revoked: { authorization: `Bearer ${this.revoked}` },
      agent: { authorization: `Bearer ${this.agent}` },
      bootstrap: { authorization: `Bearer ${this.bootstrap}` },
      session: { cookie, 'x-csrf-token': this.session.csrf },
      'session-no-csrf': { cookie },
      'session-cross-site': { cookie, 'x-csrf-token': this.session.csrf, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      basic: { authorization: 'Basic YWRtaW46YWRtaW4=' },
    };
    return byKind[credential];
  }

  /** The path with its parameters filled in: what exists now, a pool name, or the raw segment. */
  path(c: FuzzCase): string {
    const existing: Record<string, string> = { region: 'r', cluster: 'c1', name: 'b1', token: this.bootstrap, id: this.spareTokenId };
    let i = 0;
    return c.route.path.replace(/:(\w+)/g, (_m, name: string) => {
      const p = c.params[i++]!;
      return 'existing' in p ? encodeURIComponent(existing[name] ?? 'x') : 'pool' in p ? p.pool : p.raw;
    });
  }

  /** Tokens handed out by the last answer, so the agent keeps working after a rotation. */
  learn(c: FuzzCase, status: number, json: unknown, credential: string | undefined): void {
    const token = (json as { token?: unknown } | undefined)?.token;
    if (c.route.path === '/agent/v1/rotate' && c.method === 'POST' && status === 201 && typeof token === 'string' && credential === `Bearer ${this.agent}`)
      this.agent = token;
  }
}
