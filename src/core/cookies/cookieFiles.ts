import type { CookieRecord } from '../model/exchange';

/** A line of an imported file that was not taken, and why (line is 1-based, as editors show it). */
export interface CookieFileProblem {
  readonly line: number;
  readonly message: string;
  /** `error`: the line is malformed; `skipped`: well-formed but not imported (e.g. already expired). */
  readonly kind: 'error' | 'skipped';
}

export interface ParsedCookieFile {
  readonly cookies: CookieRecord[];
  readonly problems: CookieFileProblem[];
}

export type CookieFileFormat = 'netscape' | 'jetbrains';

const httpOnlyPrefix = '#HttpOnly_';

// Hand-written: the formats are a few tab-separated fields; no maintained npm package reads both
// curl's and JetBrains' files into tough-cookie-shaped records with per-line errors.

/** Reads a Netscape cookies.txt (what `curl -c` writes and `curl -b` reads). */
export function parseNetscapeCookies(text: string, now: number): ParsedCookieFile {
  const cookies: CookieRecord[] = [];
  const problems: CookieFileProblem[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = index + 1;
    let content = raw.trim() === '' ? '' : raw;
    let httpOnly = false;
    if (content.startsWith(httpOnlyPrefix)) {
      httpOnly = true;
      content = content.slice(httpOnlyPrefix.length);
    } else if (content === '' || content.startsWith('#')) {
      return;
    }
    const fields = content.split('\t');
    if (fields.length === 6) fields.push(''); // curl drops the tab before an empty value
    if (fields.length !== 7) {
      problems.push({ line, kind: 'error', message: `expected 7 tab-separated fields (domain, subdomains, path, secure, expiry, name, value), found ${fields.length}` });
      return;
    }
    const [domainField, subdomains, path, secure, expiry, name, value] = fields;
    const flag = (field: string, what: string): boolean | undefined => {
      if (/^true$/i.test(field)) return true;
      if (/^false$/i.test(field)) return false;
      problems.push({ line, kind: 'error', message: `${what} must be TRUE or FALSE, found '${field}'` });
      return undefined;
    };
    const includeSubdomains = flag(subdomains, 'the subdomains field');
    const isSecure = flag(secure, 'the secure field');
    if (includeSubdomains === undefined || isSecure === undefined) return;
    if (!/^\d+$/.test(expiry)) {
      problems.push({ line, kind: 'error', message: `expiry must be seconds since 1970 (0 for a session cookie), found '${expiry}'` });
      return;
    }
    const cookie = checkedRecord({
      name,
      value,
      domain: domainField,
      path,
      expires: expiry === '0' ? undefined : new Date(Number(expiry) * 1000).toISOString(),
      secure: isSecure,
      httpOnly,
      hostOnly: !includeSubdomains && !domainField.startsWith('.'),
    });
    addChecked(cookie, line, now, cookies, problems);
  });
  return { cookies, problems };
}

/** Writes a Netscape cookies.txt that `curl -b` reads. */
export function formatNetscapeCookies(cookies: readonly CookieRecord[]): string {
  const lines = ['# Netscape HTTP Cookie File', '# Written by HTTP Session; usable with curl -b', ''];
  for (const c of cookies) {
    const domain = c.hostOnly ? c.domain : `.${c.domain}`;
    const expiry = c.expires ? String(Math.floor(Date.parse(c.expires) / 1000)) : '0';
    lines.push([`${c.httpOnly ? httpOnlyPrefix : ''}${domain}`, c.hostOnly ? 'FALSE' : 'TRUE', c.path, c.secure ? 'TRUE' : 'FALSE', expiry, c.name, c.value].join('\t'));
  }
  return lines.join('\n') + '\n';
}

const jetbrainsHeader = '# domain\tpath\tname\tvalue\tdate';

/** Reads JetBrains' `http-client.cookies` (domain, path, name, value, date; `-1` = session cookie). */
export function parseJetBrainsCookies(text: string, now: number): ParsedCookieFile {
  const cookies: CookieRecord[] = [];
  const problems: CookieFileProblem[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const fields = raw.split('\t');
    if (fields.length !== 5) {
      problems.push({ line, kind: 'error', message: `expected 5 tab-separated fields (domain, path, name, value, date), found ${fields.length}` });
      return;
    }
    const [domain, path, name, value, date] = fields;
    let expires: string | undefined;
    if (date.trim() !== '-1') {
      const parsed = /^\d+$/.test(date) ? Number(date) : Date.parse(date);
      if (Number.isNaN(parsed)) {
        problems.push({ line, kind: 'error', message: `date must be -1 (session cookie) or a date, found '${date}'` });
        return;
      }
      expires = new Date(parsed).toISOString();
    }
    const cookie = checkedRecord({ name, value, domain, path, expires, secure: false, httpOnly: false, hostOnly: !domain.startsWith('.') });
    addChecked(cookie, line, now, cookies, problems);
  });
  return { cookies, problems };
}

/** Writes JetBrains' `http-client.cookies`. */
export function formatJetBrainsCookies(cookies: readonly CookieRecord[]): string {
  const lines = [jetbrainsHeader];
  for (const c of cookies) {
    lines.push([c.hostOnly ? c.domain : `.${c.domain}`, c.path, c.name, c.value, c.expires ? new Date(c.expires).toUTCString() : '-1'].join('\t'));
  }
  return lines.join('\n') + '\n';
}

/** Reads a raw `Cookie:` header (with or without the name) as host-only cookies for the URL's host, Path=/. */
export function parseCookieHeader(header: string, url: string): ParsedCookieFile {
  const problems: CookieFileProblem[] = [];
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return { cookies: [], problems: [{ line: 1, kind: 'error', message: `'${url}' is not a URL` }] };
  }
  const cookies: CookieRecord[] = [];
  for (const pair of header.replace(/^\s*cookie\s*:/i, '').split(';')) {
    if (pair.trim() === '') continue;
    const equals = pair.indexOf('=');
    const name = (equals < 0 ? '' : pair.slice(0, equals)).trim();
    if (!name) {
      problems.push({ line: 1, kind: 'error', message: `'${pair.trim()}' is not name=value` });
      continue;
    }
    cookies.push({ name, value: pair.slice(equals + 1).trim(), domain: host, path: '/', secure: false, httpOnly: false, hostOnly: true });
  }
  return { cookies, problems };
}

/** Parses a cookie file in the given format. */
export function parseCookieFile(text: string, format: CookieFileFormat, now: number): ParsedCookieFile {
  return format === 'netscape' ? parseNetscapeCookies(text, now) : parseJetBrainsCookies(text, now);
}

/** Formats cookies in the given format. */
export function formatCookieFile(cookies: readonly CookieRecord[], format: CookieFileFormat): string {
  return format === 'netscape' ? formatNetscapeCookies(cookies) : formatJetBrainsCookies(cookies);
}

/** Guesses the format of a cookie file from its content. */
export function detectCookieFileFormat(text: string): CookieFileFormat {
  const firstCookieLine = text.split(/\r\n|\r|\n/).find((l) => l.trim() !== '' && (!l.startsWith('#') || l.startsWith(httpOnlyPrefix)));
  if (text.startsWith(jetbrainsHeader)) return 'jetbrains';
  return firstCookieLine && firstCookieLine.split('\t').length === 5 ? 'jetbrains' : 'netscape';
}

function checkedRecord(record: CookieRecord): CookieRecord | string {
  if (!record.name) return 'the cookie has no name';
  if (!record.domain || record.domain === '.') return 'the cookie has no domain';
  if (!record.path.startsWith('/')) return `path must start with '/', found '${record.path}'`;
  if (/[;\s]/.test(record.name) || /[;\r\n]/.test(record.value)) return `'${record.name}' has characters a cookie cannot carry`;
  // Leading dots and IPv6 brackets are notation; the jar keeps the bare host.
  const { expires, ...rest } = record;
  const domain = record.domain.replace(/^\./, '').replace(/^\[|\]$/g, '').toLowerCase();
  return expires === undefined ? { ...rest, domain } : { ...rest, domain, expires };
}

function addChecked(cookie: CookieRecord | string, line: number, now: number, cookies: CookieRecord[], problems: CookieFileProblem[]): void {
  if (typeof cookie === 'string') {
    problems.push({ line, kind: 'error', message: cookie });
  } else if (cookie.expires && Date.parse(cookie.expires) <= now) {
    problems.push({ line, kind: 'skipped', message: `'${cookie.name}' expired on ${cookie.expires}` });
  } else {
    cookies.push(cookie);
  }
}
