// OAuth2 token sessions: auth configurations written the JetBrains way in the env files
// (`"Security": {"Auth": {"name": {"Type": "OAuth2", "Grant Type": "Client Credentials", …}}}`), and the
// session's token store that acquires a token on first use, reuses it, and refreshes it before it expires.

import type { TokenEvent, TokenEventKind } from '../model/tokenEvent';

/** The grants acquired without a browser; Authorization Code and Device Authorization are not here yet. */
export type OAuth2Grant = 'client_credentials' | 'password';

export interface OAuth2Config {
  readonly grant: OAuth2Grant;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly scope?: string;
  /** How the client authenticates: HTTP Basic (the JetBrains default), `client_id`/`client_secret` in the body, or only `client_id` (a public client). */
  readonly clientAuth: 'basic' | 'in body' | 'none';
  readonly username?: string;
  readonly password?: string;
}

/** The env-file prefix of auth configuration `name`: the env loader flattens nested objects to dotted keys. */
export function authConfigPrefix(name: string): string {
  return `Security.Auth.${name}.`;
}

const grants: Readonly<Record<string, OAuth2Grant>> = { 'client credentials': 'client_credentials', password: 'password' };

/**
 * The configuration from its keys (variables already substituted), or the problem in words. `fields` maps
 * the JetBrains key (`Token URL`, `Client ID`, …) to its value.
 */
export function parseOAuth2Config(name: string, fields: ReadonlyMap<string, string>): OAuth2Config | { readonly error: string } {
  const where = `auth configuration '${name}'`;
  if (fields.size === 0) return { error: `No ${where}: add "Security": {"Auth": {"${name}": {"Type": "OAuth2", …}}} to the environment` };
  const type = fields.get('Type') ?? 'OAuth2';
  if (type.toLowerCase() !== 'oauth2') return { error: `${where}: Type '${type}' is not supported (only OAuth2)` };
  const grantName = fields.get('Grant Type') ?? '';
  const grant = grants[grantName.toLowerCase()];
  if (!grant) return { error: `${where}: Grant Type '${grantName}' is not supported yet (supported: Client Credentials, Password)` };
  const tokenUrl = fields.get('Token URL');
  const clientId = fields.get('Client ID');
  if (!tokenUrl) return { error: `${where}: 'Token URL' is missing` };
  if (!clientId) return { error: `${where}: 'Client ID' is missing` };
  const clientAuthName = (fields.get('Client Credentials') ?? 'basic').toLowerCase();
  if (clientAuthName !== 'basic' && clientAuthName !== 'in body' && clientAuthName !== 'none') {
    return { error: `${where}: 'Client Credentials' must be "basic", "in body" or "none", not '${clientAuthName}'` };
  }
  const username = fields.get('Username');
  const password = fields.get('Password');
  if (grant === 'password' && (!username || password === undefined)) return { error: `${where}: the Password grant needs 'Username' and 'Password'` };
  return {
    grant,
    tokenUrl,
    clientId,
    clientSecret: fields.get('Client Secret'),
    scope: fields.get('Scope'),
    clientAuth: clientAuthName,
    username,
    password,
  };
}

/** A token as the session keeps it. Times are epoch milliseconds. */
export interface OAuth2Token {
  readonly accessToken: string;
  readonly idToken?: string;
  readonly refreshToken?: string;
  readonly scope?: string;
  readonly issuedAt: number;
  readonly expiresAt?: number;
}

// In the model: the panel shows the events and may not reach this module (it uses Node's Buffer).
export type { TokenEvent, TokenEventKind };

/** The token endpoint's answer: status and body text. The session posts through its own agent. */
export type PostForm = (url: string, headers: Readonly<Record<string, string>>, body: string, signal?: AbortSignal) => Promise<{ status: number; body: string }>;

/** A token this close to its expiry is refreshed first: it could expire on its way to the server. */
export const refreshMarginMs = 10_000;

/** The tokens of one session, by configuration name. */
export class OAuth2TokenStore {
  private readonly tokens = new Map<string, OAuth2Token>();
  private readonly pending = new Map<string, Promise<OAuth2Token>>();
  private readonly events: TokenEvent[] = [];

  constructor(
    private readonly postForm: PostForm,
    private readonly now: () => number,
    saved: Readonly<Record<string, OAuth2Token>> = {},
  ) {
    for (const [name, token] of Object.entries(saved)) this.tokens.set(name, token);
  }

  /** A valid token for `name`: the kept one, else refreshed, else newly acquired. */
  async token(name: string, config: OAuth2Config, signal?: AbortSignal): Promise<OAuth2Token> {
    const kept = this.tokens.get(name);
    if (kept && (kept.expiresAt === undefined || kept.expiresAt - refreshMarginMs > this.now())) {
      this.events.push({ kind: 'used', at: this.now(), configName: name });
      return kept;
    }
    // Requests running together wait for one acquisition instead of each asking for a token.
    let acquiring = this.pending.get(name);
    if (!acquiring) {
      acquiring = this.renew(name, config, kept, signal).finally(() => this.pending.delete(name));
      this.pending.set(name, acquiring);
    }
    return acquiring;
  }

  /** Drops the token (the server rejected it: revoked): the next use acquires a new one. */
  forget(name: string): void {
    if (this.tokens.delete(name)) this.events.push({ kind: 'revoked', at: this.now(), configName: name });
  }

  /** How many tokens are kept. */
  get size(): number {
    return this.tokens.size;
  }

  /** The lifetime events, oldest first. */
  get timeline(): readonly TokenEvent[] {
    return this.events;
  }

  /** The tokens as stored state (the caller keeps it where secrets may be kept). */
  serialize(): Record<string, OAuth2Token> {
    return Object.fromEntries(this.tokens);
  }

  private async renew(name: string, config: OAuth2Config, kept: OAuth2Token | undefined, signal?: AbortSignal): Promise<OAuth2Token> {
    if (kept) this.events.push({ kind: 'expired', at: this.now(), configName: name, expiresAt: kept.expiresAt });
    if (kept?.refreshToken) {
      try {
        const refreshed = await this.request(name, config, { grant_type: 'refresh_token', refresh_token: kept.refreshToken }, signal);
        // A server may keep the refresh token and not send it again.
        return this.keep(name, { ...refreshed, refreshToken: refreshed.refreshToken ?? kept.refreshToken }, 'refreshed', 'refresh_token');
      } catch {
        // A refresh token that was revoked or expired: acquire a new token with the grant itself.
      }
    }
    const form: Record<string, string> =
      config.grant === 'password' ? { grant_type: 'password', username: config.username!, password: config.password! } : { grant_type: 'client_credentials' };
    if (config.scope) form.scope = config.scope;
    return this.keep(name, await this.request(name, config, form, signal), 'issued', config.grant);
  }

  private keep(name: string, token: OAuth2Token, kind: 'issued' | 'refreshed', grant: TokenEvent['grant']): OAuth2Token {
    this.tokens.set(name, token);
    this.events.push({ kind, at: token.issuedAt, configName: name, grant, scope: token.scope, expiresAt: token.expiresAt });
    return token;
  }

  private async request(name: string, config: OAuth2Config, form: Record<string, string>, signal?: AbortSignal): Promise<OAuth2Token> {
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
    const body = new URLSearchParams(form);
    if (config.clientAuth === 'basic') {
      // RFC 6749 §2.3.1: both parts form-urlencoded before Base64.
      const pair = `${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret ?? '')}`;
      headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
    } else {
      body.set('client_id', config.clientId);
      if (config.clientAuth === 'in body' && config.clientSecret !== undefined) body.set('client_secret', config.clientSecret);
    }
    const issuedAt = this.now();
    const response = await this.postForm(config.tokenUrl, headers, body.toString(), signal);
    let json: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(response.body);
      if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
    } catch {
      // Not JSON: reported below with the status.
    }
    if (response.status !== 200 || typeof json.access_token !== 'string') {
      // The error fields of RFC 6749 §5.2 say why; the body is not shown, it may echo credentials.
      const reason = typeof json.error === 'string' ? `${json.error}${typeof json.error_description === 'string' ? `: ${json.error_description}` : ''}` : 'no access_token in the answer';
      throw new Error(`auth configuration '${name}': the token endpoint ${config.tokenUrl} answered ${response.status} (${reason})`);
    }
    const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in);
    return {
      accessToken: json.access_token,
      ...(typeof json.id_token === 'string' && { idToken: json.id_token }),
      ...(typeof json.refresh_token === 'string' && { refreshToken: json.refresh_token }),
      ...((typeof json.scope === 'string' || config.scope) && { scope: typeof json.scope === 'string' ? json.scope : config.scope }),
      issuedAt,
      ...(Number.isFinite(expiresIn) && { expiresAt: issuedAt + expiresIn * 1000 }),
    };
  }
}
