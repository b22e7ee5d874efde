#!/usr/bin/env node
// qhc-control-plane: regions, clusters, installation commands and the agent endpoint.
//   --database <file|url>   a SQLite file (default ./qhc-control-plane.db) or postgres://… (several replicas)
//                           env QHC_DATABASE
//   --database-pool-size <n>  PostgreSQL: the most connections this replica opens (env
//                           QHC_DATABASE_POOL_SIZE; 1 to 1000, default 10); a request waits up to 30 s for one
//   --database-pool-queue <n>  PostgreSQL: how many requests may wait for a connection (env
//                           QHC_DATABASE_POOL_QUEUE; 0 to 100000, default 64 per connection); more are refused
//                           at once (503 with Retry-After; the Cloud API's ResourceExhausted)
//   --host <addr>           default 127.0.0.1
//   --port <n>              default 7443
//   --tls-cert, --tls-key   PEM files: serve HTTPS (agents only speak HTTPS)
//   --public-url <url>      the URL agents and installation commands use
//   --management-key <key>  accept this Cloud API management key (env QHC_MANAGEMENT_KEY); without
//                           one, an account with no live key gets a generated one, printed once
//   --log-level <level>     debug, info, warn, error
//   --default-registry <url>  regions' container registry unless they name one (env QHC_DEFAULT_REGISTRY;
//                           default: where this release was published); --default-chart-repository <url>
//                           (env QHC_DEFAULT_CHART_REPOSITORY; default: oci://<registry>/charts)
//   --bootstrap-token-ttl <duration>  how long an installation command works (env
//                           QHC_BOOTSTRAP_TOKEN_TTL; 1m to 30d, e.g. 24h, 30m or seconds; default 24h)
//   --audit-retention <duration>  how long audit events are kept (env QHC_AUDIT_RETENTION; 1d to
//                           3650d, e.g. 90d or 2160h; default 90d); older ones are deleted hourly
//   --console-dir <dir>     the web console's built assets (env QHC_CONSOLE_DIR; default: those of
//                           @qhc/console); --no-console serves the API only
//   --packages <file.yaml>  the resource packages clusters are made in, replacing the built-in set
//                           (env QHC_PACKAGES): a YAML list of { id (UUID), name, resources { cpu: 1000m,
//                           ram: 4GiB, disk: 32GiB }, status?: active|deactivated, tier?: standard|premium }
//   --secrets-key-file <file>  the key ring secrets at rest (registry passwords, database API keys, clusters'
//                           API keys, OIDC client secrets) are encrypted with, AES-256-GCM (env QHC_SECRETS_KEY_FILE;
//                           or QHC_SECRETS_KEY, the ring's text itself): one or more `<key id>:<base64 of 32 bytes>` entries, separated by
//                           newlines, commas or spaces, e.g. `echo "k2:$(openssl rand -base64 32)"`. The first
//                           encrypts, all decrypt. Without one: SQLite generates `<database file>.secrets-key`
//                           on first start; PostgreSQL refuses to start (every replica needs the same key).
//                           Rotation: put a new key first (keep the old ones after it); each start re-encrypts
//                           every value not under the first key, row by row. With several replicas, give every
//                           replica the new key second first, then first. Then the old key can be dropped.
// qhc-control-plane rotate-secrets [--database …] [--secrets-key-file …]
//                           re-encrypts every secret under the ring's first key, then exits (what a start does).
// qhc-control-plane verify-email <email> [--database …]
//                           an instance administrator vouches for a user's email (qhc sends no mail): only a user
//                           whose email is verified (this, or an OIDC provider's email_verified) may accept invites.
//   --sign-in-lockout-after <n>  consecutive failed password sign-ins that lock an email (env
//                           QHC_SIGN_IN_LOCKOUT_AFTER; default 10); --sign-in-lockout-for <duration> how long
//                           (env QHC_SIGN_IN_LOCKOUT_FOR; default 15m); --sign-in-rate-limit <n> password sign-in
//                           attempts per minute per source address and per email, per replica (env
//                           QHC_SIGN_IN_RATE_LIMIT; default 20)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLogger, type LogLevel } from '@qhc/kube';
import { registryDefaults, startControlPlane } from './server.ts';
import { parseDurationSeconds } from './duration.ts';
import { signInPolicyOf } from './iam/sign-in-flags.ts';
import { readPackagesFile } from './packages.ts';
import { openDatabase } from './db/open.ts';
import { poolQueueOf, poolSizeOf } from './db/postgres.ts';
import { checkCommand, runCommand } from './commands.ts';
import { AUDIT_RETENTION_BOUNDS } from './cloud/audit/retention.ts';

const { values, positionals } = parseArgs({
  options: {
    database: { type: 'string' },
    'database-pool-size': { type: 'string' },
    'database-pool-queue': { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'public-url': { type: 'string' },
    'management-key': { type: 'string' },
    'log-level': { type: 'string' },
    'console-dir': { type: 'string' },
    'default-registry': { type: 'string' },
    'default-chart-repository': { type: 'string' },
    'no-console': { type: 'boolean' },
    'bootstrap-token-ttl': { type: 'string' },
    'audit-retention': { type: 'string' },
    packages: { type: 'string' },
    'secrets-key-file': { type: 'string' },
    'sign-in-lockout-after': { type: 'string' },
    'sign-in-lockout-for': { type: 'string' },
    'sign-in-rate-limit': { type: 'string' },
    'auto-approve-accounts': { type: 'boolean' },
  },
  allowPositionals: true,
});
try {
  const logger = createLogger({
    level: (values['log-level'] ?? process.env.QHC_LOG_LEVEL ?? 'info').toLowerCase() as LogLevel,
    component: 'qhc-control-plane',
  });
  const cert = values['tls-cert'];
  const key = values['tls-key'];
  if (Boolean(cert) !== Boolean(key)) throw new Error('--tls-cert and --tls-key go together');
  const consoleDir = values['console-dir'] ?? process.env.QHC_CONSOLE_DIR;
  const ttl = values['bootstrap-token-ttl'] ?? process.env.QHC_BOOTSTRAP_TOKEN_TTL;
  const packagesFile = values.packages ?? process.env.QHC_PACKAGES;
  const database = values.database ?? process.env.QHC_DATABASE ?? 'qhc-control-plane.db';
  const poolSize = values['database-pool-size'] ?? process.env.QHC_DATABASE_POOL_SIZE;
  const databasePoolSize = poolSize === undefined ? undefined : poolSizeOf(poolSize);
  const poolQueue = values['database-pool-queue'] ?? process.env.QHC_DATABASE_POOL_QUEUE;
  const databasePoolQueue = poolQueue === undefined ? undefined : poolQueueOf(poolQueue);
  const secrets = { keyFile: values['secrets-key-file'] ?? process.env.QHC_SECRETS_KEY_FILE, key: process.env.QHC_SECRETS_KEY };
  if (positionals.length > 0) {
    checkCommand(positionals);
    const db = await openDatabase(database, logger, secrets, databasePoolSize, databasePoolQueue);
    const done = await runCommand(db, positionals).finally(() => db.close());
    process.stdout.write(`${done}\n`);
    process.exit(0);
  }
  const retention = values['audit-retention'] ?? process.env.QHC_AUDIT_RETENTION;
  const running = await startControlPlane({
    database,
    secrets,
    ...(databasePoolSize ? { databasePoolSize } : {}),
    ...(databasePoolQueue !== undefined ? { databasePoolQueue } : {}),
    host: values.host,
    port: values.port ? Number(values.port) : undefined,
    tls: cert && key ? { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') } : undefined,
    publicUrl: values['public-url'],
    ...(ttl ? { bootstrapTokenTtlSeconds: parseDurationSeconds('--bootstrap-token-ttl', ttl) } : {}),
    ...(retention ? { auditRetentionSeconds: parseDurationSeconds('--audit-retention', retention, AUDIT_RETENTION_BOUNDS) } : {}),
    managementKey: values['management-key'] ?? process.env.QHC_MANAGEMENT_KEY,
    // A bundled control plane (the container image) cannot find @qhc/console next to itself.
    console: values['no-console'] ? false : consoleDir ? { dir: consoleDir } : undefined,
    defaultRegistry: registryDefaults(
      values['default-registry'] ?? process.env.QHC_DEFAULT_REGISTRY,
      values['default-chart-repository'] ?? process.env.QHC_DEFAULT_CHART_REPOSITORY,
    ),
    ...(packagesFile ? { packages: readPackagesFile(packagesFile) } : {}),
    signIn: signInPolicyOf({
      lockoutAfter: values['sign-in-lockout-after'] ?? process.env.QHC_SIGN_IN_LOCKOUT_AFTER,
      lockoutFor: values['sign-in-lockout-for'] ?? process.env.QHC_SIGN_IN_LOCKOUT_FOR,
      rateLimit: values['sign-in-rate-limit'] ?? process.env.QHC_SIGN_IN_RATE_LIMIT,
    }),
    autoApproveAccounts: values['auto-approve-accounts'] ?? process.env.QHC_AUTO_APPROVE_ACCOUNTS === 'true',
    logger,
  });
  process.stdout.write(`account id: ${running.accountId}\n`);
  if (running.generatedManagementKey) process.stdout.write(`management key (shown once, keep it): ${running.generatedManagementKey}\n`);
  const shutdown = () => void running.stop().then(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
} catch (error) {
  console.error(`qhc-control-plane: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
