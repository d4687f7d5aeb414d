import { randomBytes } from 'node:crypto';
import { describe } from 'node:test';
import { context, cookie, exchange, forbidden, login, minutes, runCases, sent, sessionA, sessionB, t0, xsrfNew, xsrfOld } from './fixtures';

// CookieCsrfTokenRepository: GET / hands out XSRF-TOKEN (old); the login rotates it (new).
const home = exchange({ name: 'home', url: '/', at: t0, status: 200, stored: [cookie('JSESSIONID', sessionA), cookie('XSRF-TOKEN', xsrfOld)] });
const loggedIn = login(t0 + minutes(1), sessionB, { stored: [cookie('JSESSIONID', sessionB), cookie('XSRF-TOKEN', xsrfNew)] });
const jar = [cookie('JSESSIONID', sessionB), cookie('XSRF-TOKEN', xsrfNew)];
const jsonPost = { name: 'createOrder', method: 'POST', url: '/api/orders', at: t0 + minutes(2), headers: [['Content-Type', 'application/json']] as const, bodySize: 12 };
const sentBoth = [sent('JSESSIONID', sessionB), sent('XSRF-TOKEN', xsrfNew)];
const csrfMessage = "Invalid CSRF Token 'null' was found on the request parameter '_csrf' or header 'X-XSRF-TOKEN'.";

// HttpSessionCsrfTokenRepository: the token only exists in the login page's form.
const formPage = (token: string) =>
  exchange({
    name: 'loginPage',
    url: '/login',
    at: t0,
    status: 200,
    responseHeaders: [['Content-Type', 'text/html;charset=UTF-8']],
    body: `<form method="post" action="/login"><input type="text" name="username"/><input name="_csrf" type="hidden" value="${token}" /></form>`,
    stored: [cookie('JSESSIONID', sessionA)],
  });
const formPost = { method: 'POST', url: '/transfer', at: t0 + minutes(2), headers: [['Content-Type', 'application/x-www-form-urlencoded']] as const, bodySize: 20, sent: [sent('JSESSIONID', sessionA)] };

describe('csrf-token-missing', () => {
  runCases([
    {
      name: 'POST with the XSRF-TOKEN cookie in the jar and no X-XSRF-TOKEN header',
      exchange: forbidden({ ...jsonPost, sent: sentBoth }, csrfMessage),
      context: context({ history: [home, loggedIn], jar, requestBody: '{"item": 42}' }),
      ids: ['csrf-token-missing'],
      message: ['POST /api/orders sent no X-XSRF-TOKEN header and no _csrf field'],
      evidence: [
        'No X-XSRF-TOKEN header and no _csrf field in the body were sent',
        "The jar holds XSRF-TOKEN=e4d2…9a00, set by 'login' (POST http://localhost:8080/login) at 2024-05-01T10:01:00Z",
        `message "${csrfMessage}"`,
      ],
      action: { kind: 'add-header', name: 'X-XSRF-TOKEN', value: '{{$cookie XSRF-TOKEN}}' },
    },
    {
      name: 'first POST of a session: the 403 itself hands out XSRF-TOKEN; body not given to the doctor',
      exchange: forbidden({ ...jsonPost, sent: [sent('JSESSIONID', sessionB)], stored: [cookie('XSRF-TOKEN', xsrfNew)] }),
      context: context({ history: [loggedIn], jar }),
      ids: ['csrf-token-missing'],
      message: ['went out before the server had issued a token — this 403 set XSRF-TOKEN just now', 'Send the request again'],
      evidence: ['This 403 response set XSRF-TOKEN=e4d2…9a00: the server expects it back as X-XSRF-TOKEN', 'the jar held no XSRF-TOKEN for this URL yet'],
      action: { kind: 'resend' },
    },
    {
      name: '# @csrf off kept the session from adding the header',
      exchange: forbidden({ ...jsonPost, sent: sentBoth }),
      context: context({ history: [home, loggedIn], jar, requestBody: '{"item": 42}', directives: { csrf: 'off' } }),
      ids: ['csrf-token-missing'],
      evidence: ['# @csrf off is set on this request'],
      action: { kind: 'remove-directive', directive: 'csrf' },
    },
    {
      name: 'session-stored token: the login form had a _csrf field, the POST body did not',
      exchange: forbidden(formPost),
      context: context({ history: [formPage(xsrfOld)], jar: [cookie('JSESSIONID', sessionA)], requestBody: 'amount=10&to=bob' }),
      ids: ['csrf-token-missing'],
      evidence: ["'loginPage' (GET http://localhost:8080/login) at 2024-05-01T10:00:00Z served a form with a _csrf field"],
      action: null,
      fixTitle: '_csrf={{loginPage.response.csrf}}',
    },
  ]);
});

describe('csrf-token-stale', () => {
  runCases([
    {
      name: 'X-XSRF-TOKEN copied before the login; the login rotated XSRF-TOKEN',
      exchange: forbidden({ ...jsonPost, headers: [...jsonPost.headers, ['X-XSRF-TOKEN', xsrfOld]], sent: sentBoth }, csrfMessage),
      context: context({ history: [home, loggedIn], jar, requestBody: '{"item": 42}' }),
      ids: ['csrf-token-stale'],
      message: ['the X-XSRF-TOKEN header carried b1f7…2a11', "current token is e4d2…9a00 — it changed at 'login' (POST http://localhost:8080/login) at 2024-05-01T10:01:00Z"],
      evidence: [
        'Sent X-XSRF-TOKEN header: b1f7…2a11',
        "The token rotated at 'login' (POST http://localhost:8080/login) at 2024-05-01T10:01:00Z",
        "The sent value is the older XSRF-TOKEN set by 'home' (GET http://localhost:8080/) at 2024-05-01T10:00:00Z",
      ],
      notInEvidence: [xsrfOld, xsrfNew],
      action: { kind: 'add-header', name: 'X-XSRF-TOKEN', value: '{{$cookie XSRF-TOKEN}}' },
      fixTitle: 'Replace the written X-XSRF-TOKEN',
    },
    {
      name: 'a _csrf field from an older form page',
      exchange: forbidden(formPost),
      context: context({
        history: [formPage(xsrfOld), { ...formPage(xsrfNew), id: 'page2', startedAt: t0 + minutes(1) }],
        jar: [cookie('JSESSIONID', sessionA)],
        requestBody: `amount=10&to=bob&_csrf=${xsrfOld}`,
      }),
      ids: ['csrf-token-stale'],
      evidence: ['Sent _csrf field: b1f7…2a11', "The latest form's _csrf is e4d2…9a00"],
      fixTitle: '_csrf={{loginPage.response.csrf}}',
    },
  ]);
});

/** Spring Security 6's masked token: base64url(random ‖ random XOR token), new on every render. */
function masked(token: string): string {
  const bytes = Buffer.from(token);
  const random = randomBytes(bytes.length);
  return Buffer.concat([random, bytes.map((byte, index) => byte ^ random[index]!)]).toString('base64url');
}

describe('csrf-token-stale (session-stored token)', () => {
  runCases([
    {
      name: "the login page's token, sent after the login replaced it (no XSRF-TOKEN cookie)",
      exchange: forbidden({ ...formPost, sent: [sent('JSESSIONID', sessionB)] }),
      context: context({
        history: [formPage(masked(xsrfOld)), login(t0 + minutes(1), sessionB)],
        jar: [cookie('JSESSIONID', sessionB)],
        requestBody: `amount=10&_csrf=${masked(xsrfOld)}`,
      }),
      ids: ['csrf-token-stale'],
      message: ["the _csrf field carried the token of 'loginPage'", "'login' (POST http://localhost:8080/login) at 2024-05-01T10:01:00Z replaced it"],
      evidence: ['No XSRF-TOKEN cookie: the server keeps the token in the session'],
      fixTitle: '_csrf={{thatPage.response.csrf}}',
    },
  ]);
});

describe('csrf-token-unmasked', () => {
  runCases([
    {
      name: 'the raw XSRF-TOKEN cookie value as X-XSRF-TOKEN, refused (Spring Security 6 XOR handler)',
      exchange: forbidden({ ...jsonPost, headers: [...jsonPost.headers, ['X-XSRF-TOKEN', xsrfNew]], sent: sentBoth }),
      context: context({ history: [home, loggedIn], jar, requestBody: '{"item": 42}' }),
      ids: ['csrf-token-unmasked'],
      message: ['carried the raw XSRF-TOKEN cookie value as X-XSRF-TOKEN', 'accepts only a masked token', 'Sending the cookie again will not pass'],
      evidence: [
        'Sent X-XSRF-TOKEN: e4d2…9a00 — exactly the XSRF-TOKEN cookie\'s value',
        "The jar holds XSRF-TOKEN=e4d2…9a00, set by 'login'",
        'No unsafe request with a raw token has passed on http://localhost:8080 in this session',
        '96 characters for this token',
      ],
      action: null,
      fixTitle: 'csrf.spa()',
    },
    {
      name: 'a masked token for the current token is not stale',
      exchange: forbidden({ ...jsonPost, headers: [...jsonPost.headers, ['X-XSRF-TOKEN', masked(xsrfNew)]], sent: sentBoth }),
      context: context({ history: [home, loggedIn], jar, requestBody: '{"item": 42}' }),
      ids: ['access-denied'],
      evidence: ["The CSRF token sent matches the server's current one (e4d2…9a00)"],
    },
    {
      name: 'a masked token for the token from before the login is stale',
      exchange: forbidden({ ...jsonPost, headers: [...jsonPost.headers, ['X-XSRF-TOKEN', masked(xsrfOld)]], sent: sentBoth }),
      context: context({ history: [home, loggedIn], jar, requestBody: '{"item": 42}' }),
      ids: ['csrf-token-stale'],
      evidence: ["The sent value is the older XSRF-TOKEN set by 'home'"],
    },
  ]);
});

describe('csrf-token-masked', () => {
  const rawPassed = exchange({ name: 'note', method: 'POST', url: '/api/notes', at: t0 + minutes(1.5), status: 201, headers: [['X-XSRF-TOKEN', xsrfNew]], sent: sentBoth });
  runCases([
    {
      name: 'a masked token in the header, on a server that took the raw cookie value (SPA handler)',
      exchange: forbidden({ ...jsonPost, headers: [...jsonPost.headers, ['X-XSRF-TOKEN', masked(xsrfNew)]], sent: sentBoth }),
      context: context({ history: [home, loggedIn, rawPassed], jar, requestBody: '{"item": 42}' }),
      ids: ['csrf-token-masked'],
      message: ['carried a masked token', "takes the header as the raw XSRF-TOKEN value"],
      evidence: ["'note' (POST http://localhost:8080/api/notes) at 2024-05-01T10:01:30Z passed with the raw XSRF-TOKEN value in X-XSRF-TOKEN"],
      action: { kind: 'add-header', name: 'X-XSRF-TOKEN', value: '{{$cookie XSRF-TOKEN}}' },
    },
  ]);
});
