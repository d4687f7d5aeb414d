import type { RequestDirectives } from './request';

/** Where a request came from, for "jump to request" and messages (line is zero-based). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** Ordered header list; names keep their case, duplicates are allowed. */
export type HeaderList = readonly (readonly [name: string, value: string])[];

/** A request with every variable resolved, ready for the session to send. */
export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderList;
  readonly body?: string | Uint8Array;
  readonly options?: RequestDirectives;
  readonly name?: string;
  readonly source?: SourceLocation;
  /** Secret values substituted into it (private env, process env, `.env`, cookies): masked by value wherever it is shown or stored. */
  readonly secrets?: readonly string[];
}

export type CookieSource = 'jar' | 'header';

/** A cookie that went out with a request, and who put it there. */
export interface SentCookie {
  readonly name: string;
  readonly value: string;
  readonly source: CookieSource;
  /** True when a jar cookie of the same name was held back because the written header wins. */
  readonly overrodeJar?: boolean;
}

/** A cookie as the jar holds it (a plain, serializable view of a tough-cookie Cookie). */
export interface CookieRecord {
  readonly name: string;
  readonly value: string;
  readonly domain: string;
  readonly path: string;
  /** ISO date, or undefined for a session cookie (no Expires/Max-Age). */
  readonly expires?: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite?: string;
  readonly hostOnly: boolean;
  /** ISO dates. */
  readonly creation?: string;
  readonly lastAccessed?: string;
}

/** A Set-Cookie the jar refused, or a cookie it evicted to keep within its limits, with the reason. The request still succeeds. */
export interface RejectedCookie {
  readonly setCookie: string;
  readonly url: string;
  readonly reason: string;
  /** The jar held this cookie and dropped it; `setCookie` is the cookie as it was stored. */
  readonly evicted?: true;
}

export interface ExchangeCookies {
  /** Sent with the final hop. */
  readonly sent: readonly SentCookie[];
  /** Stored from every hop, in order. */
  readonly stored: readonly CookieRecord[];
  readonly rejected: readonly RejectedCookie[];
}

/** Milliseconds. Phases the transport did not go through (a reused connection has no connect) are absent. */
export interface Timings {
  readonly connectMs?: number;
  readonly tlsMs?: number;
  readonly firstByteMs?: number;
  readonly downloadMs?: number;
  readonly totalMs: number;
}

/** One 3xx hop of a redirect chain. */
export interface RedirectHop {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly location: string;
  readonly cookies: ExchangeCookies;
}

export interface ResponseRecord {
  readonly status: number;
  /** As the server sent it (Tomcat sends none); renderers fall back to the standard phrase. */
  readonly statusText: string;
  readonly httpVersion: string;
  readonly headers: HeaderList;
  /** Decoded from its Content-Encoding, up to the configured cap. */
  readonly body: Uint8Array;
  /** Bytes of the decoded body as read (more than body.length when a stored copy was cut). */
  readonly bodySize: number;
  /** The body stops short: the cap was reached (the rest was not read), a stored copy was cut, or its encoding broke off. */
  readonly truncated: boolean;
  /** Bytes that came over the wire, when a Content-Encoding was decoded. */
  readonly encodedBodySize?: number;
  /** Why the body is shown as received (an encoding that cannot be decoded) or stops where decoding failed. */
  readonly decodingProblem?: string;
  /** URL of the final hop. */
  readonly url: string;
}

/** The response with at most `maxBytes` of its body, marked truncated when some was cut. */
export function capResponseBody(response: ResponseRecord, maxBytes: number): ResponseRecord {
  if (response.body.length <= maxBytes) return response;
  // A copy: a view (`subarray`, or Buffer's `slice`) would keep the whole body's memory alive.
  return { ...response, body: new Uint8Array(response.body.subarray(0, maxBytes)), truncated: true };
}

/** A typed transport or usage failure with a stable code (see core/errors.ts). */
export interface ExchangeError {
  readonly code: string;
  readonly message: string;
}

/** What happened to a session cookie (JSESSIONID, SESSION, configured names). */
export type SessionCookieEventKind =
  | 'issued' // first value seen for this name/domain/path
  | 'rotated' // same cookie, new value (e.g. changeSessionId() at login)
  | 'cleared' // Max-Age=0 / expired by the server
  | 'rejected-by-server' // sent, and the server answered as if there were no session
  | 'rejected-by-jar'; // the server's Set-Cookie was refused by the jar

export interface SessionCookieEvent {
  readonly kind: SessionCookieEventKind;
  readonly cookieName: string;
  readonly domain: string;
  readonly path: string;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly exchangeId: string;
  readonly requestName?: string;
  readonly url: string;
  /** For `rejected-by-server`: time since the cookie was last used successfully. */
  readonly idleGapMs?: number;
  /**
   * Why, when the server said so: `remember-me` — the session was gone and Spring's remember-me cookie
   * logged the user in again (a new session); `concurrent-login` — a newer login of the same user expired
   * this session (`maximumSessions`).
   */
  readonly cause?: SessionEndCause;
}

export type SessionEndCause = 'remember-me' | 'concurrent-login';

/** Everything known about one session cookie across the session's life. */
export interface SessionCookieLifecycle {
  readonly cookieName: string;
  readonly domain: string;
  readonly path: string;
  readonly issuedAt?: number;
  readonly issuedBy?: string;
  readonly lastRotatedAt?: number;
  readonly lastSentAt?: number;
  readonly lastSuccessAt?: number;
  readonly endedAt?: number;
  /** Longest idle gap after which the cookie still worked, ms (lower bound of the server timeout). */
  readonly longestWorkingIdleMs?: number;
  /** Shortest idle gap after which the server had forgotten it, ms (upper bound). */
  readonly shortestFailedIdleMs?: number;
  readonly events: readonly SessionCookieEvent[];
}

/** An action that fixes what a finding found. The adapter (CLI, extension) decides how to offer it. */
export type FixAction =
  | { readonly kind: 'rerun-request'; readonly requestName: string }
  | { readonly kind: 'resend' }
  | { readonly kind: 'add-header'; readonly name: string; readonly value: string }
  | { readonly kind: 'switch-host'; readonly url: string }
  | { readonly kind: 'clear-cookie'; readonly name: string; readonly domain: string; readonly path: string }
  | { readonly kind: 'remove-directive'; readonly directive: string }
  | { readonly kind: 'remove-header'; readonly name: string };

/** Every verdict the 401/403 doctor can give, by stable id (the panel, the CLI and diagnostics show them). */
export const findingIds = [
  'login-failed',
  'redirect-to-login',
  'cookie-jar-disabled',
  'stale-cookie-header',
  'cookie-rejected',
  'cookie-host-mismatch',
  'cookie-path-mismatch',
  'cookie-secure-over-http',
  'session-logged-out',
  'session-expired',
  'no-session-cookie',
  'remember-me-rejected',
  'basic-auth-required',
  'bearer-token-expired',
  'bearer-token-invalid',
  'bearer-token-missing',
  'csrf-token-missing',
  'csrf-token-stale',
  'csrf-token-unmasked',
  'csrf-token-masked',
  'access-denied',
] as const;
export type FindingId = (typeof findingIds)[number];

/** One verdict of the 401/403 doctor. */
export interface Finding {
  readonly id: FindingId;
  readonly message: string;
  readonly evidence: readonly string[];
  readonly fix?: { readonly title: string; readonly action?: FixAction };
}

/** One request and what came of it, as the session recorded it. */
/** One test of a request: a JetBrains `client.test(name, fn)` or an httpYac `?? status == 200` line. */
export interface TestResult {
  readonly name: string;
  readonly passed: boolean;
  /** Why it failed (the assertion's or the thrown error's message). */
  readonly message?: string;
}

export interface Exchange {
  readonly id: string;
  readonly sessionName: string;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly request: {
    readonly name?: string;
    readonly source?: SourceLocation;
    readonly method: string;
    readonly url: string;
    /** Headers of the final hop, exactly as sent (Cookie included). */
    readonly headers: HeaderList;
    readonly bodySize: number;
    /** The body as sent, when it is text (for copy-as-cURL); absent for binary bodies or when not recorded. */
    readonly bodyText?: string;
  };
  readonly response?: ResponseRecord;
  readonly error?: ExchangeError;
  readonly timings: Timings;
  readonly connectionReused: boolean;
  readonly cookies: ExchangeCookies;
  readonly redirects: readonly RedirectHop[];
  readonly sessionEvents: readonly SessionCookieEvent[];
  readonly findings: readonly Finding[];
  /** The request's tests (JetBrains `client.test`, httpYac `??` assertions), in the order they ran. */
  readonly tests?: readonly TestResult[];
  /** What the request's scripts wrote with `client.log`, in order. */
  readonly scriptLog?: readonly string[];
  /** A stored copy: its credentials were masked before it was stored (core/secrets.ts), so they cannot be chained. */
  readonly redacted?: boolean;
}

/**
 * The method and URL the request went out with. The exchange records its final hop, so a POST /login
 * answered 302 reads as GET /; the first redirect hop still holds what the user sent.
 */
export function requestAsSent(exchange: Exchange): { readonly method: string; readonly url: string } {
  const first = exchange.redirects[0];
  return first ? { method: first.method, url: first.url } : { method: exchange.request.method, url: exchange.request.url };
}
