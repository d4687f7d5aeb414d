import { requestAsSent, type CookieRecord, type Exchange, type RejectedCookie } from '../../model/exchange';
import {
  cookieHostName,
  domainMatches,
  hostOf,
  inScope,
  isLoopback,
  jarValueFor,
  pathMatches,
  withHost,
} from '../cookieScope';
import { cookieLabel, describeExchange } from '../evidence';
import { maskSecret } from '../../secrets';
import { isUnsafe, lastStoredBy, sessionMissingOrRejected, timeline, type Facts, type Rule } from '../facts';
import { jarCookieLine } from './jarEvidence';

// Rules about the cookie that should have gone out and did not (or went out wrong): the jar's side.

/**
 * The cookies this failure needed: the session cookies for a 401 / redirect to login / anonymous 403, the
 * CSRF cookie too for a 403 on an unsafe method (Spring compares the cookie with the header, so both must arrive).
 */
function neededCookieNames(facts: Facts): readonly string[] {
  const { sessionCookieNames, csrf } = facts.context;
  const csrfChecked = facts.trigger === 'forbidden' && isUnsafe(facts);
  if (csrfChecked) return [...sessionCookieNames, csrf.cookieName];
  return sessionMissingOrRejected(facts) ? sessionCookieNames : [];
}

function wasSent(facts: Facts, name: string): boolean {
  return facts.hop.sent.some((cookie) => cookie.name === name);
}

/** Needed cookies of the jar that did not go out, with the first one matching `test`. */
function unsentJarCookie(facts: Facts, test: (cookie: CookieRecord) => boolean): CookieRecord | undefined {
  const names = neededCookieNames(facts).filter((name) => !wasSent(facts, name));
  return facts.context.jar.find((cookie) => names.includes(cookie.name) && test(cookie));
}

/** `cookie-jar-disabled`: `# @no-cookie-jar` kept the session (or CSRF) cookie out of a request that needed it. */
export const cookieJarDisabled: Rule = (facts) => {
  if (!facts.context.directives.noCookieJar) return undefined;
  const held = unsentJarCookie(facts, (cookie) => inScope(cookie, facts.hop.url));
  const needsSession = neededCookieNames(facts).length > 0 && facts.context.loginRequestNames.length > 0;
  if (!held && !needsSession) return undefined;
  return {
    id: 'cookie-jar-disabled',
    message: `This request has # @no-cookie-jar, so ${held ? `the jar's ${held.name} was not sent` : 'no session cookie was sent'} and the server answered ${facts.response.status}. Remove the directive to send the session.`,
    evidence: [
      '# @no-cookie-jar is set on this request: the jar neither sends nor stores cookies for it',
      held ? jarCookieLine(facts, held, cookieLabel(held)) : `The file has a login request (${facts.context.loginRequestNames.join(', ')}) whose session this request cannot use`,
    ],
    fix: { title: 'Remove # @no-cookie-jar from this request', action: { kind: 'remove-directive', directive: 'no-cookie-jar' } },
  };
};

/** `stale-cookie-header`: a hand-written Cookie header sent another value than the jar's current one. */
export const staleCookieHeader: Rule = (facts) => {
  const names = neededCookieNames(facts);
  const { exchange, context } = facts;
  for (const sent of facts.hop.sent) {
    if (sent.source !== 'header' || !names.includes(sent.name)) continue;
    const current = jarValueFor(context.jar, sent.name, facts.hop.url);
    // A value this very response stored was not in the jar when the request went out.
    const storedHere = current !== undefined && exchange.cookies.stored.some((cookie) => cookie.name === sent.name && cookie.value === current.value);
    const atSend = storedHere ? lastStoredBy(context.history, sent.name)?.cookie : current;
    if (atSend?.value === sent.value || (atSend === undefined && sent.overrodeJar !== true)) continue;
    const setter = atSend && lastStoredBy(timeline(facts), sent.name, atSend.value);
    return {
      id: 'stale-cookie-header',
      message: `The request's Cookie header sent ${sent.name}=${maskSecret(sent.value)}, overriding the jar's current ${sent.name}${setter ? ` (set by ${setter.exchange.request.name ? `'${setter.exchange.request.name}'` : requestAsSent(setter.exchange).url})` : ''}. Remove the hand-written Cookie header.`,
      evidence: [
        `Cookie header written in the request: ${sent.name}=${maskSecret(sent.value)}`,
        atSend ? `The jar's ${sent.name} for this URL was ${maskSecret(atSend.value)}` : `The jar held a ${sent.name} for this URL that the header replaced`,
        setter ? `The jar's value was set by ${describeExchange(setter.exchange)}` : undefined,
        'A written Cookie header wins over the jar, so the jar\'s value was held back',
      ].filter((line) => line !== undefined),
      fix: {
        title: `Delete the Cookie header (or write ${sent.name}={{$cookie ${sent.name}}}) so the jar's current value goes out`,
        action: { kind: 'remove-header', name: 'Cookie' },
      },
    };
  }
  return undefined;
};

/** `cookie-path-mismatch`: the jar holds the cookie for this host, but its Path excludes this URL. */
export const cookiePathMismatch: Rule = (facts) => {
  const { url } = facts.hop;
  const cookie = unsentJarCookie(facts, (candidate) => domainMatches(candidate, hostOf(url)) && !pathMatches(candidate.path, url.pathname));
  if (!cookie) return undefined;
  return {
    id: 'cookie-path-mismatch',
    message: `${cookie.name} is scoped to Path=${cookie.path}, and this request went to ${url.pathname}, so the jar did not send it.`,
    evidence: [jarCookieLine(facts, cookie, cookieLabel(cookie)), `This request's path ${url.pathname} is outside Path=${cookie.path}`],
    fix: { title: `Send the request under ${cookie.path} (the path the server scoped ${cookie.name} to), or log in through the application that serves ${url.pathname}` },
  };
};

/** `cookie-host-mismatch`: the jar holds the cookie for another name of the same server (localhost vs 127.0.0.1 vs ::1). */
export const cookieHostMismatch: Rule = (facts) => {
  const { url } = facts.hop;
  const host = hostOf(url);
  const sameServer = (other: string): boolean =>
    (isLoopback(host) && isLoopback(other)) ||
    facts.context.history.some((exchange) => {
      // A request refused for its URL is in the history too (and in a saved session).
      if (!URL.canParse(exchange.request.url)) return false;
      const earlier = new URL(exchange.request.url);
      return hostOf(earlier) === other && earlier.port === url.port && earlier.protocol === url.protocol;
    });
  const cookie = unsentJarCookie(
    facts,
    (candidate) => !domainMatches(candidate, host) && pathMatches(candidate.path, url.pathname) && sameServer(cookieHostName(candidate)),
  );
  if (!cookie) return undefined;
  const switched = withHost(new URL(requestAsSent(facts.exchange).url), cookieHostName(cookie));
  return {
    id: 'cookie-host-mismatch',
    message: `${cookie.name} is in the jar for ${cookieHostName(cookie)}, but this request went to ${host}: cookies are kept per host name, even for the same server. Use ${cookieHostName(cookie)}.`,
    evidence: [jarCookieLine(facts, cookie, cookieLabel(cookie)), `This request's host is ${host}; a cookie for ${cookieHostName(cookie)} is never sent to it`],
    fix: { title: `Send to ${switched}`, action: { kind: 'switch-host', url: switched } },
  };
};

/** `cookie-secure-over-http`: a Secure cookie covers this URL, but the request was plain http. */
export const cookieSecureOverHttp: Rule = (facts) => {
  const { url } = facts.hop;
  if (url.protocol !== 'http:') return undefined;
  const cookie = unsentJarCookie(facts, (candidate) => candidate.secure && inScope(candidate, url));
  if (!cookie) return undefined;
  const secureUrl = new URL(requestAsSent(facts.exchange).url);
  secureUrl.protocol = 'https:';
  return {
    id: 'cookie-secure-over-http',
    message: `${cookie.name} is a Secure cookie and this request used http://, so the jar withheld it. Use https.`,
    evidence: [jarCookieLine(facts, cookie, cookieLabel(cookie)), `${cookie.name} has the Secure attribute: it is only sent over https`, `This request went to ${url.origin} over plain http`],
    fix: { title: `Send to ${secureUrl.href}`, action: { kind: 'switch-host', url: secureUrl.href } },
  };
};

function setCookieName(setCookie: string): string {
  return setCookie.split(/[=;]/, 1)[0]!.trim();
}

/** `JSESSIONID=ABCD…WXYZ; Path=/; Domain=other.example`: the attributes matter, the value does not. */
function maskSetCookie(setCookie: string): string {
  const [pair = '', ...attributes] = setCookie.split(';');
  const equals = pair.indexOf('=');
  const masked = equals < 0 ? pair : `${pair.slice(0, equals).trim()}=${maskSecret(pair.slice(equals + 1).trim())}`;
  return [masked, ...attributes].join(';');
}

function rejectionsOf(exchange: Exchange): readonly RejectedCookie[] {
  const all = [...exchange.redirects.flatMap((hop) => hop.cookies.rejected), ...exchange.cookies.rejected];
  return all.filter((rejected, index) => all.findIndex((other) => other.setCookie === rejected.setCookie && other.url === rejected.url) === index);
}

/** `cookie-rejected`: the server set the session (or CSRF) cookie and the jar refused it, and no later one arrived. */
export const cookieRejected: Rule = (facts) => {
  const names = neededCookieNames(facts);
  const exchanges = timeline(facts);
  for (let index = exchanges.length - 1; index >= 0; index--) {
    const exchange = exchanges[index]!;
    const rejected = rejectionsOf(exchange).findLast((candidate) => names.includes(setCookieName(candidate.setCookie)));
    if (!rejected) continue;
    const name = setCookieName(rejected.setCookie);
    const storedSince = exchanges.slice(index).some((later) => later.cookies.stored.some((cookie) => cookie.name === name));
    if (storedSince) return undefined;
    const host = hostOf(new URL(rejected.url));
    if (rejected.evicted) {
      return {
        id: 'cookie-rejected',
        message: `The jar dropped the server's ${name} (${rejected.reason}), so ${name} was not sent.`,
        evidence: [`${describeExchange(exchange)} filled the jar, which dropped ${maskSetCookie(rejected.setCookie)} (${rejected.reason})`, `No ${name} was stored after that`],
        fix: { title: `Find why ${host} sets more cookies than browsers keep, then log in again` },
      };
    }
    const domain = /;\s*domain\s*=\s*\.?([^;\s]+)/i.exec(rejected.setCookie)?.[1];
    const switched = domain && !domainMatches({ domain, hostOnly: false }, host) ? withHost(new URL(requestAsSent(facts.exchange).url), domain) : undefined;
    return {
      id: 'cookie-rejected',
      message: `The server's ${name} never reached the jar: the jar refused its Set-Cookie (${rejected.reason}), so ${name} was not sent.`,
      evidence: [
        `${describeExchange(exchange)} received Set-Cookie: ${maskSetCookie(rejected.setCookie)}`,
        `The jar rejected it for ${rejected.url}: ${rejected.reason}`,
        `No ${name} was stored after that`,
      ],
      fix: switched
        ? { title: `Send to ${switched}, a host the cookie's Domain=${domain} covers`, action: { kind: 'switch-host', url: switched } }
        : { title: `Fix the server's Set-Cookie for ${name} so it is valid for ${host} (${rejected.reason})` },
    };
  }
  return undefined;
};
