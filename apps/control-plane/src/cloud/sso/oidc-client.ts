import * as oidc from 'openid-client';
import type { Db } from '../../db/db.ts';
import { openClientSecret, type OidcProviderRow } from '../../repositories/oidc-providers.ts';
import type { Clock } from '../../repositories/tokens.ts';

// The relying party's view of each provider: its discovery document and keys, through
// openid-client. Discovery is cached per provider (and per setting: a changed issuer, client or
// secret is a new entry) for a while, so a sign-in does not cost a round trip to the provider.

/** How long a provider's discovery document (and the keys openid-client fetched with it) is reused. */
export const DISCOVERY_TTL_MS = 10 * 60_000;
/** How long a call to a provider may take, in seconds (openid-client's unit). */
const PROVIDER_TIMEOUT_SECONDS = 10;

export interface OidcClientOptions {
  db: Db;
  now: Clock;
  ttlMs?: number;
  /** The HTTP client providers are reached with (default: fetch); tests put a tampering proxy here. */
  fetch?: oidc.CustomFetch;
}

interface Entry {
  key: string;
  expiresAt: number;
  config: Promise<oidc.Configuration>;
}

export class OidcClients {
  private readonly entries = new Map<string, Entry>();
  private readonly options: OidcClientOptions;

  constructor(options: OidcClientOptions) {
    this.options = options;
  }

  /** The provider's configuration, discovered now or earlier (a failed discovery is not kept). */
  configurationOf(row: OidcProviderRow): Promise<oidc.Configuration> {
    const key = `${row.issuer_url}\n${row.client_id}\n${row.client_secret}`;
    const at = this.options.now();
    const hit = this.entries.get(row.id);
    if (hit && hit.key === key && hit.expiresAt > at) return hit.config;
    const config = this.discover(row);
    const entry = { key, expiresAt: at + (this.options.ttlMs ?? DISCOVERY_TTL_MS), config };
    this.entries.set(row.id, entry);
    config.catch(() => {
      if (this.entries.get(row.id) === entry) this.entries.delete(row.id);
    });
    return config;
  }

  private async discover(row: OidcProviderRow): Promise<oidc.Configuration> {
    const issuer = new URL(row.issuer_url);
    const secret = openClientSecret(this.options.db, row.id, row.client_secret);
    // ID token signatures are checked against the provider's keys (openid-client skips that by
    // default for tokens from the token endpoint, trusting TLS). Plain http is possible only for
    // the loopback issuers the service accepts (validate.ts).
    const execute = [oidc.enableNonRepudiationChecks, ...(issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [])];
    return oidc.discovery(issuer, row.client_id, undefined, oidc.ClientSecretBasic(secret), {
      execute,
      timeout: PROVIDER_TIMEOUT_SECONDS,
      ...(this.options.fetch ? { [oidc.customFetch]: this.options.fetch } : {}),
    });
  }
}
