import { describe } from 'node:test';
import {
  context,
  cookie,
  exchange,
  forbidden,
  hop,
  lifecycle,
  login,
  minutes,
  origin,
  runCases,
  sent,
  sessionA,
  sessionB,
  sessionC,
  t0,
  unauthorized,
} from './fixtures';

// Login at 10:00 (JSESSIONID A), a working call at 10:05, then 31 minutes of nothing.
const loggedIn = login(t0, sessionA);
const worked = exchange({ name: 'me', url: '/api/me', at: t0 + minutes(5), status: 200, sent: [sent('JSESSIONID', sessionA)] });
const jarA = [cookie('JSESSIONID', sessionA)];
const lifecycleA = lifecycle({
  issuedAt: t0,
  issuedBy: 'login',
  lastRotatedAt: t0,
  lastSuccessAt: t0 + minutes(5),
  longestWorkingIdleMs: minutes(10),
});
const afterIdle = { name: 'me', url: '/api/me', at: t0 + minutes(36), sent: [sent('JSESSIONID', sessionA)] };
const expiredContext = context({ history: [loggedIn, worked], lifecycles: [lifecycleA], jar: [cookie('JSESSIONID', sessionB)] });

describe('session-expired', () => {
  runCases([
    {
      name: '401 with a fresh JSESSIONID after 31 idle minutes, gap recorded by the tracker',
      exchange: unauthorized({
        ...afterIdle,
        stored: [cookie('JSESSIONID', sessionB)],
        sessionEvents: [
          { kind: 'rejected-by-server', cookieName: 'JSESSIONID', domain: 'localhost', path: '/', at: t0 + minutes(36), exchangeId: 'x', url: `${origin}/api/me`, idleGapMs: minutes(31) },
        ],
      }),
      context: expiredContext,
      ids: ['session-expired'],
      message: ['JSESSIONID was sent', 'idle 31 min; server timeout is between 10 min and 31 min'],
      evidence: [
        'Sent JSESSIONID=5F2C…0A1B from the jar',
        'It last worked at 2024-05-01T10:05:00Z; this request went out at 2024-05-01T10:36:00Z',
        "Last login: 'login' (POST http://localhost:8080/login) at 2024-05-01T10:00:00Z",
        'The response set a new JSESSIONID=A90D…3D2C',
        'message "Full authentication is required to access this resource", path /api/me',
      ],
      action: { kind: 'rerun-request', requestName: 'login' },
    },
    {
      name: 'lifecycle as the tracker leaves it: ended and re-issued by this 401, no history kept',
      exchange: unauthorized({
        ...afterIdle,
        stored: [cookie('JSESSIONID', sessionB)],
        sessionEvents: [
          { kind: 'rejected-by-server', cookieName: 'JSESSIONID', domain: 'localhost', path: '/', at: t0 + minutes(36), exchangeId: 'x', url: `${origin}/api/me`, idleGapMs: minutes(31) },
          { kind: 'issued', cookieName: 'JSESSIONID', domain: 'localhost', path: '/', at: t0 + minutes(36), exchangeId: 'x', requestName: 'me', url: `${origin}/api/me` },
        ],
      }),
      context: context({
        lifecycles: [
          lifecycle({
            issuedAt: t0 + minutes(36),
            issuedBy: 'me',
            longestWorkingIdleMs: minutes(10),
            shortestFailedIdleMs: minutes(31),
            events: [{ kind: 'issued', cookieName: 'JSESSIONID', domain: 'localhost', path: '/', at: t0, exchangeId: 'l', requestName: 'login', url: `${origin}/login` }],
          }),
        ],
        jar: [cookie('JSESSIONID', sessionB)],
      }),
      ids: ['session-expired'],
      message: ['idle 31 min; server timeout is between 10 min and 31 min'],
      evidence: ['It last worked at 2024-05-01T10:05:00Z'],
      action: { kind: 'rerun-request', requestName: 'login' },
    },
    {
      name: 'gap computed from lastSuccessAt, upper bound narrowed by an earlier failure',
      exchange: unauthorized(afterIdle),
      context: context({ ...expiredContext, lifecycles: [{ ...lifecycleA, shortestFailedIdleMs: minutes(20) }] }),
      ids: ['session-expired'],
      message: ['idle 31 min; server timeout is between 10 min and 20 min'],
      evidence: ['Idle gap: 31 min'],
      action: { kind: 'rerun-request', requestName: 'login' },
    },
    {
      name: 'a browser-like request redirected to /login with an expired session',
      exchange: exchange({
        ...afterIdle,
        headers: [['Accept', 'text/html,application/xhtml+xml']],
        status: 302,
        responseHeaders: [['Location', `${origin}/login`]],
      }),
      context: expiredContext,
      ids: ['session-expired', 'redirect-to-login'],
      message: ['answered a redirect to /login'],
      action: { kind: 'rerun-request', requestName: 'login' },
    },
  ]);
});

const logout = exchange({
  name: 'logout',
  method: 'POST',
  url: '/logout',
  at: t0 + minutes(10),
  status: 302,
  responseHeaders: [['Location', `${origin}/login?logout`]],
  sent: [sent('JSESSIONID', sessionA)],
});

describe('session-logged-out', () => {
  runCases([
    {
      name: 'a POST /logout invalidated the session; the cookie is still sent',
      exchange: unauthorized({ url: '/api/me', at: t0 + minutes(11), sent: [sent('JSESSIONID', sessionA)] }),
      context: context({ history: [loggedIn, worked, logout], lifecycles: [lifecycleA], jar: jarA }),
      ids: ['session-logged-out'],
      message: ["'logout' at 2024-05-01T10:10:00Z ended the session"],
      evidence: ["Logout: 'logout' (POST http://localhost:8080/logout) at 2024-05-01T10:10:00Z → 302", 'JSESSIONID is the cookie the logout invalidated'],
      action: { kind: 'rerun-request', requestName: 'login' },
    },
    {
      name: 'a followed redirect to /login?logout counts as a logout too',
      exchange: unauthorized({ url: '/api/me', at: t0 + minutes(11), sent: [sent('JSESSIONID', sessionC)] }),
      context: context({
        history: [
          loggedIn,
          exchange({
            url: '/signout',
            at: t0 + minutes(10),
            status: 200,
            finalUrl: '/login?logout',
            redirects: [hop('GET', '/signout', 302, '/login?logout', [sent('JSESSIONID', sessionA)])],
          }),
        ],
      }),
      ids: ['session-logged-out'],
      evidence: ['Logout: GET http://localhost:8080/signout at 2024-05-01T10:10:00Z → 200', 'No login request succeeded after the logout'],
    },
    {
      name: 'a login after the logout: the later 401 is an expiry, not the logout',
      exchange: unauthorized({ ...afterIdle, at: t0 + minutes(60), sent: [sent('JSESSIONID', sessionB)] }),
      context: context({ history: [loggedIn, logout, login(t0 + minutes(20), sessionB)], jar: [cookie('JSESSIONID', sessionB)] }),
      ids: ['session-expired'],
      message: ['idle 40 min'],
      evidence: ["Last login: 'login' (POST http://localhost:8080/login) at 2024-05-01T10:20:00Z"],
    },
  ]);
});

describe('no-session-cookie', () => {
  runCases([
    {
      name: 'never logged in: empty jar, no Authorization, Boot 401 with a Basic challenge',
      exchange: unauthorized({ url: '/api/me', at: t0 }),
      context: context(),
      ids: ['no-session-cookie'],
      message: ['no session cookie and no Authorization header went to http://localhost:8080/api/me'],
      evidence: [
        'No session cookie (JSESSIONID or SESSION) was sent to http://localhost:8080/api/me',
        'No Authorization header was sent',
        'No login request has succeeded in this session',
        'error "Unauthorized"',
      ],
      action: { kind: 'rerun-request', requestName: 'login' },
    },
    {
      name: 'only the anonymous JSESSIONID of a saved request was sent',
      exchange: unauthorized({ url: '/api/orders', at: t0 + minutes(1), sent: [sent('JSESSIONID', sessionC)] }),
      context: context({
        history: [unauthorized({ url: '/api/me', at: t0, stored: [cookie('JSESSIONID', sessionC)] })],
        lifecycles: [lifecycle({ issuedAt: t0, issuedBy: 'me' })],
        jar: [cookie('JSESSIONID', sessionC)],
      }),
      ids: ['no-session-cookie'],
      message: ['JSESSIONID belongs to an anonymous session'],
      evidence: ['Sent JSESSIONID=0E1D…E0F1 from the jar', 'JSESSIONID was issued by GET http://localhost:8080/api/me at 2024-05-01T10:00:00Z, an anonymous request'],
      action: { kind: 'rerun-request', requestName: 'login' },
    },
    {
      name: 'an anonymous 403 (no entry point configured) is not access-denied',
      exchange: forbidden({ url: '/api/me', at: t0 }, 'Access Denied'),
      context: context(),
      ids: ['no-session-cookie'],
      evidence: ['Spring answers 403 instead of 401 to anonymous requests', 'message "Access Denied"'],
    },
    {
      name: 'no login request in the file: the fix says to add one',
      exchange: unauthorized({ url: '/api/me', at: t0, responseHeaders: [], body: '' }),
      context: context({ loginRequestNames: [], jar: [cookie('SESSION', sessionA, { domain: 'other.example' })] }),
      ids: ['no-session-cookie'],
      action: null,
      fixTitle: 'Add a login request',
    },
  ]);
});

// Spring Session with maximumSessions(1): a second login elsewhere expires this SESSION.
const expiryText = 'This session has been expired (possibly due to multiple concurrent logins being attempted as the same user).';
const springSessionLogin = login(t0, 'NjFjZDM0', { stored: [cookie('SESSION', 'NjFjZDM0')] });
const expiredByNewerLogin = exchange({
  name: 'me',
  url: '/api/me',
  at: t0 + minutes(1),
  status: 200,
  body: expiryText,
  sent: [sent('SESSION', 'NjFjZDM0')],
  stored: [cookie('SESSION', '')],
});

describe('session-expired by a newer login (maximumSessions)', () => {
  runCases([
    {
      name: "Spring's 200 expiry answer itself",
      exchange: expiredByNewerLogin,
      context: context({ history: [springSessionLogin] }),
      ids: ['session-expired'],
      message: ['Session expired by a newer login', 'answered 200 with its expiry notice instead of the data and deleted SESSION'],
      evidence: [`The response says: "${expiryText}"`, 'This response deleted SESSION', 'at most maximumSessions sessions per user'],
      action: { kind: 'rerun-request', requestName: 'login' },
    },
    {
      name: 'the 401 that follows, with no session cookie left',
      exchange: unauthorized({ url: '/api/me', at: t0 + minutes(2) }),
      context: context({ history: [springSessionLogin, expiredByNewerLogin] }),
      ids: ['session-expired'],
      message: ["'me' (GET http://localhost:8080/api/me) at 2024-05-01T10:01:00Z was told the session ended because the same user logged in again", 'answered 401'],
    },
    {
      name: 'a login after the expiry: the next 401 is about something else',
      exchange: unauthorized({ url: '/api/me', at: t0 + minutes(3) }),
      context: context({ history: [springSessionLogin, expiredByNewerLogin, login(t0 + minutes(2), sessionB)] }),
      ids: ['no-session-cookie'],
    },
  ]);
});

describe('remember-me-rejected', () => {
  const rememberMe = 'dXNlcjoxNzk3MDk3MzQ5OTkzOlNIQTI1Njo4Njlm';
  const rememberLogin = login(t0, sessionA, { stored: [cookie('JSESSIONID', sessionA), cookie('remember-me', rememberMe)] });
  runCases([
    {
      name: 'the expired session and the remember-me cookie went out; the 401 deleted remember-me',
      exchange: unauthorized({ ...afterIdle, sent: [sent('JSESSIONID', sessionA), sent('remember-me', rememberMe)], stored: [cookie('remember-me', '')] }),
      context: context({ history: [rememberLogin, worked], lifecycles: [lifecycleA] }),
      ids: ['remember-me-rejected'],
      message: ['deleted the remember-me cookie this request sent', 'without rememberMe().key(…) Spring picks a new random key at every start'],
      evidence: ['This 401 response deleted remember-me', "remember-me was set by 'login' (POST http://localhost:8080/login)", 'the server had no session for it either'],
      notInEvidence: [rememberMe],
      action: { kind: 'rerun-request', requestName: 'login' },
    },
  ]);
});
