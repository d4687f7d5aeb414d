import type { CookieRecord, SessionCookieLifecycle } from '../model/exchange';

// RFC 6265 scope rules, applied to the plain jar records the doctor gets (no tough-cookie needed).

interface Scoped {
  readonly name: string;
  readonly domain: string;
  readonly path: string;
  readonly hostOnly?: boolean;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '::1']);

/** A URL's host name, lower-case, without IPv6 brackets. */
export function hostOf(url: URL): string {
  return stripBrackets(url.hostname.toLowerCase());
}

function stripBrackets(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

function cookieHost(domain: string): string {
  return stripBrackets(domain.replace(/^\./, '').toLowerCase());
}

/** True for localhost, 127.0.0.1 and ::1: different names for the same loopback server. */
export function isLoopback(host: string): boolean {
  return loopbackHosts.has(host);
}

/** RFC 6265 domain-match (host-only cookies need the exact host). */
export function domainMatches(cookie: Pick<Scoped, 'domain' | 'hostOnly'>, host: string): boolean {
  const domain = cookieHost(cookie.domain);
  if (host === domain) return true;
  return cookie.hostOnly !== true && host.endsWith(`.${domain}`) && !/^[\d.]+$|:/.test(host);
}

/** RFC 6265 path-match. */
export function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** Whether a cookie's domain and path cover `url` (Secure is checked separately). */
export function inScope(cookie: Scoped, url: URL): boolean {
  return domainMatches(cookie, hostOf(url)) && pathMatches(cookie.path, url.pathname || '/');
}

/** Cookies named `name` whose domain and path cover `url`, most specific path first (the jar's send order). */
export function cookiesInScope<T extends Scoped>(cookies: readonly T[], name: string, url: URL): T[] {
  return cookies.filter((cookie) => cookie.name === name && inScope(cookie, url)).sort((a, b) => b.path.length - a.path.length);
}

/** The jar's current value of `name` for `url`, as the jar would send it. */
export function jarValueFor(jar: readonly CookieRecord[], name: string, url: URL): CookieRecord | undefined {
  return cookiesInScope(jar, name, url)[0];
}

/** The lifecycle of the session cookie `name` that covers `url`. */
export function lifecycleFor(
  lifecycles: readonly SessionCookieLifecycle[],
  name: string,
  url: URL,
): SessionCookieLifecycle | undefined {
  return cookiesInScope(
    lifecycles.map((lifecycle) => ({ ...lifecycle, name: lifecycle.cookieName })),
    name,
    url,
  )[0];
}

/** `url` with its host replaced (brackets added for IPv6). */
export function withHost(url: URL, host: string): string {
  const copy = new URL(url.href);
  copy.hostname = host.includes(':') ? `[${host}]` : host;
  return copy.href;
}

/** The host name of a cookie's domain, comparable with hostOf(). */
export function cookieHostName(cookie: Pick<Scoped, 'domain'>): string {
  return cookieHost(cookie.domain);
}
