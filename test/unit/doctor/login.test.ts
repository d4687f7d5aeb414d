import { describe } from 'node:test';
import { bootError, context, exchange, hop, login, origin, runCases, sent, sessionA, t0 } from './fixtures';

const loginForm = 'username=alice&password=s3cret-Pa55';

describe('login-failed', () => {
  runCases([
    {
      name: 'form login bounced to /login?error (redirect not followed)',
      exchange: login(t0, sessionA, { stored: [], responseHeaders: [['Location', `${origin}/login?error`]] }),
      context: context({ requestBody: loginForm }),
      ids: ['login-failed'],
      message: ["'login' (POST http://localhost:8080/login) at 2024-05-01T10:00:00Z was sent back to /login?error", "for 'alice'"],
      evidence: ['POST http://localhost:8080/login → 302 Location: http://localhost:8080/login?error', "logged in as 'alice'"],
      notInEvidence: ['s3cret'],
      action: null,
      fixTitle: "sent by 'login'",
    },
    {
      name: 'redirect followed: the chain ends on the login page with ?error',
      exchange: exchange({
        name: 'signIn',
        method: 'POST',
        url: '/login',
        at: t0,
        headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        status: 200,
        finalUrl: '/login?error',
        redirects: [hop('POST', '/login', 302, '/login?error', [sent('JSESSIONID', sessionA)])],
        responseHeaders: [['Content-Type', 'text/html']],
        body: '<html>Bad credentials</html>',
      }),
      context: context({ requestBody: loginForm, loginRequestNames: ['signIn'] }),
      ids: ['login-failed'],
      evidence: ['POST http://localhost:8080/login → 302 Location: http://localhost:8080/login?error'],
    },
    {
      name: 'a JSON login answered 401: login-failed, not "log in first"',
      exchange: exchange({
        name: 'login',
        method: 'POST',
        url: '/api/auth/login',
        at: t0,
        headers: [['Content-Type', 'application/json']],
        status: 401,
        responseHeaders: [['Content-Type', 'application/json']],
        body: bootError(401, 'Unauthorized', 'Bad credentials', '/api/auth/login'),
      }),
      context: context({ requestBody: '{"username":"bob","password":"x"}' }),
      ids: ['login-failed'],
      message: ["got 401", "for 'bob'"],
      evidence: ['message "Bad credentials"'],
    },
  ]);
});

describe('redirect-to-login', () => {
  runCases([
    {
      name: 'Accept: text/html, never logged in, redirect followed to the login page',
      exchange: exchange({
        url: '/api/me',
        at: t0,
        headers: [['Accept', 'text/html,application/xhtml+xml']],
        status: 200,
        finalUrl: '/login',
        responseHeaders: [['Content-Type', 'text/html']],
        redirects: [hop('GET', '/api/me', 302, `${origin}/login`)],
      }),
      context: context(),
      ids: ['no-session-cookie', 'redirect-to-login'],
      about: 'redirect-to-login',
      message: ['Redirected to the login page (/login)', 'Accept: application/json'],
      evidence: [
        'GET http://localhost:8080/api/me → 302 Location: http://localhost:8080/login; the redirect was followed and the final response is http://localhost:8080/login (200)',
        'Sent Accept: text/html,application/xhtml+xml',
      ],
      action: { kind: 'add-header', name: 'Accept', value: 'application/json' },
    },
    {
      name: 'already asking for JSON and still redirected: log in first',
      exchange: exchange({ url: '/api/me', at: t0, headers: [['Accept', 'application/json']], status: 302, responseHeaders: [['Location', '/signin']] }),
      context: context(),
      ids: ['no-session-cookie', 'redirect-to-login'],
      about: 'redirect-to-login',
      message: ['even for Accept: application/json'],
      action: { kind: 'rerun-request', requestName: 'login' },
    },
    {
      name: 'a configured login path',
      exchange: exchange({ url: '/api/me', at: t0, status: 302, responseHeaders: [['Location', '/sso/start']] }),
      context: context({ loginPaths: ['/sso/start'] }),
      ids: ['no-session-cookie', 'redirect-to-login'],
      about: 'redirect-to-login',
      evidence: ['No Accept header was sent'],
    },
  ]);
});
