import { request as undiciRequest, type Dispatcher } from 'undici';
import { authSchemeFor, withAuthorization, type AuthScheme } from '../auth/authScheme';
import { tokenHistories } from '../auth/tokenHistory';
import { OAuth2TokenStore, type OAuth2Config, type OAuth2Token, type TokenEvent } from '../auth/oauth2';
import { defaultCsrfNames, type CsrfNames, type DoctorContext } from '../doctor/context';
import { diagnose } from '../doctor/diagnose';
import { Emitter, type Disposable, type Event } from '../event';
import { describeError } from '../errors';
import { capResponseBody, type CookieRecord, type Exchange, type HeaderList, type HttpRequest, type SessionCookieLifecycle } from '../model/exchange';
import { hasHeader } from '../model/headers';
import { type AuthorizationPrompt, type Clock, type Logger, silentLogger, systemClock, type TokenVault } from '../ports';
import { ConnectionProbe } from '../send/connectionProbe';
import { csrfHeaderFor } from '../send/csrf';
import { executeExchange, type ExchangeLimits, type WireTrace } from '../send/executeExchange';
import type { HopRequest } from '../send/redirect';
import { maskHeaderValue, redactExchange, SecretValues } from '../secrets';
import { SessionCookieJar } from './cookieJar';
import type { SessionDefaults } from './defaults';
import { createSessionDispatcher, type ProxyEnvironment } from './dispatcher';
import { defaultSessionCookieNames, SessionCookieTracker } from './lifecycle';
import { checkVaultTokens } from './stateShape';
import { exchangeFromState, exchangeToState, parseSessionState, type SessionState, sessionStateVersion, storedBodyBytes } from './sessionState';

/** What the caller knows about the request's file that the session cannot see. */
export interface SendHints {
  /** The file's login-like requests, best first: the doctor's "re-run login" fix names one. */
  readonly loginRequestNames?: readonly string[];
}

export interface SessionOptions {
  name: string;
  defaults?: SessionDefaults;
  clock?: Clock;
  logger?: Logger;
  /**
   * The stored state may hold the OAuth2 tokens: the storage is private to the user (the CLI's mode-0600
   * session file). VS Code's workspace state is not; the tokens stay out of it.
   */
  keepTokens?: boolean;
  /** Shows the user the sign-in page of the Authorization Code and Device Authorization grants. */
  authorizationPrompt?: AuthorizationPrompt;
  /** Keeps the session's tokens and their timeline apart from the stored state (VS Code's SecretStorage), by session name. */
  tokenVault?: TokenVault;
  /** Replaces the session's own pool (tests); the session does not close an injected dispatcher. */
  dispatcher?: Dispatcher;
  /** What `serialize()` returned earlier; unreadable state throws HS_STATE naming the field (the registry sets it aside). */
  state?: unknown;
  /** Proxy variables; defaults to process.env. */
  env?: ProxyEnvironment;
}

export const defaultMaxRedirects = 10;
export const defaultMaxBodyBytes = 20 * 1024 * 1024;
const historyLimit = 200;
// Bodies in the in-memory history: the newest exchanges and the newest of each named request (what
// chaining reads) keep the whole body; older ones keep its start, enough for the doctor's evidence.
const historyFullBodies = 10;
const historyBodyBytes = 64 * 1024;
// Stored state stays small: fewer exchanges, capped bodies (see sessionState.ts).
const storedHistoryLimit = 20;
const userAgent = 'http-session/0.1';
/** Token lifetime events a TokenVault keeps per session: the newest, enough for the Session tab after a reload. */
const keptTokenEvents = 100;
/** Request bodies longer than this are not kept as text (chaining, copy as cURL, the doctor). */
export const maxRecordedBodyChars = 64 * 1024;

/** The body as text when it is text and not too long; undefined for binary bodies. */
function recordedBodyText(body: string | Uint8Array | undefined): string | undefined {
  if (body === undefined) return undefined;
  let text: string;
  if (typeof body === 'string') text = body;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      return undefined;
    }
    if (text.includes('\0')) return undefined;
  }
  return text.length <= maxRecordedBodyChars ? text : undefined;
}

/** A `requests.Session` for the workspace: one keep-alive pool, one cookie jar, defaults, history and session-cookie lifecycles. */
export class Session implements Disposable {
  readonly name: string;
  private readonly changed = new Emitter<void>((error) => this.reportListenerError(error));
  private readonly exchanged = new Emitter<Exchange>((error) => this.reportListenerError(error));
  readonly onDidChange: Event<void> = this.changed.event;
  readonly onDidExchange: Event<Exchange> = this.exchanged.event;

  private defaults: SessionDefaults;
  /** Made from `defaults.auth`; kept, so a scheme that caches a token keeps it between requests. */
  private auth: AuthScheme | undefined;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly env: ProxyEnvironment;
  private readonly probe: ConnectionProbe;
  private readonly injectedDispatcher: Dispatcher | undefined;
  private dispatcher: Dispatcher;
  private readonly jar: SessionCookieJar;
  private readonly tracker: SessionCookieTracker;
  /**
   * Newest last; `persist` is false for `@no-log` requests, which stay out of the stored state. `secrets`: the
   * values substituted into the request, masked in the trace and in what is stored.
   */
  private readonly exchanges: { exchange: Exchange; persist: boolean; secrets: SecretValues }[] = [];
  private sequence = 0;
  /** `client.global` of JetBrains scripts: kept with the cookies, so a reload keeps a token a handler stored. */
  private globals: Readonly<Record<string, string>> = {};
  /** OAuth2 tokens of `$auth.token("name")`, fetched through this session's own pool. Not in the stored state. */
  private tokens: OAuth2TokenStore;
  private readonly keepTokens: boolean;
  private readonly authorizationPrompt: AuthorizationPrompt | undefined;
  private readonly tokenVault: TokenVault | undefined;
  /** Settles once the vault's tokens are in the store: token use and clearing wait for it. */
  private readonly tokensRestored: Promise<void>;
  /** The timeline the vault kept from before this session object existed (a window reload). */
  private restoredTokenEvents: readonly TokenEvent[] = [];
  /** Vault writes, one after another: a late write must not bring back what a clear deleted. */
  private tokenWrites: Promise<void> = Promise.resolve();

  constructor(options: SessionOptions) {
    this.name = options.name;
    this.defaults = options.defaults ?? {};
    this.auth = this.defaults.auth && authSchemeFor(this.defaults.auth);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.env = options.env ?? process.env;
    const state: SessionState | undefined = options.state === undefined ? undefined : parseSessionState(options.state);
    this.jar = state ? SessionCookieJar.deserialize(state.jar, this.clock) : SessionCookieJar.empty(this.clock);
    this.tracker = new SessionCookieTracker(this.cookieNames(), state?.lifecycles);
    if (state) this.exchanges.push(...state.history.map((stored) => ({ exchange: exchangeFromState(stored), persist: true, secrets: new SecretValues() })));
    if (state?.globals) this.globals = { ...state.globals };
    // Subscribed only once the state has been read: a constructor that throws leaves nothing behind.
    this.probe = new ConnectionProbe();
    this.injectedDispatcher = options.dispatcher;
    this.dispatcher = options.dispatcher ?? createSessionDispatcher(this.defaults, this.probe, this.logger, this.env);
    this.keepTokens = options.keepTokens ?? false;
    this.authorizationPrompt = options.authorizationPrompt;
    this.tokens = this.newTokenStore(state?.tokens);
    this.tokenVault = options.tokenVault;
    this.tokensRestored = this.restoreTokens();
  }

  private async restoreTokens(): Promise<void> {
    if (!this.tokenVault) return;
    try {
      const kept = await this.tokenVault.load(this.name);
      if (kept === undefined) return;
      checkVaultTokens(kept, 'tokens');
      const { tokens, timeline } = kept as { tokens: Record<string, OAuth2Token>; timeline: TokenEvent[] };
      this.tokens = this.newTokenStore(tokens);
      this.restoredTokenEvents = timeline;
      this.changed.fire();
    } catch (error) {
      // Unreadable tokens are only a cost: each is acquired again on first use.
      this.logger.warn(`session ${this.name}: the kept OAuth2 tokens could not be read (${describeError(error)}); they will be acquired again`);
    }
  }

  /** Keeps the tokens in the vault and tells the views. */
  private tokensChanged(): void {
    this.changed.fire();
    this.keepTokensInVault();
  }

  /** Writes the tokens to the vault, or deletes them there when none are left. */
  private keepTokensInVault(): void {
    const vault = this.tokenVault;
    if (!vault) return;
    const tokens = this.tokens.serialize();
    const kept = Object.keys(tokens).length > 0 ? { tokens, timeline: this.tokenTimeline().slice(-keptTokenEvents) } : undefined;
    this.tokenWrites = this.tokenWrites
      .then(() => vault.save(this.name, kept))
      .catch((error: unknown) => this.logger.error(`session ${this.name}: keeping the OAuth2 tokens failed: ${describeError(error)}`));
  }

  /** Settles when the tokens are restored from the vault and every change is written to it. */
  async tokensSettled(): Promise<void> {
    await this.tokensRestored;
    await this.tokenWrites;
  }

  private newTokenStore(saved?: SessionState['tokens']): OAuth2TokenStore {
    return new OAuth2TokenStore(
      async (url, headers, body, signal) => {
        const response = await undiciRequest(url, { method: 'POST', headers, body, dispatcher: this.dispatcher, signal });
        return { status: response.statusCode, body: await response.body.text() };
      },
      () => this.clock.now(),
      saved,
      { prompt: this.authorizationPrompt },
    );
  }

  /** The token of auth configuration `name`: kept, refreshed or acquired. */
  async authToken(name: string, config: OAuth2Config, signal?: AbortSignal): Promise<OAuth2Token> {
    await this.tokensRestored;
    const store = this.tokens;
    const before = store.serialize()[name];
    const token = await store.token(name, config, signal);
    // A new or refreshed token is kept; reusing one changes nothing worth a write. A clear meanwhile made a new store.
    if (token !== before && store === this.tokens) this.tokensChanged();
    return token;
  }

  /** Drops the token of auth configuration `name` and its refresh token (the user said so): the next use acquires a new one. */
  forgetToken(name: string): void {
    if (!(name in this.tokens.serialize())) return;
    this.tokens.forget(name);
    this.tokensChanged();
  }

  /** The server rejected the token of `name` (`invalid_token`): the next use refreshes it, or acquires a new one (OAuth2TokenStore.reject). */
  rejectToken(name: string): void {
    if (!(name in this.tokens.serialize())) return;
    this.tokens.reject(name);
    this.tokensChanged();
  }

  /** The tokens the session holds now, by auth configuration name. */
  keptTokens(): Readonly<Record<string, OAuth2Token>> {
    return this.tokens.serialize();
  }

  /** Issued, refreshed, expired, used: the tokens' lifetimes, oldest first (with what a vault kept from before a reload). */
  tokenTimeline(): readonly TokenEvent[] {
    return [...this.restoredTokenEvents, ...this.tokens.timeline];
  }

  private reportListenerError(error: unknown): void {
    this.logger.error(`session ${this.name}: a listener failed: ${describeError(error)}`);
  }

  get history(): readonly Exchange[] {
    return this.exchanges.map((entry) => entry.exchange);
  }

  /**
   * Sends through the session's pool and jar, and explains a 401/403 in `exchange.findings`. Transport failures
   * come back in `exchange.error`; it rejects only on programming errors.
   */
  async send(request: HttpRequest, signal?: AbortSignal, hints: SendHints = {}): Promise<Exchange> {
    const startedAt = this.clock.now();
    const id = `${this.name}-${startedAt.toString(36)}-${++this.sequence}`;
    const directives = request.options ?? {};
    const headers = await withAuthorization(this.withDefaults(request.headers), request.url, this.auth, signal);
    const secrets = new SecretValues(request.secrets);
    const outcome = await executeExchange(
      { ...request, headers },
      {
        csrfHeader: (hop) => this.csrfHeader(request, hop),
        dispatcher: this.dispatcher,
        probe: this.probe,
        ...(directives.noCookieJar ? {} : { jar: this.jar }),
        limits: this.limits(request),
        ...(directives.noLog ? {} : { trace: this.wireTrace(secrets) }),
        logger: this.logger,
      },
      signal,
    );
    const bodyText = recordedBodyText(request.body);
    const draft: Exchange = {
      id,
      sessionName: this.name,
      startedAt,
      request: {
        ...(request.name ? { name: request.name } : {}),
        ...(request.source ? { source: request.source } : {}),
        ...outcome.request,
        // The record is of the final hop: a redirect that turned the POST into a GET dropped the body.
        ...(bodyText !== undefined && outcome.request.bodySize > 0 ? { bodyText } : {}),
      },
      ...(outcome.response ? { response: outcome.response } : {}),
      ...(outcome.error ? { error: { code: outcome.error.code, message: outcome.error.message } } : {}),
      timings: outcome.timings,
      connectionReused: outcome.connectionReused,
      cookies: outcome.cookies,
      redirects: outcome.redirects,
      sessionEvents: [],
      findings: [],
    };
    const observed: Exchange = { ...draft, sessionEvents: this.tracker.observe(draft) };
    const exchange: Exchange = { ...observed, findings: diagnose(observed, this.doctorContext(request, bodyText, hints)) };
    this.remember({ exchange, persist: !directives.noLog, secrets });
    this.exchanged.fire(exchange);
    const jarTouched = exchange.cookies.stored.length > 0 || exchange.sessionEvents.length > 0;
    if (jarTouched) this.changed.fire();
    return exchange;
  }

  private remember(entry: { exchange: Exchange; persist: boolean; secrets: SecretValues }): void {
    this.exchanges.push(entry);
    if (this.exchanges.length > historyLimit) this.exchanges.splice(0, this.exchanges.length - historyLimit);
    const keepWhole = new Set<string>();
    const named = new Set<string>();
    for (let index = this.exchanges.length - 1; index >= 0; index--) {
      const { id, request } = this.exchanges[index]!.exchange;
      const newestOfName = request.name !== undefined && !named.has(request.name);
      if (request.name !== undefined) named.add(request.name);
      if (keepWhole.size < historyFullBodies || newestOfName) keepWhole.add(id);
    }
    for (const entry of this.exchanges) {
      const response = entry.exchange.response;
      if (!response || keepWhole.has(entry.exchange.id) || response.body.length <= historyBodyBytes) continue;
      entry.exchange = { ...entry.exchange, response: capResponseBody(response, historyBodyBytes) };
    }
  }

  /** The newest exchange of the request with this `@name`, for chaining. */
  lastExchange(requestName: string): Exchange | undefined {
    return this.exchanges.findLast((entry) => entry.exchange.request.name === requestName)?.exchange;
  }

  /** What the jar would send to `url` for `name`. */
  cookieValue(name: string, url: string): string | undefined {
    return this.jar.valueFor(name, url);
  }

  listCookies(): CookieRecord[] {
    return this.jar.list();
  }

  async setCookie(cookie: CookieRecord): Promise<void> {
    await this.jar.set(cookie);
    this.changed.fire();
  }

  /** Adds each cookie through the jar's own rules (a file import); what the jar refuses is returned, the rest kept. */
  async importCookies(cookies: readonly CookieRecord[]): Promise<{ imported: number; refused: { cookie: CookieRecord; reason: string }[] }> {
    let imported = 0;
    const refused: { cookie: CookieRecord; reason: string }[] = [];
    for (const cookie of cookies) {
      try {
        await this.jar.set(cookie);
        imported++;
      } catch (error) {
        refused.push({ cookie, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    if (imported > 0) this.changed.fire();
    return { imported, refused };
  }

  async deleteCookie(name: string, domain: string, path: string): Promise<void> {
    await this.jar.delete(name, domain, path);
    this.changed.fire();
  }

  /**
   * Empties the jar (or one domain of it); the lifecycles forget those cookies' values too, so none stays stored.
   * Clearing the whole session also forgets what scripts kept in `client.global` (often a token).
   */
  async clearCookies(domain?: string): Promise<void> {
    await this.jar.clear(domain);
    this.tracker.forgetValues(domain);
    if (domain === undefined) {
      await this.tokensRestored;
      this.globals = {};
      this.tokens = this.newTokenStore();
      this.restoredTokenEvents = [];
      this.keepTokensInVault();
    }
    this.changed.fire();
  }

  /** A line a request's script wrote with `client.log`, for the session's log (the CLI prints them itself with -v). */
  logScriptOutput(where: string, line: string): void {
    this.logger.info(`${where}: client.log: ${line}`);
  }

  /** What scripts set with `client.global.set`. */
  globalVariables(): Readonly<Record<string, string>> {
    return this.globals;
  }

  /** Replaces `client.global` with what a script left (it sees and edits the whole map). */
  setGlobalVariables(globals: Readonly<Record<string, string>>): void {
    const names = Object.keys(globals);
    const same = names.length === Object.keys(this.globals).length && names.every((name) => this.globals[name] === globals[name]);
    if (same) return;
    this.globals = { ...globals };
    this.changed.fire();
  }

  lifecycles(): SessionCookieLifecycle[] {
    return this.tracker.lifecycles();
  }

  /** Applies new defaults; the pool is rebuilt (idle connections closed) since TLS and proxy settings live in it. */
  updateDefaults(defaults: SessionDefaults): void {
    this.defaults = defaults;
    this.auth = defaults.auth && authSchemeFor(defaults.auth);
    this.tracker.setNames(this.cookieNames());
    if (this.injectedDispatcher) return;
    const previous = this.dispatcher;
    this.dispatcher = createSessionDispatcher(defaults, this.probe, this.logger, this.env);
    void previous.close().catch((error: unknown) => this.logger.warn(`Closing the previous connection pool failed: ${String(error)}`));
  }

  /** JSON-safe state: the jar, the lifecycles and a bounded history with capped bodies and credentials masked. */
  serialize(): SessionState {
    return {
      version: sessionStateVersion,
      name: this.name,
      jar: this.jar.serialize(),
      lifecycles: this.tracker.toJSON(),
      history: this.exchanges
        .filter((entry) => entry.persist)
        .slice(-storedHistoryLimit)
        .map((entry) => exchangeToState(this.redact(entry, storedBodyBytes))),
      ...(Object.keys(this.globals).length > 0 && { globals: this.globals }),
      ...(this.keepTokens && this.tokens.size > 0 && { tokens: this.tokens.serialize() }),
    };
  }

  /**
   * The copy of one of this session's exchanges that may be stored elsewhere (the panel's history): credentials
   * masked, the body cut to `maxBodyBytes`. Undefined for a `@no-log` request, which is never stored.
   */
  storableExchange(exchange: Exchange, maxBodyBytes: number): Exchange | undefined {
    const entry = this.exchanges.find((candidate) => candidate.exchange.id === exchange.id) ?? { exchange, persist: true, secrets: new SecretValues() };
    return entry.persist ? this.redact(entry, maxBodyBytes) : undefined;
  }

  dispose(): void {
    this.probe.dispose();
    this.changed.dispose();
    this.exchanged.dispose();
    if (!this.injectedDispatcher) void this.dispatcher.close().catch(() => undefined);
  }

  /** What the doctor needs besides the exchange: everything before it, and the jar after it. */
  private doctorContext(request: HttpRequest, requestBody: string | undefined, hints: SendHints): DoctorContext {
    const directives = request.options ?? {};
    return {
      history: this.history,
      lifecycles: this.tracker.lifecycles(),
      jar: this.jar.list(),
      sessionCookieNames: this.cookieNames(),
      csrf: this.csrfNames(),
      // Only the request's own directives: a fix that removes `# @csrf off` needs it to be written there.
      directives: { ...(directives.noCookieJar ? { noCookieJar: true } : {}), ...(directives.csrf ? { csrf: directives.csrf } : {}) },
      loginRequestNames: hints.loginRequestNames ?? [],
      ...(requestBody !== undefined ? { requestBody } : {}),
      tokenHistory: (accessToken) => {
        const configName = Object.entries(this.tokens.serialize()).find(([, token]) => token.accessToken === accessToken)?.[0];
        return tokenHistories(this.tokenTimeline()).find((history) => history.configName === configName);
      },
      clock: this.clock,
    };
  }

  private csrfNames(): CsrfNames {
    const csrf = this.defaults.csrf ?? {};
    return {
      cookieName: csrf.cookieName || defaultCsrfNames.cookieName,
      headerName: csrf.headerName || defaultCsrfNames.headerName,
      fieldName: csrf.fieldName || defaultCsrfNames.fieldName,
    };
  }

  /**
   * In `auto` mode an unsafe request carries the jar's current CSRF token cookie as the CSRF header (Spring's
   * CookieCsrfTokenRepository), unless it carries its own token or keeps the jar out (`# @no-cookie-jar`).
   * Asked per hop: the token is the one the jar holds for that hop's URL, so a redirect to another host gets none of it.
   */
  private csrfHeader(request: HttpRequest, hop: HopRequest): readonly [string, string] | undefined {
    const directives = request.options ?? {};
    if (directives.noCookieJar) return undefined;
    const mode = directives.csrf ?? this.defaults.csrf?.mode ?? 'auto';
    return csrfHeaderFor(hop, { mode, ...this.csrfNames() }, (name, url) => this.jar.valueFor(name, url));
  }

  private redact(entry: { exchange: Exchange; secrets: SecretValues }, maxBodyBytes: number): Exchange {
    return redactExchange(entry.exchange, { secrets: entry.secrets, headerNames: [this.csrfNames().headerName], maxBodyBytes });
  }

  private cookieNames(): string[] {
    return [...defaultSessionCookieNames, ...(this.defaults.sessionCookieNames ?? [])];
  }

  private limits(request: HttpRequest): ExchangeLimits {
    const directives = request.options ?? {};
    const timeoutMs = directives.timeoutMs ?? this.defaults.timeoutMs;
    const connectTimeoutMs = directives.connectionTimeoutMs ?? this.defaults.connectTimeoutMs;
    return {
      followRedirects: !directives.noRedirect && this.defaults.followRedirects !== false,
      maxRedirects: this.defaults.maxRedirects ?? defaultMaxRedirects,
      maxBodyBytes: this.defaults.maxBodyBytes ?? defaultMaxBodyBytes,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(connectTimeoutMs !== undefined ? { connectTimeoutMs } : {}),
    };
  }

  /** Default headers go first; a header the request writes replaces the default of the same name. */
  private withDefaults(headers: HeaderList): HeaderList {
    const extra: (readonly [string, string])[] = [];
    const addUnlessWritten = (header: readonly [string, string]) => {
      if (!hasHeader(headers, header[0].toLowerCase()) && !hasHeader(extra, header[0].toLowerCase())) extra.push(header);
    };
    for (const header of this.defaults.headers ?? []) addUnlessWritten(header);
    addUnlessWritten(['User-Agent', userAgent]);
    // The transport decodes these, as requests.Session does; a request that writes its own (`identity` too) keeps it.
    addUnlessWritten(['Accept-Encoding', 'gzip, deflate, br']);
    return [...extra, ...headers];
  }

  /** Traces each hop with secret headers masked by name and the request's secret values masked wherever they appear. */
  private wireTrace(secrets: SecretValues): WireTrace {
    const names = [this.csrfNames().headerName];
    const headerLines = (headers: HeaderList) => headers.map(([name, value]) => `\n  ${name}: ${maskHeaderValue(name, value, names)}`).join('');
    const trace = (line: string) => this.logger.trace(secrets.mask(line));
    return {
      request: (method, url, headers) => trace(`→ ${method} ${url}${headerLines(headers)}`),
      response: (status, statusText, headers, elapsedMs, reused) =>
        trace(`← ${status} ${statusText} (${Math.round(elapsedMs)} ms, ${reused ? 'reused' : 'new'} connection)${headerLines(headers)}`),
      failure: (error) => trace(`✗ ${error.code}: ${error.message}`),
    };
  }
}
