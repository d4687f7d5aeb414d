// OAuth2 token sessions: auth configurations written the JetBrains way in the env files
// (`"Security": {"Auth": {"name": {"Type": "OAuth2", "Grant Type": "Client Credentials", …}}}`), and the
// session's token store that acquires a token on first use, reuses it, and refreshes it before it expires.
import { randomBytes } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import type { AuthorizationPrompt } from '../ports';
import { listenForRedirect, pkcePair, type CodeChallengeMethod } from './loopbackRedirect';

import type { TokenEvent, TokenEventKind } from '../model/tokenEvent';

export type OAuth2Grant = 'client_credentials' | 'password' | 'authorization_code' | 'device_code';

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
  /** Authorization Code: where the browser signs in, and the loopback URL the code comes back to. */
  readonly authUrl?: string;
  readonly redirectUrl?: string;
  /** Authorization Code with PKCE (RFC 7636): the challenge method, and a fixed verifier if the configuration gives one. */
  readonly pkce?: { readonly method: CodeChallengeMethod; readonly verifier?: string };
  /** Device Authorization (RFC 8628): where the device code is asked for. */
  readonly deviceAuthUrl?: string;
}

/** The env-file prefix of auth configuration `name`: the env loader flattens nested objects to dotted keys. */
export function authConfigPrefix(name: string): string {
  return `Security.Auth.${name}.`;
}

const grants: Readonly<Record<string, OAuth2Grant>> = {
  'client credentials': 'client_credentials',
  password: 'password',
  'authorization code': 'authorization_code',
  'device authorization': 'device_code',
};

/** JetBrains writes `"PKCE": true` or `"PKCE": {"Code Challenge Method": "SHA-256" | "Plain", "Code Verifier": …}`. */
function parsePkce(fields: ReadonlyMap<string, string>, where: string): OAuth2Config['pkce'] | { readonly error: string } | undefined {
  const flag = fields.get('PKCE');
  const methodName = fields.get('PKCE.Code Challenge Method');
  const verifier = fields.get('PKCE.Code Verifier') || undefined;
  if (flag === undefined || flag === 'false') return undefined;
  if (methodName === undefined) return flag === 'true' || verifier ? { method: 'S256', ...(verifier && { verifier }) } : { error: `${where}: 'PKCE' must be true, false or {"Code Challenge Method": "SHA-256"}, not ${flag}` };
  const method = /^(s256|sha-?256)$/i.test(methodName) ? 'S256' : /^plain$/i.test(methodName) ? 'plain' : undefined;
  if (!method) return { error: `${where}: 'Code Challenge Method' must be "SHA-256" (S256) or "Plain", not '${methodName}'` };
  return { method, ...(verifier && { verifier }) };
}

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
  if (!grant) return { error: `${where}: Grant Type '${grantName}' is not supported yet (supported: Client Credentials, Password, Authorization Code, Device Authorization)` };
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
  const authUrl = fields.get('Auth URL');
  const redirectUrl = fields.get('Redirect URL');
  if (grant === 'authorization_code' && (!authUrl || !redirectUrl)) return { error: `${where}: the Authorization Code grant needs 'Auth URL' and 'Redirect URL'` };
  const deviceAuthUrl = fields.get('Device Auth URL');
  if (grant === 'device_code' && !deviceAuthUrl) return { error: `${where}: the Device Authorization grant needs 'Device Auth URL'` };
  const pkce = parsePkce(fields, where);
  if (pkce && 'error' in pkce) return pkce;
  return {
    grant,
    tokenUrl,
    clientId,
    clientSecret: fields.get('Client Secret'),
    scope: fields.get('Scope'),
    clientAuth: clientAuthName,
    username,
    password,
    ...(grant === 'authorization_code' && { authUrl, redirectUrl, ...(pkce && { pkce }) }),
    ...(grant === 'device_code' && { deviceAuthUrl }),
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

/** How a session's token store meets the user and the clock, for the grants that need a person. */
export interface TokenStoreOptions {
  /** Shows the sign-in page; without it the Authorization Code and Device Authorization grants are refused. */
  readonly prompt?: AuthorizationPrompt;
  /** How long the user has to sign in in the browser (Authorization Code). */
  readonly signInTimeoutMs?: number;
  /** Waits between device-code polls; tests pass one that moves their clock instead. */
  readonly wait?: (ms: number, signal?: AbortSignal) => Promise<unknown>;
}

export const defaultSignInTimeoutMs = 5 * 60_000;
const deviceCodeGrant = 'urn:ietf:params:oauth:grant-type:device_code';

/** An endpoint's answer, its JSON object (empty when it sent none) and when it was asked. */
interface EndpointAnswer {
  readonly status: number;
  readonly json: Readonly<Record<string, unknown>>;
  readonly askedAt: number;
}

/** The tokens of one session, by configuration name. */
export class OAuth2TokenStore {
  private readonly tokens = new Map<string, OAuth2Token>();
  private readonly pending = new Map<string, Promise<OAuth2Token>>();
  /** Names whose kept token the server rejected: kept for its refresh token only, and not reported as expired again. */
  private readonly rejected = new Set<string>();
  private readonly events: TokenEvent[] = [];

  constructor(
    private readonly postForm: PostForm,
    private readonly now: () => number,
    saved: Readonly<Record<string, OAuth2Token>> = {},
    private readonly options: TokenStoreOptions = {},
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
      acquiring = this.renew(name, config, kept, signal)
        .catch((error: unknown) => {
          // Node's AbortError names neither the configuration nor what was stopped.
          throw signal?.aborted ? new Error(`auth configuration '${name}': the sign-in was cancelled`) : error;
        })
        .finally(() => this.pending.delete(name));
      this.pending.set(name, acquiring);
    }
    return acquiring;
  }

  /** Drops the token and its refresh token (the user said so): the next use acquires a new one by its grant. */
  forget(name: string): void {
    this.rejected.delete(name);
    if (this.tokens.delete(name)) this.events.push({ kind: 'revoked', at: this.now(), configName: name });
  }

  /**
   * The server rejected the token (`invalid_token`: revoked, or expired before its stated time, as a token of a
   * few seconds does behind a slow first request): the next use renews it. Its refresh token is tried first,
   * so a sign-in grant needs no browser again while that still works; without one, the grant runs again.
   */
  reject(name: string): void {
    const kept = this.tokens.get(name);
    if (!kept?.refreshToken) return this.forget(name);
    this.events.push({ kind: 'revoked', at: this.now(), configName: name });
    this.rejected.add(name);
    this.tokens.set(name, { ...kept, expiresAt: this.now() });
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
    if (kept && !this.rejected.has(name)) this.events.push({ kind: 'expired', at: this.now(), configName: name, expiresAt: kept.expiresAt });
    if (kept?.refreshToken) {
      try {
        const refreshed = await this.request(name, config, { grant_type: 'refresh_token', refresh_token: kept.refreshToken }, signal);
        // A server may keep the refresh token and not send it again.
        return this.keep(name, { ...refreshed, refreshToken: refreshed.refreshToken ?? kept.refreshToken }, 'refreshed', 'refresh_token');
      } catch {
        // A refresh token that was revoked or expired: acquire a new token with the grant itself.
      }
    }
    return this.keep(name, await this.acquire(name, config, signal), 'issued', config.grant);
  }

  private acquire(name: string, config: OAuth2Config, signal?: AbortSignal): Promise<OAuth2Token> {
    const scope: Record<string, string> = config.scope ? { scope: config.scope } : {};
    switch (config.grant) {
      case 'authorization_code':
        return this.signIn(name, config, signal);
      case 'device_code':
        return this.signInOnDevice(name, config, signal);
      case 'password':
        return this.request(name, config, { grant_type: 'password', username: config.username!, password: config.password!, ...scope }, signal);
      case 'client_credentials':
        return this.request(name, config, { grant_type: 'client_credentials', ...scope }, signal);
    }
  }

  private promptFor(name: string): AuthorizationPrompt {
    if (!this.options.prompt) throw new Error(`auth configuration '${name}': this grant needs the user to sign in, and nothing here can show them the page`);
    return this.options.prompt;
  }

  /** Authorization Code (with PKCE when configured): the user signs in in a browser, the code comes back to a loopback listener. */
  private async signIn(name: string, config: OAuth2Config, signal?: AbortSignal): Promise<OAuth2Token> {
    const where = `auth configuration '${name}'`;
    const prompt = this.promptFor(name);
    let authUrl: URL;
    try {
      authUrl = new URL(config.authUrl!);
    } catch {
      throw new Error(`${where}: 'Auth URL' ${config.authUrl} is not a URL`);
    }
    const state = randomBytes(16).toString('base64url');
    const redirect = await listenForRedirect(config.redirectUrl!, state, this.options.signInTimeoutMs ?? defaultSignInTimeoutMs, where, signal);
    try {
      const pkce = config.pkce && pkcePair(config.pkce.method, config.pkce.verifier);
      const query = { response_type: 'code', client_id: config.clientId, redirect_uri: redirect.redirectUri, ...(config.scope && { scope: config.scope }), state };
      for (const [key, value] of Object.entries(query)) authUrl.searchParams.set(key, value);
      if (pkce) {
        authUrl.searchParams.set('code_challenge', pkce.challenge);
        authUrl.searchParams.set('code_challenge_method', config.pkce!.method);
      }
      await prompt.openAuthorizationUrl(authUrl.toString(), { configName: name });
      const code = await redirect.code;
      return await this.request(name, config, { grant_type: 'authorization_code', code, redirect_uri: redirect.redirectUri, ...(pkce && { code_verifier: pkce.verifier }) }, signal);
    } finally {
      redirect.close();
    }
  }

  /** Device Authorization (RFC 8628): the user confirms a code on another page while the token endpoint is polled. */
  private async signInOnDevice(name: string, config: OAuth2Config, signal?: AbortSignal): Promise<OAuth2Token> {
    const where = `auth configuration '${name}'`;
    const prompt = this.promptFor(name);
    const device = await this.post(config, config.deviceAuthUrl!, config.scope ? { scope: config.scope } : {}, signal);
    const { device_code: deviceCode, user_code: userCode, verification_uri: pageUrl, verification_uri_complete: pageWithCode } = device.json;
    if (device.status !== 200 || typeof deviceCode !== 'string' || typeof userCode !== 'string' || typeof pageUrl !== 'string') {
      throw new Error(refusal(where, 'the device authorization endpoint', config.deviceAuthUrl!, device, 'no device_code, user_code and verification_uri in the answer'));
    }
    await prompt.openAuthorizationUrl(typeof pageWithCode === 'string' ? pageWithCode : pageUrl, { configName: name, userCode });
    const deadline = device.askedAt + (Number(device.json.expires_in) || 300) * 1000;
    let intervalMs = (Number(device.json.interval) || 5) * 1000;
    for (;;) {
      await (this.options.wait ?? wait)(intervalMs, signal);
      const answer = await this.post(config, config.tokenUrl, { grant_type: deviceCodeGrant, device_code: deviceCode }, signal);
      if (answer.status === 200 && typeof answer.json.access_token === 'string') return tokenFrom(answer, config);
      // RFC 8628 §3.5: keep polling while the user has not answered; slow down when asked to.
      if (answer.json.error === 'slow_down') intervalMs += 5000;
      else if (answer.json.error !== 'authorization_pending') throw new Error(refusal(where, 'the token endpoint', config.tokenUrl, answer, 'no access_token in the answer'));
      if (this.now() >= deadline) throw new Error(`${where}: the user code was not confirmed before it expired (${Math.round((deadline - device.askedAt) / 1000)} s)`);
    }
  }

  private keep(name: string, token: OAuth2Token, kind: 'issued' | 'refreshed', grant: TokenEvent['grant']): OAuth2Token {
    this.rejected.delete(name);
    this.tokens.set(name, token);
    this.events.push({ kind, at: token.issuedAt, configName: name, grant, scope: token.scope, expiresAt: token.expiresAt });
    return token;
  }

  private async request(name: string, config: OAuth2Config, form: Record<string, string>, signal?: AbortSignal): Promise<OAuth2Token> {
    const answer = await this.post(config, config.tokenUrl, form, signal);
    if (answer.status !== 200 || typeof answer.json.access_token !== 'string') {
      throw new Error(refusal(`auth configuration '${name}'`, 'the token endpoint', config.tokenUrl, answer, 'no access_token in the answer'));
    }
    return tokenFrom(answer, config);
  }

  /** Posts `form` with the client's credentials as the configuration says. */
  private async post(config: OAuth2Config, url: string, form: Record<string, string>, signal?: AbortSignal): Promise<EndpointAnswer> {
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
    const askedAt = this.now();
    const response = await this.postForm(url, headers, body.toString(), signal);
    let json: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(response.body);
      if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
    } catch {
      // Not JSON: the refusal says so with the status.
    }
    return { status: response.status, json, askedAt };
  }
}

/** Why an endpoint refused, from the error fields of RFC 6749 §5.2; the body is not shown, it may echo credentials. */
function refusal(where: string, endpoint: string, url: string, answer: EndpointAnswer, otherwise: string): string {
  const { error, error_description: description } = answer.json;
  const reason = typeof error === 'string' ? `${error}${typeof description === 'string' ? `: ${description}` : ''}` : otherwise;
  return `${where}: ${endpoint} ${url} answered ${answer.status} (${reason})`;
}

function tokenFrom({ json, askedAt }: EndpointAnswer, config: OAuth2Config): OAuth2Token {
  const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in);
  return {
    accessToken: json.access_token as string,
    ...(typeof json.id_token === 'string' && { idToken: json.id_token }),
    ...(typeof json.refresh_token === 'string' && { refreshToken: json.refresh_token }),
    ...((typeof json.scope === 'string' || config.scope) && { scope: typeof json.scope === 'string' ? json.scope : config.scope }),
    issuedAt: askedAt,
    ...(Number.isFinite(expiresIn) && { expiresAt: askedAt + expiresIn * 1000 }),
  };
}
