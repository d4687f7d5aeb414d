import { Cookie, CookieJar, type SerializedCookieJar } from 'tough-cookie';
import { HttpSessionError } from '../errors';
import type { CookieRecord, RejectedCookie } from '../model/exchange';
import type { Clock } from '../ports';
import type { JarCookie } from '../send/cookieHeader';
import type { ExchangeCookieJar } from '../send/executeExchange';

// Secure means https everywhere, localhost included: what the server does in production is what the
// user sees here, and the 401 doctor can explain a Secure cookie sent over http.
const jarOptions = { rejectPublicSuffixes: true, allowSecureOnLocal: false } as const;

/** Plain, serializable view of a tough-cookie Cookie. */
export function toCookieRecord(cookie: Cookie): CookieRecord {
  const expiry = cookie.expiryTime();
  const iso = (date: Date | 'Infinity' | null | undefined) => (date instanceof Date ? date.toISOString() : undefined);
  return {
    name: cookie.key,
    value: cookie.value,
    domain: cookie.domain ?? '',
    path: cookie.path ?? '/',
    // Max-Age=0 (or negative) expires at -Infinity: report it as already expired.
    ...(expiry === -Infinity ? { expires: new Date(0).toISOString() } : expiry !== undefined && Number.isFinite(expiry) ? { expires: new Date(expiry).toISOString() } : {}),
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    ...(cookie.sameSite ? { sameSite: cookie.sameSite } : {}),
    hostOnly: cookie.hostOnly ?? false,
    ...(iso(cookie.creation) ? { creation: iso(cookie.creation) } : {}),
    ...(iso(cookie.lastAccessed) ? { lastAccessed: iso(cookie.lastAccessed) } : {}),
  };
}

/**
 * Why tough-cookie dropped a Set-Cookie without an error: its prefix check (RFC 6265bis) is silent, so
 * name the rule the cookie broke; anything else is a parse failure.
 */
function silentRefusal(setCookie: string, url: string): string {
  const cookie = Cookie.parse(setCookie);
  if (!cookie) return 'The cookie could not be parsed.';
  const secure = new URL(url).protocol === 'https:';
  if (/^__Secure-/i.test(cookie.key) && (!cookie.secure || !secure)) {
    return 'A __Secure- cookie must have the Secure attribute and come over https.';
  }
  if (/^__Host-/i.test(cookie.key)) {
    return 'A __Host- cookie must have the Secure attribute, come over https, have Path=/ and no Domain attribute.';
  }
  return 'The cookie was refused by the jar.';
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why `rules` would not store the cookie from its own origin, or undefined; `rules` is a scratch jar. */
function refusalOf(rules: CookieJar, cookie: Cookie, clock: Clock): string | undefined {
  const domain = cookie.domain ?? '';
  const host = domain.includes(':') ? `[${domain}]` : domain;
  try {
    // A copy: setCookie stamps its creation time on what it stores (clone() only fails for a non-cookie).
    rules.setCookieSync(cookie.clone()!, `${cookie.secure ? 'https' : 'http'}://${host}${cookie.path ?? '/'}`, { ignoreError: false, now: new Date(clock.now()) });
    return undefined;
  } catch (error) {
    return reasonOf(error);
  }
}

/** The session's tough-cookie jar, seen through CookieRecords. */
export class SessionCookieJar implements ExchangeCookieJar {
  private constructor(
    private readonly jar: CookieJar,
    private readonly clock: Clock,
  ) {}

  static empty(clock: Clock): SessionCookieJar {
    return new SessionCookieJar(new CookieJar(undefined, jarOptions), clock);
  }

  /** Restores a jar from `serialize()` output; throws when the data is not a tough-cookie serialization. */
  static deserialize(data: unknown, clock: Clock): SessionCookieJar {
    if (typeof data !== 'object' || data === null || !Array.isArray((data as { cookies?: unknown }).cookies)) {
      throw new HttpSessionError('HS_STATE', 'The stored cookie jar is not a tough-cookie serialization.');
    }
    // Our jar options are not part of tough-cookie's serialization: rebuild the jar and put the cookies in.
    const jar = new CookieJar(undefined, jarOptions);
    // A stored cookie passes tough-cookie's rules again (domain, public suffix, Secure, prefixes), as a Set-Cookie would.
    const rules = new CookieJar(undefined, jarOptions);
    for (const [index, json] of (data as SerializedCookieJar).cookies.entries()) {
      const cookie = Cookie.fromJSON(json);
      if (!cookie) throw new HttpSessionError('HS_STATE', 'The stored cookie jar holds an unreadable cookie.');
      const refusal = refusalOf(rules, cookie, clock);
      if (refusal) throw new HttpSessionError('HS_STATE', `jar.cookies[${index}] (${cookie.key}) is refused by the cookie jar: ${refusal}`);
      void jar.store.putCookie(cookie); // the memory store completes synchronously
    }
    return new SessionCookieJar(jar, clock);
  }

  serialize(): SerializedCookieJar {
    const serialized = this.jar.serializeSync();
    if (!serialized) throw new Error('The in-memory cookie store is synchronous and always serializable.');
    return serialized;
  }

  async cookiesFor(url: string): Promise<JarCookie[]> {
    const cookies = await this.jar.getCookies(url);
    return cookies.map((cookie) => ({ name: cookie.key, value: cookie.value }));
  }

  /** Stores each Set-Cookie on its own so one bad cookie never stops the others; refusals come back with the jar's reason. */
  async store(url: string, setCookies: readonly string[]): Promise<{ stored: CookieRecord[]; rejected: RejectedCookie[] }> {
    const stored: CookieRecord[] = [];
    const rejected: RejectedCookie[] = [];
    for (const setCookie of setCookies) {
      try {
        const cookie = await this.jar.setCookie(setCookie, url, { ignoreError: false, now: new Date(this.clock.now()) });
        if (cookie) stored.push(toCookieRecord(cookie));
        else rejected.push({ setCookie, url, reason: silentRefusal(setCookie, url) });
      } catch (error) {
        rejected.push({ setCookie, url, reason: reasonOf(error) });
      }
    }
    return { stored, rejected };
  }

  /** The value the jar would send to `url` for `name`, if any. */
  valueFor(name: string, url: string): string | undefined {
    // Not a URL: nothing would be sent to it (the send itself reports HS_INVALID_URL).
    if (!URL.canParse(url)) return undefined;
    return this.jar.getCookiesSync(url).find((cookie) => cookie.key === name)?.value;
  }

  /** Every unexpired cookie. */
  list(): CookieRecord[] {
    const now = new Date(this.clock.now());
    return (this.serialize().cookies ?? [])
      .map((json) => Cookie.fromJSON(json))
      .filter((cookie): cookie is Cookie => cookie !== undefined && (cookie.expiryTime(now) ?? Infinity) > now.getTime())
      .map(toCookieRecord);
  }

  /** Adds or replaces a cookie by the jar's own rules (domain, public suffix, Secure); rejects with the jar's reason. */
  async set(record: CookieRecord): Promise<void> {
    const domain = record.domain.replace(/^\./, '');
    const cookie = new Cookie({
      key: record.name,
      value: record.value,
      path: record.path || '/',
      secure: record.secure,
      httpOnly: record.httpOnly,
      ...(record.hostOnly ? {} : { domain }),
      ...(record.expires ? { expires: new Date(record.expires) } : {}),
      ...(record.sameSite ? { sameSite: record.sameSite } : {}),
    });
    const url = `${record.secure ? 'https' : 'http'}://${domain}${cookie.path}`;
    try {
      await this.jar.setCookie(cookie, url, { ignoreError: false, now: new Date(this.clock.now()) });
    } catch (cause) {
      throw new HttpSessionError('HS_COOKIE_REJECTED', `The cookie ${record.name} for ${record.domain} was refused: ${reasonOf(cause)}`, { cause });
    }
  }

  async delete(name: string, domain: string, path: string): Promise<void> {
    await this.jar.store.removeCookie(domain, path, name);
  }

  /** Clears every cookie, or those of one domain and its subdomains. */
  async clear(domain?: string): Promise<void> {
    if (domain === undefined) return this.jar.removeAllCookies();
    const bare = domain.replace(/^\./, '').toLowerCase();
    for (const cookie of await this.jar.store.getAllCookies()) {
      const own = (cookie.domain ?? '').toLowerCase();
      if (own === bare || own.endsWith(`.${bare}`)) await this.jar.store.removeCookie(cookie.domain, cookie.path, cookie.key);
    }
  }
}
