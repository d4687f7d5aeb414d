import type { HeaderList, SentCookie } from '../model/exchange';

/** A cookie the jar would send: name and value only. */
export interface JarCookie {
  readonly name: string;
  readonly value: string;
}

/** Splits a Cookie header value into name/value pairs, in order. */
export function parseCookieHeader(value: string): JarCookie[] {
  const cookies: JarCookie[] = [];
  for (const part of value.split(';')) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const equals = trimmed.indexOf('=');
    cookies.push(equals < 0 ? { name: '', value: trimmed } : { name: trimmed.slice(0, equals).trim(), value: trimmed.slice(equals + 1).trim() });
  }
  return cookies;
}

/**
 * Merges jar cookies into hand-written Cookie headers: a written cookie wins for its name, the other
 * jar cookies are added after the written ones, and exactly one Cookie header goes out (in place of the first written one).
 */
export function mergeCookieHeader(headers: HeaderList, jarCookies: readonly JarCookie[]): { headers: HeaderList; sent: SentCookie[] } {
  const isCookie = (name: string) => name.toLowerCase() === 'cookie';
  const written = headers.filter(([name]) => isCookie(name)).flatMap(([, value]) => parseCookieHeader(value));
  const writtenNames = new Set(written.map((cookie) => cookie.name));
  const jarNames = new Set(jarCookies.map((cookie) => cookie.name));
  const sent: SentCookie[] = [
    ...written.map((cookie): SentCookie => (jarNames.has(cookie.name) ? { ...cookie, source: 'header', overrodeJar: true } : { ...cookie, source: 'header' })),
    ...jarCookies.filter((cookie) => !writtenNames.has(cookie.name)).map((cookie): SentCookie => ({ name: cookie.name, value: cookie.value, source: 'jar' })),
  ];
  const firstCookieIndex = headers.findIndex(([name]) => isCookie(name));
  const others = headers.filter(([name]) => !isCookie(name));
  if (sent.length === 0) return { headers: others, sent };
  const line = sent.map((cookie) => (cookie.name ? `${cookie.name}=${cookie.value}` : cookie.value)).join('; ');
  const headerName = firstCookieIndex >= 0 ? headers[firstCookieIndex][0] : 'Cookie';
  const at = firstCookieIndex >= 0 ? firstCookieIndex : others.length;
  return { headers: [...others.slice(0, at), [headerName, line] as const, ...others.slice(at)], sent };
}
