import { describe } from 'node:test';
import { tokenHistories } from '../../../src/core/auth/tokenHistory';
import { context, exchange, jwt, minutes, runCases, t0 } from './fixtures';

const bearer401 = (token: string | undefined, challenge: string) =>
  exchange({
    url: '/api/me',
    at: t0,
    headers: token === undefined ? [] : [['Authorization', `Bearer ${token}`]],
    status: 401,
    responseHeaders: [['WWW-Authenticate', challenge]],
  });
const basic = (userPassword: string) => `Basic ${Buffer.from(userPassword).toString('base64')}`;
const expiredJwt = jwt({ sub: 'alice', exp: (t0 - minutes(5)) / 1000 });
const liveJwt = jwt({ sub: 'alice', exp: (t0 + minutes(55)) / 1000 });
// The clock reads 11:00; the request went out at 10:00; the token expired at 09:55.
const tokenContext = context({ loginRequestNames: ['getToken'] });

describe('basic-auth-required', () => {
  runCases([
    {
      name: 'wrong password: 401 with a Basic challenge to the Authorization header sent (no cookie blame)',
      exchange: exchange({ url: '/api/me', at: t0, headers: [['Authorization', basic('alice:wrong')]], status: 401, responseHeaders: [['WWW-Authenticate', 'Basic realm="Realm"']] }),
      context: context(),
      ids: ['basic-auth-required'],
      message: ["for user 'alice'"],
      evidence: ["Sent Authorization: Basic … (user 'alice')", 'WWW-Authenticate: Basic realm="Realm"'],
      notInEvidence: ['wrong'],
      action: null,
    },
    {
      name: 'no credentials to a Basic-only API (no login request, no session anywhere)',
      exchange: exchange({ url: '/api/me', at: t0, status: 401, responseHeaders: [['WWW-Authenticate', 'Basic realm="Realm"']] }),
      context: context({ loginRequestNames: [] }),
      ids: ['basic-auth-required'],
      message: ['asks for HTTP Basic credentials'],
      evidence: ['No Authorization header and no session cookie were sent'],
      fixTitle: 'Authorization: Basic',
    },
  ]);
});

describe('bearer tokens', () => {
  runCases([
    {
      name: 'an expired JWT: exp read without verifying, time relative to the clock',
      exchange: bearer401(expiredJwt, 'Bearer error="invalid_token", error_description="Jwt expired at 2024-05-01T09:55:00Z"'),
      context: tokenContext,
      ids: ['bearer-token-expired'],
      message: ['expired at 2024-05-01T09:55:00Z, 1 h 5 min ago'],
      evidence: ["The token's exp claim is 2024-05-01T09:55:00Z", 'went out at 2024-05-01T10:00:00Z, 5 min after it expired', 'Jwt expired at'],
      notInEvidence: [expiredJwt],
      action: { kind: 'rerun-request', requestName: 'getToken' },
    },
    {
      name: "an expired token of the session's auth configuration: the evidence tells its own lifetime",
      exchange: bearer401(expiredJwt, 'Bearer error="invalid_token", error_description="Jwt expired at 2024-05-01T09:55:00Z"'),
      context: context({
        loginRequestNames: ['getToken'],
        tokenHistory: (token) =>
          token === expiredJwt
            ? tokenHistories([{ kind: 'issued', at: t0 - minutes(10), configName: 'api', grant: 'client_credentials', scope: 'read', expiresAt: t0 - minutes(5) }])[0]
            : undefined,
      }),
      ids: ['bearer-token-expired'],
      evidence: [
        "The token of auth configuration 'api' was issued 2024-05-01T09:50:00Z by client credentials with scope read",
        'The token endpoint said it lasts until 2024-05-01T09:55:00Z: it expired 5 min before this request',
      ],
      notInEvidence: [expiredJwt],
    },
    {
      name: "a token of the session's auth configuration the API does not take: its lifetime, and the configuration to check",
      exchange: bearer401('opaque-token-1234567890', 'Bearer error="invalid_token", error_description="An error occurred while attempting to decode the Jwt"'),
      context: context({
        loginRequestNames: ['getToken'],
        tokenHistory: (token) =>
          token === 'opaque-token-1234567890'
            ? tokenHistories([{ kind: 'issued', at: t0 - minutes(1), configName: 'svc', grant: 'client_credentials', scope: 'read', expiresAt: t0 + minutes(9) }])[0]
            : undefined,
      }),
      ids: ['bearer-token-invalid'],
      evidence: ["The token of auth configuration 'svc' was issued 2024-05-01T09:59:00Z by client credentials with scope read"],
      notInEvidence: ['opaque-token-1234567890'],
      fixTitle: "This API does not take the tokens of auth configuration 'svc'",
    },
    {
      name: 'an opaque (non-JWT) token rejected as invalid_token',
      exchange: bearer401('opaque-token-1234567890', 'Bearer error="invalid_token", error_description="An error occurred while attempting to decode the Jwt"'),
      context: tokenContext,
      ids: ['bearer-token-invalid'],
      message: ['("An error occurred while attempting to decode the Jwt")', 'it is not a JWT'],
      evidence: ['does not have the three dot-separated parts of a JWT'],
      action: { kind: 'rerun-request', requestName: 'getToken' },
    },
    {
      name: 'a JWT that has not expired but is still refused: invalid, not expired',
      exchange: bearer401(liveJwt, 'Bearer error="invalid_token", error_description="Signed JWT rejected: Invalid signature"'),
      context: tokenContext,
      ids: ['bearer-token-invalid'],
      message: ['has not expired (exp 2024-05-01T10:55:00Z)', 'signature, issuer or audience'],
    },
    {
      name: 'a Bearer challenge with no token: no cookie findings even with an empty jar and a login request',
      exchange: bearer401(undefined, 'Bearer'),
      context: context(),
      ids: ['bearer-token-missing'],
      evidence: ['No Authorization header was sent'],
    },
  ]);
});
