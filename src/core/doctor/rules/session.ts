import { requestAsSent, type Exchange, type Finding, type SentCookie, type SessionCookieLifecycle } from '../../model/exchange';
import { isConcurrentLoginExpiry, rememberMeCookieNames } from '../../session/springSignals';
import { lifecycleFor } from '../cookieScope';
import { describeExchange, formatDuration, formatTime, withErrorBody } from '../evidence';
import { maskSecret } from '../../secrets';
import {
  freshSessionCookies,
  isLogout,
  isSuccessfulLogin,
  lastStoredBy,
  timeline,
  sentSessionCookies,
  sessionInUse,
  sessionMissingOrRejected,
  type Facts,
  type Rule,
} from '../facts';
import { rerunLoginFix } from '../fixes';

// Rules about the server-side session itself: never logged in, expired, logged out.

/** How the server answered, for messages: `401` or `a redirect to /login`. */
function answer(facts: Facts): string {
  return facts.trigger === 'login-redirect' ? `a redirect to ${facts.hop.location?.pathname ?? 'the login page'}` : `${facts.response.status}`;
}

function sentLine(cookie: SentCookie): string {
  return `Sent ${cookie.name}=${maskSecret(cookie.value)} from ${cookie.source === 'jar' ? 'the jar' : 'the Cookie header'}`;
}

function freshCookieLine(facts: Facts): string | undefined {
  const fresh = freshSessionCookies(facts)[0];
  return fresh && `The response set a new ${fresh.name}=${maskSecret(fresh.value)}: the server started a fresh, anonymous session`;
}

/** The latest successful login in history. */
function lastLogin(facts: Facts): Exchange | undefined {
  return facts.context.history.findLast((exchange) => isSuccessfulLogin(exchange, facts.context));
}

/** The latest logout with no successful login after it. */
function standingLogout(facts: Facts): Exchange | undefined {
  const { history } = facts.context;
  const index = history.findLastIndex((exchange) => isLogout(exchange, facts.context));
  if (index < 0 || history.slice(index + 1).some((exchange) => isSuccessfulLogin(exchange, facts.context))) return undefined;
  return history[index];
}

/** Whether the session behind a cookie was ever authenticated, as far as the evidence shows. */
function everLoggedIn(facts: Facts, lifecycle: SessionCookieLifecycle | undefined): boolean {
  if (lastLogin(facts)) return true;
  // changeSessionId() at login rotates the cookie; a login request may also have issued it.
  const byLogin = (name: string | undefined): boolean => name !== undefined && facts.context.loginRequestNames.includes(name);
  return (
    lifecycle?.lastRotatedAt !== undefined ||
    byLogin(lifecycle?.issuedBy) ||
    (lifecycle?.events ?? []).some((event) => (event.kind === 'issued' || event.kind === 'rotated') && byLogin(event.requestName))
  );
}

/** `session-logged-out`: an earlier logout invalidated the session and nobody logged in since. */
export const sessionLoggedOut: Rule = (facts) => {
  if (!sessionMissingOrRejected(facts)) return undefined;
  const logout = standingLogout(facts);
  if (!logout) return undefined;
  const sent = sentSessionCookies(facts)[0];
  const loggedOutValue = sent && logout.cookies.sent.some((cookie) => cookie.name === sent.name && cookie.value === sent.value);
  const asSent = requestAsSent(logout);
  const name = logout.request.name ? `'${logout.request.name}'` : `${asSent.method} ${new URL(asSent.url).pathname}`;
  return {
    id: 'session-logged-out',
    message: `Logged out: ${name} at ${formatTime(logout.startedAt)} ended the session, so the server answered ${answer(facts)}. Log in again.`,
    evidence: withErrorBody(facts.response, [
      `Logout: ${describeExchange(logout)} → ${logout.response?.status ?? 'no response'}`,
      sent ? sentLine(sent) : 'No session cookie was sent',
      loggedOutValue ? `${sent.name} is the cookie the logout invalidated: Spring keeps the cookie after logout, but the session behind it is gone` : undefined,
      'No login request succeeded after the logout',
    ]),
    fix: rerunLoginFix(facts),
  };
};

/** The latest exchange (this one included) whose answer said a newer login expired the session, with no login since. */
function concurrentExpiry(facts: Facts): Exchange | undefined {
  const exchanges = [...facts.context.history, facts.exchange];
  const index = exchanges.findLastIndex((exchange) => exchange.response !== undefined && isConcurrentLoginExpiry(exchange.response.body));
  if (index < 0 || exchanges.slice(index + 1).some((exchange) => isSuccessfulLogin(exchange, facts.context))) return undefined;
  return exchanges[index];
}

/** `session-expired` for Spring's `maximumSessions`: a newer login of the same user ended this session. */
function endedByNewerLogin(facts: Facts, ended: Exchange): Finding {
  const here = ended === facts.exchange;
  const sent = (here ? sentSessionCookies(facts) : ended.cookies.sent.filter((cookie) => facts.context.sessionCookieNames.includes(cookie.name)))[0];
  const cleared = ended.cookies.stored.find((cookie) => facts.context.sessionCookieNames.includes(cookie.name) && cookie.value === '');
  const login = lastLogin(facts);
  return {
    id: 'session-expired',
    message: here
      ? `Session expired by a newer login: the same user logged in again elsewhere and the server allows one session per user (maximumSessions), so it answered ${facts.response.status} with its expiry notice instead of the data${cleared ? ` and deleted ${cleared.name}` : ''}. Log in again.`
      : `Session expired by a newer login: ${describeExchange(ended)} was told the session ended because the same user logged in again elsewhere (maximumSessions), so the server answered ${answer(facts)}. Log in again.`,
    evidence: withErrorBody(facts.response, [
      sent ? `${here ? 'Sent' : 'It sent'} ${sent.name}=${maskSecret(sent.value)} from ${sent.source === 'jar' ? 'the jar' : 'the Cookie header'}` : undefined,
      `${here ? 'The response' : `The answer to ${describeExchange(ended)}`} says: "${new TextDecoder().decode(ended.response?.body).trim()}"`,
      cleared ? `${here ? 'This response' : 'That answer'} deleted ${cleared.name} (Set-Cookie with Max-Age=0)` : undefined,
      login ? `Last login in this session: ${describeExchange(login)}; the newer one came from another client or session` : undefined,
      'Spring Security allows at most maximumSessions sessions per user: the newest login wins and the older session is expired',
    ]),
    fix: rerunLoginFix(facts),
  };
}

/** `session-expired`: a session cookie of a logged-in session was sent and the server answered as if there were none. */
export const sessionExpired: Rule = (facts) => {
  if (facts.trigger !== 'session-ended' && !sessionMissingOrRejected(facts)) return undefined;
  const ended = concurrentExpiry(facts);
  if (ended) return endedByNewerLogin(facts, ended);
  const sent = sentSessionCookies(facts)[0];
  if (!sent) return undefined;
  const lifecycle = lifecycleFor(facts.context.lifecycles, sent.name, facts.hop.url);
  if (!everLoggedIn(facts, lifecycle)) return undefined;
  const startedAt = facts.exchange.startedAt;
  const login = lastLogin(facts);
  // The tracker may already have ended (and re-issued) the lifecycle for this exchange; its event keeps the gap.
  const recorded = facts.exchange.sessionEvents.find((event) => event.kind === 'rejected-by-server' && event.cookieName === sent.name);
  const lastSuccess = [lifecycle?.lastSuccessAt, login?.startedAt].filter((at): at is number => at !== undefined && at < startedAt);
  const lastWorked = recorded?.idleGapMs !== undefined ? startedAt - recorded.idleGapMs : lastSuccess.length > 0 ? Math.max(...lastSuccess) : undefined;
  const idle = lastWorked === undefined ? undefined : startedAt - lastWorked;
  const bracket = timeoutBracket(lifecycle, idle);
  const idleText = idle === undefined ? '' : ` — idle ${formatDuration(idle)}${bracket ? `; ${bracket}` : ''}`;
  return {
    id: 'session-expired',
    message: `Session expired: ${sent.name} was sent but the server answered ${answer(facts)} as if there were no session${idleText}. Log in again.`,
    evidence: withErrorBody(facts.response, [
      sentLine(sent),
      lastWorked === undefined ? undefined : `It last worked at ${formatTime(lastWorked)}; this request went out at ${formatTime(startedAt)}`,
      login ? `Last login: ${describeExchange(login)}` : undefined,
      idle === undefined ? undefined : `Idle gap: ${formatDuration(idle)}`,
      bracket && `Observed: ${bracket} (longest idle that still worked, shortest that failed)`,
      freshCookieLine(facts),
    ]),
    fix: rerunLoginFix(facts),
  };
};

/** `server timeout is between 10 min and 31 min`, from what the lifecycle observed plus this failure. */
function timeoutBracket(lifecycle: SessionCookieLifecycle | undefined, idle: number | undefined): string | undefined {
  const lower = lifecycle?.longestWorkingIdleMs;
  const uppers = [lifecycle?.shortestFailedIdleMs, idle].filter((ms): ms is number => ms !== undefined);
  const upper = uppers.length > 0 ? Math.min(...uppers) : undefined;
  if (lower !== undefined && upper !== undefined) return `server timeout is between ${formatDuration(lower)} and ${formatDuration(upper)}`;
  if (upper !== undefined) return `server timeout is at most ${formatDuration(upper)}`;
  return lower === undefined ? undefined : `server timeout is more than ${formatDuration(lower)}`;
}

/**
 * `no-session-cookie`: nothing to authenticate with — no session cookie and no Authorization header, or only
 * the cookie of an anonymous session that never logged in.
 */
export const noSessionCookie: Rule = (facts) => {
  if (!sessionMissingOrRejected(facts)) return undefined;
  const { context } = facts;
  const sent = sentSessionCookies(facts)[0];
  const names = context.sessionCookieNames.join(' or ');
  const target = `${facts.hop.url.origin}${facts.hop.url.pathname}`;
  const evidence = [`No Authorization header was sent`];
  if (sent) {
    if (everLoggedIn(facts, lifecycleFor(context.lifecycles, sent.name, facts.hop.url))) return undefined;
    const issued = facts.context.history.find((exchange) =>
      exchange.cookies.stored.some((cookie) => cookie.name === sent.name && cookie.value === sent.value),
    );
    evidence.unshift(sentLine(sent));
    if (issued) evidence.push(`${sent.name} was issued by ${describeExchange(issued)}, an anonymous request`);
  } else {
    // With a Basic challenge and no sign of a session anywhere, the server wants Basic credentials instead.
    if (facts.challenge?.scheme === 'basic' && !sessionInUse(facts)) return undefined;
    evidence.unshift(`No session cookie (${names}) was sent to ${target}: the jar holds none for this URL`);
  }
  if (facts.trigger === 'forbidden') evidence.push('Spring answers 403 instead of 401 to anonymous requests when no login entry point is configured');
  const login = lastLogin(facts);
  evidence.push(login ? `Last login: ${describeExchange(login)}` : 'No login request has succeeded in this session');
  return {
    id: 'no-session-cookie',
    message: sent
      ? `Not logged in: ${sent.name} belongs to an anonymous session, so the server answered ${answer(facts)}. Log in first.`
      : `Not logged in: no session cookie and no Authorization header went to ${target}, so the server answered ${answer(facts)}. Log in first.`,
    evidence: withErrorBody(facts.response, evidence),
    fix: rerunLoginFix(facts),
  };
};

/**
 * `remember-me-rejected`: the remember-me cookie went out with a request the session could not carry, and
 * the answer deleted it — Spring's remember-me no longer accepts it, so nothing logged the user in again.
 */
export const rememberMeRejected: Rule = (facts) => {
  if (!sessionMissingOrRejected(facts)) return undefined;
  const sent = facts.hop.sent.find((cookie) => rememberMeCookieNames.includes(cookie.name));
  const deleted = sent && facts.exchange.cookies.stored.some((cookie) => cookie.name === sent.name && cookie.value === '');
  if (!sent || !deleted) return undefined;
  const session = sentSessionCookies(facts)[0];
  const issuedBy = lastStoredBy(timeline(facts), sent.name, sent.value)?.exchange;
  return {
    id: 'remember-me-rejected',
    message: `Remember-me refused: the server deleted the ${sent.name} cookie this request sent instead of logging you in with it, so it answered ${answer(facts)}. Spring no longer accepts that token — its key changed (without rememberMe().key(…) Spring picks a new random key at every start), the token expired, or the user's password changed. Log in again, with remember-me=on for a new token.`,
    evidence: withErrorBody(facts.response, [
      `Sent ${sent.name}=${maskSecret(sent.value)} from ${sent.source === 'jar' ? 'the jar' : 'the Cookie header'}`,
      `This ${facts.response.status} response deleted ${sent.name} (Set-Cookie with an empty value, expired)`,
      issuedBy ? `${sent.name} was set by ${describeExchange(issuedBy)}` : undefined,
      session ? `${sentLine(session)}, and the server had no session for it either` : 'No session cookie was sent: only remember-me could have logged you in',
    ]),
    fix: rerunLoginFix(facts),
  };
};
