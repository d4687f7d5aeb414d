import { springErrorBody, withErrorBody } from '../evidence';
import { maskSecret } from '../../secrets';
import { isUnsafe, sentCsrfToken, sentSessionCookies, type Facts, type Rule } from '../facts';
import { csrfTokenOf } from '../../send/csrf';
import { expectedCsrfToken, unmaskedTokenRefused } from './csrf';
import { sentTokenHistory, tokenIssuedLine } from '../tokenEvidence';

// A 403 that is not about the session or CSRF: the server knows the user and refuses them.

/** Why CSRF does not explain this 403, as an evidence line; undefined when it may. */
function csrfCleared(facts: Facts): string | undefined {
  if (!isUnsafe(facts)) return `${facts.hop.method} is not checked for CSRF, so this is not a CSRF failure`;
  if (springErrorBody(facts.response)?.format === 'problem') {
    return "The 403 is the application's own problem details: Spring Security's CSRF filter refuses before the application runs, so this is not a CSRF failure";
  }
  if (unmaskedTokenRefused(facts)) return undefined;
  const expected = expectedCsrfToken(facts);
  const current = expected?.current;
  const sent = sentCsrfToken(facts);
  if (sent.via === 'none') {
    if (current !== undefined || expected?.saidByServer) return undefined;
    return `No CSRF token is in use here: no ${facts.context.csrf.cookieName} cookie and no form token were seen`;
  }
  if (current === undefined) return expected?.saidByServer ? undefined : 'A CSRF token was sent and nothing shows it is wrong';
  return csrfTokenOf(sent.value) === csrfTokenOf(current) ? `The CSRF token sent matches the server's current one (${maskSecret(current)})` : undefined;
}

/** `access-denied`: a 403 with a working session (or credentials) and a valid CSRF token or a safe method. */
export const accessDenied: Rule = (facts) => {
  if (facts.trigger !== 'forbidden') return undefined;
  const session = sentSessionCookies(facts)[0];
  if (!session && !facts.credentials) return undefined;
  const csrfLine = csrfCleared(facts);
  if (!csrfLine) return undefined;
  const scope = facts.challenge?.scheme === 'bearer' ? facts.challenge.params.get('scope') : undefined;
  const serverMessage = springErrorBody(facts.response)?.message;
  const target = `${facts.hop.method} ${facts.hop.url.pathname}`;
  const token = facts.challenge?.params.get('error') === 'insufficient_scope' ? sentTokenHistory(facts) : undefined;
  return {
    id: 'access-denied',
    message: `Access denied: the server knows who you are but refuses ${target}${serverMessage ? ` ("${serverMessage}")` : ''} — a role or permission is missing. This is authorization, not authentication.`,
    evidence: withErrorBody(facts.response, [
      session
        ? `Authenticated with ${session.name}=${maskSecret(session.value)}: the server did not answer 401, so the session is live`
        : `Authenticated with Authorization: ${facts.credentials?.scheme}`,
      csrfLine,
      facts.challenge?.params.get('error') === 'insufficient_scope' ? `The server answered WWW-Authenticate: ${facts.challenge.raw}` : undefined,
      scope ? `Required scope: ${scope}` : undefined,
      token && `${tokenIssuedLine(token)}; the API needs ${scope ?? 'a scope it did not grant'}`,
    ]),
    fix: token
      ? { title: `Ask for ${scope ? `scope ${scope}` : 'the scope the API needs'} in 'Scope' of auth configuration '${token.configName}' (the authorization server must allow it for the client), then Forget Token in the Cookies view` }
      : { title: 'Log in as a user with the required role (a named session, # @session admin, keeps both logins), or grant the role on the server' },
  };
};
