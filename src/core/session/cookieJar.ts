import { Cookie, CookieJar, getPublicSuffix, type SerializedCookieJar } from 'tough-cookie';
import { HttpSessionError } from '../errors';
import type { CookieRecord, RejectedCookie } from '../model/exchange';
import type { Clock } from '../ports';
import type { JarCookie } from '../send/cookieHeader';
import type { ExchangeCookieJar } from '../send/executeExchange';

// Secure means https everywhere, localhost included: what the server does in production is what the
// user sees here, and the 401 doctor can explain a Secure cookie sent over http.
const jarOptions = { rejectPublicSuffixes: true, allowSecureOnLocal: false } as const;

// tough-cookie has no limits: one server could fill the jar and make every later request carry it. These are
// Chromium's 180 cookies per site (eTLD+1) and 4096 bytes of name and value (net/cookies/cookie_monster.cc,
// parsed_cookie.h; RFC 6265bis), and RFC 6265 §6.1's 3000 cookies in all (Chromium keeps 3300).
const cookieLimits = { perSite: 180, total: 3000, nameValueBytes: 4096 } as const;

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

/** Why a browser would refuse the cookie for its size, if it would. */
function oversize(cookie: Cookie): string | undefined {
  const bytes = Buffer.byteLength(cookie.key) + Buffer.byteLength(cookie.value);
  const limit = cookieLimits.nameValueBytes;
  return bytes > limit ? `Its name and value are ${bytes} bytes, over the ${limit}-byte limit browsers apply (RFC 6265bis).` : undefined;
}

/** The registrable domain (eTLD+1) a cookie counts against; an IP address or a single-label host counts as itself. */
function siteOf(cookie: Cookie): string {
  const domain = cookie.domain ?? '';
  return getPublicSuffix(domain, { allowSpecialUseDomain: true, ignoreError: true }) ?? domain;
}

interface Eviction {
  readonly cookie: Cookie;
  readonly reason: string;
}

/**
 * What to remove to keep within `cookieLimits`, in RFC 6265 §5.3's order: first a crowded site's cookies, then
 * the whole jar's; in each, expired cookies first (as Chromium), then the least recently used, older first on a tie.
 * Expired cookies are never sent, so their removal is not reported as an eviction.
 */
function overLimits(cookies: readonly Cookie[], now: number): { expired: Cookie[]; evicted: Eviction[] } {
  const expired: Cookie[] = [];
  const evicted: Eviction[] = [];
  const lastUse = (cookie: Cookie) => (cookie.lastAccessed instanceof Date ? cookie.lastAccessed.getTime() : 0);
  const trim = (group: Cookie[], limit: number, reason: string): Cookie[] => {
    if (group.length <= limit) return group;
    const live: Cookie[] = [];
    // The jar's own test when it sends (tough-cookie's getCookies).
    for (const cookie of group) ((cookie.expiryTime() ?? Infinity) <= now ? expired : live).push(cookie);
    const leastUsed = new Set([...live].sort((a, b) => lastUse(a) - lastUse(b) || a.creationIndex - b.creationIndex).slice(0, Math.max(0, live.length - limit)));
    for (const cookie of leastUsed) evicted.push({ cookie, reason });
    return live.filter((cookie) => !leastUsed.has(cookie));
  };
  const bySite = new Map<string, Cookie[]>();
  for (const cookie of cookies) {
    const site = siteOf(cookie);
    const group = bySite.get(site);
    if (group) group.push(cookie);
    else bySite.set(site, [cookie]);
  }
  const kept = [...bySite].flatMap(([site, group]) => trim(group, cookieLimits.perSite, `evicted: more than ${cookieLimits.perSite} cookies for ${site}`));
  trim(kept, cookieLimits.total, `evicted: more than ${cookieLimits.total} cookies in the jar`);
  return { expired, evicted };
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

  /** Restores a jar from `serialize()` output, trimmed to the jar's limits; throws when the data is not a tough-cookie serialization. */
  static deserialize(data: unknown, clock: Clock): SessionCookieJar {
    if (typeof data !== 'object' || data === null || !Array.isArray((data as { cookies?: unknown }).cookies)) {
      throw new HttpSessionError('HS_STATE', 'The stored cookie jar is not a tough-cookie serialization.');
    }
    // Our jar options are not part of tough-cookie's serialization: rebuild the jar and put the cookies in.
    const jar = new CookieJar(undefined, jarOptions);
    // A stored cookie passes tough-cookie's rules again (domain, public suffix, Secure, prefixes), as a Set-Cookie would.
    const rules = new CookieJar(undefined, jarOptions);
    const cookies = (data as SerializedCookieJar).cookies.map((json, index) => {
      const cookie = Cookie.fromJSON(json);
      if (!cookie) throw new HttpSessionError('HS_STATE', 'The stored cookie jar holds an unreadable cookie.');
      const refusal = refusalOf(rules, cookie, clock);
      if (refusal) throw new HttpSessionError('HS_STATE', `jar.cookies[${index}] (${cookie.key}) is refused by the cookie jar: ${refusal}`);
      return cookie;
    });
    const kept = cookies.filter((cookie) => !oversize(cookie));
    const { expired, evicted } = overLimits(kept, clock.now());
    const dropped = new Set([...expired, ...evicted.map(({ cookie }) => cookie)]);
    for (const cookie of kept) if (!dropped.has(cookie)) void jar.store.putCookie(cookie); // the memory store completes synchronously
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

  /**
   * Stores each Set-Cookie on its own so one bad cookie never stops the others, then keeps the jar within its limits.
   * Refusals and evictions come back as rejections with the reason; a cookie evicted at once is not reported stored.
   */
  async store(url: string, setCookies: readonly string[]): Promise<{ stored: CookieRecord[]; rejected: RejectedCookie[] }> {
    const now = this.clock.now();
    const stored: Cookie[] = [];
    const rejected: RejectedCookie[] = [];
    for (const setCookie of setCookies) {
      const parsed = Cookie.parse(setCookie);
      const tooLarge = parsed && oversize(parsed);
      if (tooLarge) {
        rejected.push({ setCookie, url, reason: tooLarge });
        continue;
      }
      try {
        const cookie = await this.jar.setCookie(parsed ?? setCookie, url, { ignoreError: false, now: new Date(now) });
        if (cookie) stored.push(cookie);
        else rejected.push({ setCookie, url, reason: silentRefusal(setCookie, url) });
      } catch (error) {
        rejected.push({ setCookie, url, reason: reasonOf(error) });
      }
    }
    const { expired, evicted } = overLimits(await this.jar.store.getAllCookies(), now);
    const evictedCookies = new Set(evicted.map(({ cookie }) => cookie));
    for (const cookie of [...expired, ...evictedCookies]) await this.jar.store.removeCookie(cookie.domain, cookie.path, cookie.key);
    return {
      stored: stored.filter((cookie) => !evictedCookies.has(cookie)).map(toCookieRecord),
      rejected: [...rejected, ...evicted.map(({ cookie, reason }) => ({ setCookie: cookie.toString(), url, reason, evicted: true as const }))],
    };
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
      const tooLarge = oversize(cookie);
      if (tooLarge) throw new Error(tooLarge);
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
