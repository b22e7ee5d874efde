/** A person the provider knows: signs in with email and password, carries groups into the ID token. */
export interface OidcUser {
  /** The ID token's `sub`. */
  subject: string;
  email: string;
  password: string;
  groups: readonly string[];
}

export interface OidcClient {
  clientId: string;
  clientSecret: string;
}

export interface CreateClientOptions {
  redirectUris: readonly string[];
  /** Space-separated scopes the client may ask for (default: openid email profile groups offline_access). */
  scope?: string;
  /**
   * How the client authenticates at the token endpoint (default client_secret_basic, OIDC's default;
   * openid-client's `discovery(url, id, secret)` sends client_secret_post unless given ClientSecretBasic).
   */
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
}

export interface Credentials {
  email: string;
  password: string;
}

/** What a test works with; plain data plus HTTP calls, so a vitest worker can rebuild it (see connectOidcProvider). */
export interface OidcProviderHandle {
  /** Hydra's issuer URL (http on 127.0.0.1; Hydra runs with --dev). */
  issuer: string;
  /** Hydra's admin API, for whatever the helpers here do not cover. */
  adminUrl: string;
  /** The login and consent app. */
  loginAppUrl: string;
  createClient(options: CreateClientOptions): Promise<OidcClient>;
  /**
   * Walks an authorization request as a browser would (Hydra's redirects, the login form, consent)
   * and returns the URL Hydra finally sends the browser to: the relying party's redirect URI with
   * `code` and `state` (or `error`). Rejects with OidcLoginRefusedError on a wrong email or password.
   */
  login(authorizeUrl: string, credentials: Credentials): Promise<string>;
}

export interface OidcProvider extends OidcProviderHandle {
  /** PID of the Hydra process (tests read its memory, nothing kills it by name). */
  hydraPid: number;
  /** Hydra's log (JSON lines). */
  hydraLogFile: string;
  stop(): Promise<void>;
}

/** The serialisable part of a provider, handed from a vitest globalSetup to the test workers. */
export interface OidcProviderEndpoints {
  issuer: string;
  adminUrl: string;
  loginAppUrl: string;
}
