import type { Dispatcher } from 'undici';
import { HttpSessionError } from '../errors';
import type { CookieRecord, ExchangeCookies, HeaderList, HttpRequest, RedirectHop, RejectedCookie, ResponseRecord, Timings } from '../model/exchange';
import { headerValue } from '../model/headers';
import type { Logger } from '../ports';
import type { ConnectionProbe } from './connectionProbe';
import { type JarCookie, mergeCookieHeader } from './cookieHeader';
import { type HopRequest, isRedirectStatus, nextHop } from './redirect';
import { type HopResponse, sendHop } from './transport';
import { toHttpSessionError } from './transportError';

/** The cookie jar as the sender needs it. */
export interface ExchangeCookieJar {
  cookiesFor(url: string): Promise<JarCookie[]>;
  store(url: string, setCookies: readonly string[]): Promise<{ stored: CookieRecord[]; rejected: RejectedCookie[] }>;
}

/** Hears what goes over the wire, hop by hop (the session masks secrets and logs it). */
export interface WireTrace {
  request(method: string, url: string, headers: HeaderList): void;
  response(status: number, statusText: string, headers: HeaderList, elapsedMs: number, connectionReused: boolean): void;
  failure(error: HttpSessionError): void;
}

/** Limits and switches for one exchange, after defaults and directives are combined. */
export interface ExchangeLimits {
  readonly followRedirects: boolean;
  readonly maxRedirects: number;
  readonly maxBodyBytes: number;
  readonly timeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

export interface ExchangeContext {
  readonly dispatcher: Dispatcher;
  readonly probe: ConnectionProbe;
  /** Undefined for `@no-cookie-jar`: nothing is sent from the jar and nothing is stored. */
  readonly jar?: ExchangeCookieJar;
  readonly limits: ExchangeLimits;
  /** Undefined for `@no-log`. */
  readonly trace?: WireTrace;
  /**
   * The automatic CSRF header for one hop, from the jar's token for that hop's URL: computed per hop like the
   * cookies, so host A's token never follows a redirect to host B. Undefined when the session adds none.
   */
  readonly csrfHeader?: (hop: HopRequest) => readonly [string, string] | undefined;
  readonly logger: Logger;
}

/** An exchange minus what the session adds (id, session name, start time, lifecycle events, findings). */
export interface ExchangeOutcome {
  readonly request: { readonly method: string; readonly url: string; readonly headers: HeaderList; readonly bodySize: number };
  readonly response?: ResponseRecord;
  readonly error?: HttpSessionError;
  readonly timings: Timings;
  readonly connectionReused: boolean;
  readonly cookies: ExchangeCookies;
  readonly redirects: readonly RedirectHop[];
}

const noCookies: ExchangeCookies = { sent: [], stored: [], rejected: [] };

function byteLength(body: string | Uint8Array | undefined): number {
  return body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

/**
 * Sends a request hop by hop: jar cookies merged per hop, Set-Cookie stored from every hop (3xx included),
 * redirects followed by hand so each hop is recorded. Never rejects for transport failures: they come back in `error`.
 */
export async function executeExchange(request: HttpRequest, context: ExchangeContext, signal?: AbortSignal): Promise<ExchangeOutcome> {
  const started = performance.now();
  const { limits, jar } = context;
  const controller = new AbortController();
  const onUserAbort = () => controller.abort(new HttpSessionError('HS_ABORTED', 'The request was cancelled.', { cause: signal?.reason }));
  if (signal?.aborted) onUserAbort();
  signal?.addEventListener('abort', onUserAbort, { once: true });
  const totalTimer =
    limits.timeoutMs !== undefined
      ? setTimeout(() => controller.abort(new HttpSessionError('HS_TIMEOUT', `No complete response within ${limits.timeoutMs} ms.`)), limits.timeoutMs)
      : undefined;

  let hop: HopRequest = { method: request.method, url: request.url, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}) };
  let sentHeaders: HeaderList = request.headers;
  let hopCookies: ExchangeCookies = noCookies;
  const redirects: RedirectHop[] = [];
  // The exchange keeps what every hop stored or rejected; `sent` is the final hop's.
  const stored: CookieRecord[] = [];
  const rejected: RejectedCookie[] = [];
  const outcome = (rest: Pick<ExchangeOutcome, 'response' | 'error' | 'connectionReused'> & { timings?: Omit<Timings, 'totalMs'> }): ExchangeOutcome => ({
    request: { method: hop.method, url: hop.url, headers: sentHeaders, bodySize: byteLength(hop.body) },
    ...(rest.response ? { response: rest.response } : {}),
    ...(rest.error ? { error: rest.error } : {}),
    timings: { ...rest.timings, totalMs: performance.now() - started },
    connectionReused: rest.connectionReused,
    cookies: { sent: hopCookies.sent, stored, rejected },
    redirects,
  });

  try {
    for (;;) {
      const parsed = parseHttpUrl(hop.url);
      const jarCookies = jar ? await jar.cookiesFor(parsed.href) : [];
      const merged = mergeCookieHeader(hop.headers, jarCookies);
      const csrf = context.csrfHeader?.(hop);
      sentHeaders = csrf ? [...merged.headers, csrf] : merged.headers;
      hopCookies = { sent: merged.sent, stored: [], rejected: [] };
      context.trace?.request(hop.method, hop.url, sentHeaders);
      const response: HopResponse = await sendHop(
        { ...hop, headers: sentHeaders },
        {
          dispatcher: context.dispatcher,
          probe: context.probe,
          logger: context.logger,
          maxBodyBytes: limits.maxBodyBytes,
          signal: controller.signal,
          ...(limits.connectTimeoutMs !== undefined ? { connectTimeoutMs: limits.connectTimeoutMs } : {}),
        },
      );
      const setCookies = response.headers.filter(([name]) => name.toLowerCase() === 'set-cookie').map(([, value]) => value);
      const saved = jar && setCookies.length ? await jar.store(hop.url, setCookies) : { stored: [], rejected: [] };
      hopCookies = { sent: merged.sent, ...saved };
      stored.push(...saved.stored);
      rejected.push(...saved.rejected);
      const timings = {
        ...(response.connectMs !== undefined ? { connectMs: response.connectMs } : {}),
        ...(response.tlsMs !== undefined ? { tlsMs: response.tlsMs } : {}),
        firstByteMs: response.firstByteMs,
        downloadMs: response.downloadMs,
      };
      context.trace?.response(response.status, response.statusText, response.headers, performance.now() - started, response.connectionReused);
      const location = headerValue(response.headers, 'location');
      const follow = limits.followRedirects && isRedirectStatus(response.status) && location !== undefined;
      if (!follow) {
        const record: ResponseRecord = {
          status: response.status,
          statusText: response.statusText,
          httpVersion: response.httpVersion,
          headers: response.headers,
          body: response.body,
          bodySize: response.bodySize,
          truncated: response.truncated,
          ...(response.encodedBodySize !== undefined ? { encodedBodySize: response.encodedBodySize } : {}),
          ...(response.decodingProblem !== undefined ? { decodingProblem: response.decodingProblem } : {}),
          url: hop.url,
        };
        return outcome({ response: record, connectionReused: response.connectionReused, timings });
      }
      if (redirects.length >= limits.maxRedirects) {
        throw new HttpSessionError('HS_TOO_MANY_REDIRECTS', `More than ${limits.maxRedirects} redirects, the last to ${location}.`);
      }
      redirects.push({ method: hop.method, url: hop.url, status: response.status, location, cookies: hopCookies });
      hop = nextHop(hop, response.status, location);
    }
  } catch (error) {
    const failure = toHttpSessionError(error, hop.url);
    context.trace?.failure(failure);
    return outcome({ error: failure, connectionReused: false });
  } finally {
    clearTimeout(totalTimer);
    signal?.removeEventListener('abort', onUserAbort);
  }
}

function parseHttpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new HttpSessionError('HS_INVALID_URL', `Not a valid URL: ${url}`, { cause });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new HttpSessionError('HS_INVALID_URL', `Only http and https URLs can be sent: ${url}`);
  return parsed;
}
