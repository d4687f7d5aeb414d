import { isConcurrentLoginExpiry, rememberMeCookieNames } from './springSignals';
import type { CookieRecord, Exchange, ExchangeCookies, SessionCookieEvent, SessionCookieEventKind, SessionCookieLifecycle, SessionEndCause } from '../model/exchange';

/** The cookie names Tomcat/Jetty (JSESSIONID) and Spring Session (SESSION) use. */
export const defaultSessionCookieNames: readonly string[] = ['JSESSIONID', 'SESSION'];

const maxEventsPerCookie = 100;
const loginPage = /\/(login|signin|sign-in|logon)\b/i;

/** A lifecycle plus the value the tracker last saw (not exposed: it is a credential). */
interface TrackedCookie {
  lifecycle: SessionCookieLifecycle;
  value?: string;
  active: boolean;
}

/** JSON-safe tracker state, kept in the session's stored state. */
export interface LifecycleState {
  readonly cookies: readonly { readonly lifecycle: SessionCookieLifecycle; readonly value?: string; readonly active: boolean }[];
}

/** One hop of an exchange as the tracker reads it. */
interface ObservedHop {
  readonly url: string;
  readonly status: number;
  readonly location?: string;
  readonly cookies: ExchangeCookies;
  /** The body is Spring's answer for a session expired by a newer login. */
  readonly concurrentLoginExpiry?: boolean;
}

type ExchangeView = Pick<Exchange, 'id' | 'startedAt' | 'redirects' | 'response' | 'cookies'> & { readonly request: { readonly name?: string } };

function hostOf(url: string): string {
  return new URL(url).hostname.toLowerCase();
}

/** "Issued by" for an unnamed request: the path that set the cookie (an exchange id means nothing to a user). */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function domainMatches(host: string, domain: string): boolean {
  const bare = domain.replace(/^\./, '').toLowerCase();
  return host === bare || host.endsWith(`.${bare}`);
}

function locationOf(hop: ObservedHop): URL | undefined {
  if (hop.status < 300 || hop.status >= 400 || !hop.location) return undefined;
  try {
    return new URL(hop.location, hop.url);
  } catch {
    return undefined;
  }
}

/** A logout that took effect: `/logout` answered without error, or Spring's redirect to `/login?logout`. */
function isLogout(hop: ObservedHop): boolean {
  if (locationOf(hop)?.searchParams.has('logout')) return true;
  return hop.status < 400 && /\/(logout|signout|sign-out|logoff)\/?$/i.test(new URL(hop.url).pathname);
}

/** The server sent the request to its login page: it has no (authenticated) session for it. A logout's redirect is not one. */
function isLoginRedirect(hop: ObservedHop): boolean {
  const location = locationOf(hop);
  return location !== undefined && loginPage.test(location.pathname) && !isLogout(hop);
}

function isCleared(record: CookieRecord, at: number): boolean {
  return record.expires !== undefined && Date.parse(record.expires) <= at;
}

/** The hops of an exchange in order: every redirect, then the final response. */
function hopsOf(exchange: ExchangeView): ObservedHop[] {
  const hops: ObservedHop[] = exchange.redirects.map((hop) => ({ url: hop.url, status: hop.status, location: hop.location, cookies: hop.cookies }));
  if (exchange.response) {
    const location = exchange.response.headers.find(([name]) => name.toLowerCase() === 'location')?.[1];
    // The exchange's `stored`/`rejected` cover every hop; the redirect hops already reported theirs.
    const earlierStored = exchange.redirects.reduce((n, hop) => n + hop.cookies.stored.length, 0);
    const earlierRejected = exchange.redirects.reduce((n, hop) => n + hop.cookies.rejected.length, 0);
    hops.push({
      url: exchange.response.url,
      status: exchange.response.status,
      ...(location !== undefined ? { location } : {}),
      cookies: { sent: exchange.cookies.sent, stored: exchange.cookies.stored.slice(earlierStored), rejected: exchange.cookies.rejected.slice(earlierRejected) },
      concurrentLoginExpiry: isConcurrentLoginExpiry(exchange.response.body),
    });
  }
  return hops;
}

/**
 * Follows session cookies (JSESSIONID, SESSION, configured names) through exchanges: issued, rotated, cleared,
 * rejected by the server or the jar, and the idle gaps that bracket the server's session timeout. Pure: time comes from the exchange.
 */
export class SessionCookieTracker {
  private readonly cookies: TrackedCookie[];

  constructor(
    private names: readonly string[] = defaultSessionCookieNames,
    state?: LifecycleState,
  ) {
    this.cookies = state ? state.cookies.map((cookie) => ({ ...cookie, lifecycle: { ...cookie.lifecycle } })) : [];
  }

  setNames(names: readonly string[]): void {
    this.names = names;
  }

  isSessionCookie(name: string): boolean {
    return this.names.includes(name);
  }

  lifecycles(): SessionCookieLifecycle[] {
    return this.cookies.map((cookie) => cookie.lifecycle);
  }

  /** Drops the values kept for the cookies of `domain` (all when undefined): the jar no longer holds them, and they are credentials. */
  forgetValues(domain?: string): void {
    const bare = domain?.replace(/^\./, '').toLowerCase();
    for (const cookie of this.cookies) {
      if (bare === undefined || cookie.lifecycle.domain === bare || cookie.lifecycle.domain.endsWith(`.${bare}`)) delete cookie.value;
    }
  }

  toJSON(): LifecycleState {
    return { cookies: this.cookies.map((cookie) => ({ lifecycle: cookie.lifecycle, ...(cookie.value !== undefined ? { value: cookie.value } : {}), active: cookie.active })) };
  }

  /** Updates the lifecycles from one finished exchange and returns the events it caused. */
  observe(exchange: ExchangeView): SessionCookieEvent[] {
    const events: SessionCookieEvent[] = [];
    const at = exchange.startedAt;
    const hops = hopsOf(exchange);
    hops.forEach((hop) => {
      const emit = (tracked: TrackedCookie, kind: SessionCookieEventKind, changes: Partial<SessionCookieLifecycle>, idleGapMs?: number, cause?: SessionEndCause) => {
        const event: SessionCookieEvent = {
          kind,
          cookieName: tracked.lifecycle.cookieName,
          domain: tracked.lifecycle.domain,
          path: tracked.lifecycle.path,
          at,
          exchangeId: exchange.id,
          ...(exchange.request.name ? { requestName: exchange.request.name } : {}),
          url: hop.url,
          ...(idleGapMs !== undefined ? { idleGapMs } : {}),
          ...(cause !== undefined ? { cause } : {}),
        };
        tracked.lifecycle = { ...tracked.lifecycle, ...changes, events: [...tracked.lifecycle.events, event].slice(-maxEventsPerCookie) };
        events.push(event);
      };
      const freshNames = new Set(hop.cookies.stored.filter((record) => this.isSessionCookie(record.name) && !isCleared(record, at)).map((record) => record.name));
      const forgotten = hop.status === 401 || isLoginRedirect(hop) || (hop.status === 403 && hop.cookies.sent.some((sent) => freshNames.has(sent.name)));
      // The sent session was gone and the remember-me cookie logged the user in again: a new session, not a rotation.
      const rememberedAgain = (name: string): boolean =>
        freshNames.has(name) && !loginPage.test(new URL(hop.url).pathname) && hop.cookies.sent.some((sent) => rememberMeCookieNames.includes(sent.name));
      const renewed: TrackedCookie[] = [];
      const loggedOut = isLogout(hop);
      const endedByLogout: TrackedCookie[] = [];

      for (const sent of hop.cookies.sent) {
        if (!this.isSessionCookie(sent.name)) continue;
        const tracked = this.findSent(sent.name, sent.value, hostOf(hop.url));
        if (!tracked) continue;
        if (loggedOut) {
          // The user ended the session: no rejection, no idle observation (ended below unless the hop clears the cookie).
          tracked.lifecycle = { ...tracked.lifecycle, lastSentAt: at };
          endedByLogout.push(tracked);
          continue;
        }
        // A session that already ended (logged out, or rejected before) says nothing new about the server's timeout.
        if (!tracked.active) continue;
        if (hop.concurrentLoginExpiry) {
          // Ended by a newer login, not by idling: no bound on the timeout. Spring Session also clears the cookie (below).
          tracked.lifecycle = { ...tracked.lifecycle, lastSentAt: at };
          if (!hop.cookies.stored.some((record) => record.name === sent.name && isCleared(record, at))) {
            emit(tracked, 'rejected-by-server', { endedAt: at }, undefined, 'concurrent-login');
            tracked.active = false;
          }
          continue;
        }
        // The server last touched the session at the last success, or when it issued the cookie.
        const touchedAt = tracked.lifecycle.lastSuccessAt ?? tracked.lifecycle.issuedAt;
        const idle = touchedAt !== undefined ? at - touchedAt : undefined;
        const remembered = rememberedAgain(sent.name);
        if (forgotten || remembered) {
          const shortest = tracked.lifecycle.shortestFailedIdleMs;
          // Only a session that once worked bounds the timeout: an anonymous one was never accepted in the first place.
          const bounds = idle !== undefined && tracked.lifecycle.lastSuccessAt !== undefined;
          emit(tracked, 'rejected-by-server', {
            lastSentAt: at,
            endedAt: at,
            ...(bounds ? { shortestFailedIdleMs: shortest === undefined ? idle : Math.min(shortest, idle) } : {}),
          }, idle, remembered ? 'remember-me' : undefined);
          tracked.active = false;
          if (remembered) renewed.push(tracked);
        } else {
          const success = hop.status >= 200 && hop.status < 400;
          const longest = tracked.lifecycle.longestWorkingIdleMs;
          tracked.lifecycle = {
            ...tracked.lifecycle,
            lastSentAt: at,
            ...(success ? { lastSuccessAt: at } : {}),
            ...(success && idle !== undefined ? { longestWorkingIdleMs: longest === undefined ? idle : Math.max(longest, idle) } : {}),
          };
        }
      }

      for (const record of hop.cookies.stored) {
        if (!this.isSessionCookie(record.name)) continue;
        const tracked = this.findOrCreate(record);
        if (isCleared(record, at)) {
          if (tracked.active) emit(tracked, 'cleared', { endedAt: at }, undefined, hop.concurrentLoginExpiry ? 'concurrent-login' : undefined);
          tracked.active = false;
          delete tracked.value;
        } else if (!tracked.active) {
          // A new session for this cookie: what ended the previous one no longer applies (the idle bracket does).
          const { endedAt: _ended, lastSuccessAt: _success, ...rest } = tracked.lifecycle;
          tracked.lifecycle = rest;
          emit(tracked, 'issued', { issuedAt: at, issuedBy: exchange.request.name ?? pathOf(hop.url) }, undefined, renewed.includes(tracked) ? 'remember-me' : undefined);
          tracked.active = true;
          tracked.value = record.value;
        } else if (tracked.value !== record.value) {
          emit(tracked, 'rotated', { lastRotatedAt: at });
          tracked.value = record.value;
        }
      }

      for (const tracked of endedByLogout) {
        if (!tracked.active) continue;
        // Spring keeps the cookie after logout; its value is kept so later sends of it are recognised as ended.
        tracked.lifecycle = { ...tracked.lifecycle, endedAt: at };
        tracked.active = false;
      }

      for (const rejected of hop.cookies.rejected) {
        const name = rejected.setCookie.split(';', 1)[0].split('=', 1)[0].trim();
        if (!this.isSessionCookie(name)) continue;
        const host = hostOf(hop.url);
        const tracked = this.cookies.find((cookie) => cookie.lifecycle.cookieName === name && domainMatches(host, cookie.lifecycle.domain)) ?? this.findOrCreate({ name, domain: host, path: '/' });
        emit(tracked, 'rejected-by-jar', {});
      }
    });
    return events;
  }

  private findSent(name: string, value: string, host: string): TrackedCookie | undefined {
    const candidates = this.cookies.filter((cookie) => cookie.lifecycle.cookieName === name && domainMatches(host, cookie.lifecycle.domain));
    return candidates.find((cookie) => cookie.value === value) ?? candidates.find((cookie) => cookie.active);
  }

  private findOrCreate(record: Pick<CookieRecord, 'name' | 'domain' | 'path'>): TrackedCookie {
    const found = this.cookies.find((cookie) => cookie.lifecycle.cookieName === record.name && cookie.lifecycle.domain === record.domain && cookie.lifecycle.path === record.path);
    if (found) return found;
    const created: TrackedCookie = { lifecycle: { cookieName: record.name, domain: record.domain, path: record.path, events: [] }, active: false };
    this.cookies.push(created);
    return created;
  }
}
