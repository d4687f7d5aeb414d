import type { CookieRecord, ExchangeCookies, SentCookie } from '../../core/model/exchange';
import { maskSecret } from './mask';

/** One row of a cookie table, every cell already text. */
export interface CookieRow {
  readonly name: string;
  /** The real value (revealed on demand, and copied). */
  readonly value: string;
  readonly maskedValue: string;
  readonly domain: string;
  readonly path: string;
  readonly expires: string;
  readonly flags: readonly string[];
  /** Sent rows: 'jar' | 'header'; rejected rows: the jar's reason. */
  readonly note: string;
}

export interface CookieTables {
  readonly sent: readonly CookieRow[];
  readonly stored: readonly CookieRow[];
  readonly rejected: readonly CookieRow[];
}

const unknown = '—';

/** "Session" for a cookie without expiry, else the ISO date in UTC without milliseconds. */
export function expiryText(expires: string | undefined): string {
  if (!expires) return 'Session';
  const date = new Date(expires);
  if (Number.isNaN(date.getTime())) return expires;
  return date.toISOString().replace('.000Z', 'Z').replace('T', ' ');
}

export function cookieFlags(cookie: Pick<CookieRecord, 'secure' | 'httpOnly' | 'sameSite' | 'hostOnly'>): string[] {
  const flags: string[] = [];
  if (cookie.secure) flags.push('Secure');
  if (cookie.httpOnly) flags.push('HttpOnly');
  if (cookie.sameSite && cookie.sameSite !== 'none' && cookie.sameSite !== 'unspecified') flags.push(`SameSite=${capitalize(cookie.sameSite)}`);
  else if (cookie.sameSite === 'none') flags.push('SameSite=None');
  if (cookie.hostOnly) flags.push('HostOnly');
  return flags;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
}

export function storedRow(cookie: CookieRecord, note = ''): CookieRow {
  return {
    name: cookie.name,
    value: cookie.value,
    maskedValue: maskSecret(cookie.value),
    domain: cookie.domain,
    path: cookie.path,
    expires: expiryText(cookie.expires),
    flags: cookieFlags(cookie),
    note,
  };
}

/** The jar cookie a sent cookie most likely came from: same name, domain-matching, longest path prefix. */
export function matchJarCookie(sent: SentCookie, requestUrl: string, jar: readonly CookieRecord[]): CookieRecord | undefined {
  let host: string;
  let path: string;
  try {
    const url = new URL(requestUrl);
    host = url.hostname.toLowerCase();
    path = url.pathname || '/';
  } catch {
    return undefined;
  }
  const candidates = jar.filter((c) => {
    if (c.name !== sent.name) return false;
    const domain = c.domain.replace(/^\./, '').toLowerCase();
    const domainOk = c.hostOnly ? host === domain : host === domain || host.endsWith('.' + domain);
    const pathOk = path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : c.path + '/') || c.path === '/';
    return domainOk && pathOk;
  });
  // The record holding the value that was sent wins; then the most specific path.
  candidates.sort((a, b) => Number(b.value === sent.value) - Number(a.value === sent.value) || b.path.length - a.path.length);
  return candidates[0];
}

export function sentRow(cookie: SentCookie, requestUrl: string, jar: readonly CookieRecord[]): CookieRow {
  const record = cookie.source === 'jar' ? matchJarCookie(cookie, requestUrl, jar) : undefined;
  const note = cookie.overrodeJar ? `${cookie.source} (overrode jar)` : cookie.source;
  if (record) return storedRow(record, note);
  return { name: cookie.name, value: cookie.value, maskedValue: maskSecret(cookie.value), domain: unknown, path: unknown, expires: unknown, flags: [], note };
}

/** A Set-Cookie header line, split into its parts (for rejected cookies, which the jar never turned into records). */
export function parseSetCookie(line: string): Omit<CookieRow, 'note' | 'maskedValue'> {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  const name = (eq < 0 ? '' : pair.slice(0, eq)).trim();
  const value = (eq < 0 ? pair : pair.slice(eq + 1)).trim();
  let domain = '';
  let path = '';
  let expires: string | undefined;
  let maxAge: string | undefined;
  const flags: string[] = [];
  for (const attribute of attributes) {
    const aeq = attribute.indexOf('=');
    const key = (aeq < 0 ? attribute : attribute.slice(0, aeq)).trim().toLowerCase();
    const val = aeq < 0 ? '' : attribute.slice(aeq + 1).trim();
    if (key === 'domain') domain = val;
    else if (key === 'path') path = val;
    else if (key === 'expires') expires = val;
    else if (key === 'max-age') maxAge = val;
    else if (key === 'secure') flags.push('Secure');
    else if (key === 'httponly') flags.push('HttpOnly');
    else if (key === 'samesite') flags.push(`SameSite=${capitalize(val)}`);
    else if (key === 'partitioned') flags.push('Partitioned');
  }
  const expiresText = maxAge !== undefined ? `Max-Age=${maxAge}` : expires ? expiryText(expires) : 'Session';
  return { name, value, domain: domain || unknown, path: path || unknown, expires: expiresText, flags };
}

/** The three cookie tables of the Cookies tab. */
export function cookieTables(cookies: ExchangeCookies, requestUrl: string, jar: readonly CookieRecord[] = []): CookieTables {
  return {
    sent: cookies.sent.map((c) => sentRow(c, requestUrl, jar)),
    stored: cookies.stored.map((c) => storedRow(c)),
    rejected: cookies.rejected.map((r) => {
      const parsed = parseSetCookie(r.setCookie);
      return { ...parsed, maskedValue: maskSecret(parsed.value), note: r.reason };
    }),
  };
}
