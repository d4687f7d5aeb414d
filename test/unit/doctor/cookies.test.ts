import { describe } from 'node:test';
import { context, cookie, exchange, login, minutes, runCases, sent, sessionA, sessionB, t0, unauthorized } from './fixtures';

// The login page handed out JSESSIONID A; the login POST rotated it to B (changeSessionId()).
const loginPage = exchange({ name: 'loginPage', url: '/login', at: t0, status: 200, stored: [cookie('JSESSIONID', sessionA)] });
const rotated = login(t0 + minutes(1), sessionB, { sent: [sent('JSESSIONID', sessionA)] });

describe('stale-cookie-header', () => {
  runCases([
    {
      name: 'a pasted Cookie: JSESSIONID from before the login overrode the rotated jar cookie',
      exchange: unauthorized({
        url: '/api/me',
        at: t0 + minutes(2),
        headers: [['Cookie', `JSESSIONID=${sessionA}`]],
        sent: [sent('JSESSIONID', sessionA, 'header', true)],
      }),
      context: context({ history: [loginPage, rotated], jar: [cookie('JSESSIONID', sessionB)] }),
      ids: ['stale-cookie-header'],
      message: ["sent JSESSIONID=5F2C…0A1B, overriding the jar's current JSESSIONID (set by 'login')"],
      evidence: [
        "The jar's JSESSIONID for this URL was A90D…3D2C",
        "The jar's value was set by 'login' (POST http://localhost:8080/login) at 2024-05-01T10:01:00Z",
      ],
      action: { kind: 'remove-header', name: 'Cookie' },
      fixTitle: 'Delete the Cookie header',
    },
    {
      name: 'the 401 itself stored a fresh cookie: compare with the value the jar held when sending',
      exchange: unauthorized({
        url: '/api/me',
        at: t0 + minutes(2),
        sent: [sent('JSESSIONID', sessionA, 'header', true)],
        stored: [cookie('JSESSIONID', 'FRESHFRESHFRESHFRESH')],
      }),
      context: context({ history: [loginPage, rotated], jar: [cookie('JSESSIONID', 'FRESHFRESHFRESHFRESH')] }),
      ids: ['stale-cookie-header'],
      evidence: ["The jar's JSESSIONID for this URL was A90D…3D2C"],
    },
  ]);
});

describe('cookie-path-mismatch', () => {
  runCases([
    {
      name: 'logged in to the app at /app, then called /api',
      exchange: unauthorized({ url: '/api/me', at: t0 + minutes(2) }),
      context: context({
        history: [login(t0, sessionA, { url: '/app/login', stored: [cookie('JSESSIONID', sessionA, { path: '/app' })] })],
        jar: [cookie('JSESSIONID', sessionA, { path: '/app' })],
      }),
      ids: ['cookie-path-mismatch'],
      message: ['JSESSIONID is scoped to Path=/app, and this request went to /api/me'],
      evidence: [
        "The jar holds JSESSIONID (localhost, Path=/app), set by 'login' (POST http://localhost:8080/app/login) at 2024-05-01T10:00:00Z",
        'path /api/me is outside Path=/app',
      ],
      action: null,
      fixTitle: 'under /app',
    },
  ]);
});

describe('cookie-host-mismatch', () => {
  runCases([
    {
      name: 'logged in at 127.0.0.1, called localhost',
      exchange: unauthorized({ url: 'http://localhost:8080/api/me', at: t0 + minutes(2) }),
      context: context({
        history: [login(t0, sessionA, { url: 'http://127.0.0.1:8080/login', stored: [cookie('JSESSIONID', sessionA, { domain: '127.0.0.1' })] })],
        jar: [cookie('JSESSIONID', sessionA, { domain: '127.0.0.1' })],
      }),
      ids: ['cookie-host-mismatch'],
      message: ['JSESSIONID is in the jar for 127.0.0.1, but this request went to localhost'],
      evidence: ["The jar holds JSESSIONID (127.0.0.1, Path=/), set by 'login' (POST http://127.0.0.1:8080/login)"],
      action: { kind: 'switch-host', url: 'http://127.0.0.1:8080/api/me' },
    },
    {
      name: 'logged in at localhost, called [::1]',
      exchange: unauthorized({ url: 'http://[::1]:8080/api/me?x=1', at: t0 + minutes(2) }),
      context: context({ jar: [cookie('JSESSIONID', sessionA)] }),
      ids: ['cookie-host-mismatch'],
      action: { kind: 'switch-host', url: 'http://localhost:8080/api/me?x=1' },
    },
    {
      name: 'another host name seen on the same port in history counts as the same server',
      exchange: unauthorized({ url: 'http://devbox:8080/api/me', at: t0 + minutes(2) }),
      context: context({
        history: [login(t0, sessionA, { url: 'http://devbox.lan:8080/login' })],
        jar: [cookie('JSESSIONID', sessionA, { domain: 'devbox.lan' })],
      }),
      ids: ['cookie-host-mismatch'],
      action: { kind: 'switch-host', url: 'http://devbox.lan:8080/api/me' },
    },
  ]);
});

describe('cookie-secure-over-http', () => {
  runCases([
    {
      name: 'a Secure JSESSIONID withheld from a plain http request',
      exchange: unauthorized({ url: 'http://app.example.test/api/me', at: t0 + minutes(2) }),
      context: context({
        history: [login(t0, sessionA, { url: 'https://app.example.test/login', stored: [cookie('JSESSIONID', sessionA, { domain: 'app.example.test', secure: true })] })],
        jar: [cookie('JSESSIONID', sessionA, { domain: 'app.example.test', secure: true })],
      }),
      ids: ['cookie-secure-over-http'],
      message: ['JSESSIONID is a Secure cookie and this request used http://'],
      evidence: ["set by 'login' (POST https://app.example.test/login)", 'JSESSIONID has the Secure attribute', 'http://app.example.test over plain http'],
      action: { kind: 'switch-host', url: 'https://app.example.test/api/me' },
    },
  ]);
});

const refusedLogin = (setCookie: string, reason: string) =>
  login(t0 + minutes(1), sessionB, {
    stored: [],
    sent: [sent('JSESSIONID', sessionA)],
    rejected: [{ setCookie, url: 'http://localhost:8080/login', reason }],
  });

describe('cookie-rejected', () => {
  runCases([
    {
      name: "the login's rotated JSESSIONID had a foreign Domain; the stale one kept going out",
      exchange: unauthorized({ url: '/api/me', at: t0 + minutes(2), sent: [sent('JSESSIONID', sessionA)] }),
      context: context({
        history: [
          loginPage,
          refusedLogin(`JSESSIONID=${sessionB}; Path=/; Domain=example.com; HttpOnly`, "Cookie not in this host's domain. Cookie:example.com Request:localhost"),
        ],
        jar: [cookie('JSESSIONID', sessionA)],
      }),
      ids: ['cookie-rejected'],
      message: ["The server's JSESSIONID never reached the jar", "Cookie not in this host's domain"],
      evidence: [
        "'login' (POST http://localhost:8080/login) at 2024-05-01T10:01:00Z received Set-Cookie: JSESSIONID=A90D…3D2C; Path=/; Domain=example.com; HttpOnly",
        'The jar rejected it for http://localhost:8080/login',
        'No JSESSIONID was stored after that',
      ],
      notInEvidence: [sessionB],
      action: { kind: 'switch-host', url: 'http://example.com:8080/api/me' },
    },
    {
      name: 'rejected for another reason: the fix names the reason, no host to switch to',
      exchange: unauthorized({ url: '/api/me', at: t0 + minutes(2) }),
      context: context({ history: [refusedLogin(`JSESSIONID=${sessionB}; Path=/; SameSite=None`, 'SameSite=None requires Secure')] }),
      ids: ['cookie-rejected'],
      action: null,
      fixTitle: 'SameSite=None requires Secure',
    },
    {
      name: 'a flood of cookies evicted the stored JSESSIONID: said as an eviction, not as a refused Set-Cookie',
      exchange: unauthorized({ url: '/api/me', at: t0 + minutes(3) }),
      context: context({
        history: [
          login(t0 + minutes(1), sessionB),
          exchange({
            name: 'flood',
            url: '/flood',
            at: t0 + minutes(2),
            status: 200,
            rejected: [{ setCookie: `JSESSIONID=${sessionB}; Path=/; HttpOnly`, url: 'http://localhost:8080/flood', reason: 'evicted: more than 180 cookies for localhost', evicted: true }],
          }),
        ],
      }),
      ids: ['cookie-rejected'],
      message: ["The jar dropped the server's JSESSIONID (evicted: more than 180 cookies for localhost)"],
      evidence: ["'flood' (GET http://localhost:8080/flood) at 2024-05-01T10:02:00Z filled the jar, which dropped JSESSIONID=A90D…3D2C; Path=/; HttpOnly"],
      notInEvidence: [sessionB],
      action: null,
      fixTitle: 'Find why localhost sets more cookies than browsers keep',
    },
    {
      name: 'a rejection followed by a stored cookie is history, not the cause',
      exchange: unauthorized({ url: '/api/me', at: t0 + minutes(3), sent: [sent('JSESSIONID', sessionB)] }),
      context: context({
        history: [refusedLogin(`JSESSIONID=x; Domain=example.com`, 'Cookie not in this host\'s domain'), login(t0 + minutes(2), sessionB)],
        jar: [cookie('JSESSIONID', sessionB)],
      }),
      ids: ['session-expired'],
    },
  ]);
});

describe('cookie-jar-disabled', () => {
  runCases([
    {
      name: '# @no-cookie-jar on a request that needed the login session',
      exchange: unauthorized({ url: '/api/me', at: t0 + minutes(2) }),
      context: context({ history: [rotated], jar: [cookie('JSESSIONID', sessionB)], directives: { noCookieJar: true } }),
      ids: ['cookie-jar-disabled'],
      message: ["# @no-cookie-jar, so the jar's JSESSIONID was not sent"],
      evidence: ["The jar holds JSESSIONID (localhost, Path=/), set by 'login' (POST http://localhost:8080/login) at 2024-05-01T10:01:00Z"],
      action: { kind: 'remove-directive', directive: 'no-cookie-jar' },
    },
  ]);
});
