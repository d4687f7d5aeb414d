import { basicUserName, jwtExpiry } from '../authHeaders';
import { formatDuration, formatTime, withErrorBody } from '../evidence';
import { maskSecret } from '../../secrets';
import { sessionInUse, type Facts, type Rule } from '../facts';
import { rerunLoginFix } from '../fixes';
import { sentTokenHistory, tokenExpiredLine, tokenIssuedLine } from '../tokenEvidence';

// A 401 to an Authorization header (or asking for one) has its own reason: Basic or Bearer, not cookies.

function challengeLine(facts: Facts): string | undefined {
  return facts.challenge && `The server answered WWW-Authenticate: ${facts.challenge.raw}`;
}

/** `basic-auth-required`: a Basic challenge, with wrong credentials or none (when no session is in play). */
export const basicAuthRequired: Rule = (facts) => {
  if (facts.trigger !== 'unauthorized' || facts.challenge?.scheme !== 'basic') return undefined;
  const { credentials } = facts;
  if (credentials?.scheme === 'basic') {
    const user = basicUserName(credentials);
    return {
      id: 'basic-auth-required',
      message: `Basic credentials rejected: the server answered 401 to the Authorization header${user ? ` for user '${user}'` : ''}. Check the user name and password.`,
      evidence: withErrorBody(facts.response, [`Sent Authorization: Basic …${user ? ` (user '${user}')` : ' (not user:password in base64)'}`, challengeLine(facts)]),
      fix: { title: 'Check the user name and password of the Authorization header (and the environment that fills them)' },
    };
  }
  if (credentials !== undefined || sessionInUse(facts)) return undefined;
  return {
    id: 'basic-auth-required',
    message: `The server asks for HTTP Basic credentials (WWW-Authenticate: ${facts.challenge.raw}) and none were sent.`,
    evidence: withErrorBody(facts.response, ['No Authorization header and no session cookie were sent', challengeLine(facts)]),
    fix: { title: 'Add an Authorization: Basic header (base64 of user:password)' },
  };
};

function bearerToken(facts: Facts): string | undefined {
  return facts.credentials?.scheme === 'bearer' ? facts.credentials.value : undefined;
}

/** `bearer-token-expired`: the Bearer JWT's `exp` was already past when the request went out. */
export const bearerTokenExpired: Rule = (facts) => {
  const token = bearerToken(facts);
  if (facts.trigger !== 'unauthorized' || token === undefined) return undefined;
  const { expiresAt } = jwtExpiry(token);
  if (expiresAt === undefined || expiresAt > facts.exchange.startedAt) return undefined;
  const ago = facts.context.clock.now() - expiresAt;
  const history = sentTokenHistory(facts);
  return {
    id: 'bearer-token-expired',
    message: `Bearer token expired at ${formatTime(expiresAt)}, ${formatDuration(ago)} ago. Get a new token.`,
    evidence: withErrorBody(facts.response, [
      `Sent Authorization: Bearer ${maskSecret(token)}`,
      `The token's exp claim is ${formatTime(expiresAt)} (read without verifying the signature)`,
      `The request went out at ${formatTime(facts.exchange.startedAt)}, ${formatDuration(facts.exchange.startedAt - expiresAt)} after it expired`,
      history && tokenIssuedLine(history),
      history && tokenExpiredLine(history, facts.exchange.startedAt),
      challengeLine(facts),
    ]),
    fix: rerunLoginFix(facts, 'get a new token'),
  };
};

/** `bearer-token-invalid`: a Bearer challenge to a token that is not expired (or not a JWT at all). */
export const bearerTokenInvalid: Rule = (facts) => {
  const token = bearerToken(facts);
  if (facts.trigger !== 'unauthorized' || token === undefined || facts.challenge?.scheme !== 'bearer') return undefined;
  const { isJwt, expiresAt } = jwtExpiry(token);
  if (expiresAt !== undefined && expiresAt <= facts.exchange.startedAt) return undefined;
  const description = facts.challenge.params.get('error_description');
  // The session's own token, sent again once with a new one after the first 401: this API does not take that configuration's tokens.
  const history = sentTokenHistory(facts);
  const what = !isJwt
    ? 'it is not a JWT'
    : `it is a JWT that has not expired${expiresAt === undefined ? '' : ` (exp ${formatTime(expiresAt)})`}, so its signature, issuer or audience does not fit this server`;
  return {
    id: 'bearer-token-invalid',
    message: `Bearer token rejected${description ? ` ("${description}")` : ''}: ${what}.`,
    evidence: withErrorBody(facts.response, [
      `Sent Authorization: Bearer ${maskSecret(token)}`,
      challengeLine(facts),
      isJwt ? undefined : 'The token does not have the three dot-separated parts of a JWT',
      history && tokenIssuedLine(history),
    ]),
    fix: history
      ? { title: `This API does not take the tokens of auth configuration '${history.configName}': check its 'Token URL' (the issuer the API trusts), 'Client ID' (the audience) and that the server issues JWTs for the client` }
      : rerunLoginFix(facts, 'get a valid token'),
  };
};

/** `bearer-token-missing`: the server asked for a Bearer token and the request had no Authorization header. */
export const bearerTokenMissing: Rule = (facts) => {
  if (facts.trigger !== 'unauthorized' || facts.challenge?.scheme !== 'bearer' || facts.credentials !== undefined) return undefined;
  return {
    id: 'bearer-token-missing',
    message: `The server wants a Bearer token (WWW-Authenticate: ${facts.challenge.raw}) and no Authorization header was sent.`,
    evidence: withErrorBody(facts.response, ['No Authorization header was sent', challengeLine(facts)]),
    fix: { title: 'Add Authorization: Bearer {{token}}, taking the token from the login response (e.g. {{login.response.body.$.access_token}})' },
  };
};
