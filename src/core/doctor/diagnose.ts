import type { Exchange, Finding, FindingId } from '../model/exchange';
import type { DoctorContext } from './context';
import { factsOf, type Rule } from './facts';
import { accessDenied } from './rules/access';
import { cookieHostMismatch, cookieJarDisabled, cookiePathMismatch, cookieRejected, cookieSecureOverHttp, staleCookieHeader } from './rules/cookies';
import { bearerTokenExpired, bearerTokenInvalid, bearerTokenMissing, basicAuthRequired } from './rules/credentials';
import { csrfTokenMasked, csrfTokenMissing, csrfTokenStale, csrfTokenUnmasked } from './rules/csrf';
import { loginFailed, redirectToLogin } from './rules/login';
import { noSessionCookie, rememberMeRejected, sessionExpired, sessionLoggedOut } from './rules/session';

// Most specific evidence first: a concrete cause (a directive, a stale header, a refused cookie) beats the
// general verdicts it produces (no session, redirected to login, access denied).
const rules: readonly Rule[] = [
  loginFailed,
  cookieJarDisabled,
  staleCookieHeader,
  cookieRejected,
  cookieHostMismatch,
  cookiePathMismatch,
  cookieSecureOverHttp,
  sessionLoggedOut,
  rememberMeRejected,
  sessionExpired,
  bearerTokenExpired,
  bearerTokenInvalid,
  bearerTokenMissing,
  csrfTokenUnmasked,
  csrfTokenMasked,
  csrfTokenStale,
  csrfTokenMissing,
  noSessionCookie,
  basicAuthRequired,
  redirectToLogin,
  accessDenied,
];

const cookieNotSent: readonly FindingId[] = ['cookie-jar-disabled', 'cookie-rejected', 'cookie-host-mismatch', 'cookie-path-mismatch', 'cookie-secure-over-http'];

/** A finding is dropped when one of these explains the same failure better (no contradictory verdicts). */
const explainedBy: Readonly<Partial<Record<FindingId, readonly FindingId[]>>> = {
  'no-session-cookie': [...cookieNotSent, 'session-logged-out', 'stale-cookie-header', 'session-expired', 'remember-me-rejected'],
  'session-expired': ['cookie-jar-disabled', 'cookie-rejected', 'session-logged-out', 'stale-cookie-header', 'remember-me-rejected'],
  'cookie-host-mismatch': ['cookie-jar-disabled'],
  'cookie-path-mismatch': ['cookie-jar-disabled'],
  'cookie-secure-over-http': ['cookie-jar-disabled'],
  'access-denied': [...cookieNotSent, 'no-session-cookie', 'session-logged-out', 'stale-cookie-header', 'csrf-token-stale', 'csrf-token-missing', 'csrf-token-unmasked', 'csrf-token-masked'],
};

/** Explains a 401, a 403, a redirect to the login page or a failed login from the recorded evidence, most likely cause first. */
export function diagnose(exchange: Exchange, context: DoctorContext): Finding[] {
  const facts = factsOf(exchange, context);
  if (!facts) return [];
  const found = rules.map((rule) => rule(facts)).filter((finding) => finding !== undefined);
  const ids = new Set(found.map((finding) => finding.id));
  return found.filter((finding) => !(explainedBy[finding.id] ?? []).some((id) => ids.has(id)));
}
