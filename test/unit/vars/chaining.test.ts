import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactExchange } from '../../../src/core/secrets';
import { parseChainReference, resolveChain, type ChainResult } from '../../../src/core/vars/chaining';
import { extractFormFieldValue } from '../../../src/core/vars/formField';
import { makeExchange } from './support';

// Spring Security 6's generated login page (DefaultLoginPageGeneratingFilter), trimmed.
const springLoginPage = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
    <title>Please sign in</title>
    <link href="/default-ui.css" rel="stylesheet" />
  </head>
  <body>
    <div class="content">
      <form class="login-form" method="post" action="/login">
        <h2>Please sign in</h2>
        <p>
          <label for="username" class="screenreader">Username</label>
          <input type="text" id="username" name="username" placeholder="Username" required autofocus>
        </p>
        <p>
          <label for="password" class="screenreader">Password</label>
          <input type="password" id="password" name="password" placeholder="Password" required>
        </p>
<input name="_csrf" type="hidden" value="fQ1dOQ_yTkW3hZ-x9Hb2n8gUoYk3Tj1lZ4Vv6sq_Ih7vP0mW&#45;abc&amp;d" />
        <button type="submit" class="primary">Sign in</button>
      </form>
    </div>
  </body>
</html>`;

const formCases: readonly { name: string; html: string; field?: string; expected: string | undefined }[] = [
  { name: 'Spring Security default login page (entities decoded)', html: springLoginPage, expected: 'fQ1dOQ_yTkW3hZ-x9Hb2n8gUoYk3Tj1lZ4Vv6sq_Ih7vP0mW-abc&d' },
  { name: 'value before name, single quotes', html: `<INPUT value='t1' type='hidden' name='_csrf'>`, expected: 't1' },
  { name: 'unquoted attributes', html: '<input type=hidden name=_csrf value=t2>', expected: 't2' },
  { name: 'multi-line tag with > inside a quoted attribute', html: '<input\n  data-x="a>b"\n  name="_csrf"\n  value="t3"/>', expected: 't3' },
  { name: 'only a similarly named field', html: '<input name="_csrf_header" value="no">', expected: undefined },
  { name: 'Thymeleaf meta tag', html: '<meta name="_csrf" content="m1"/><meta name="_csrf_header" content="X-CSRF-TOKEN"/>', expected: 'm1' },
  { name: 'input wins over meta', html: '<meta name="_csrf" content="m1"><input name="_csrf" value="i1">', expected: 'i1' },
  { name: 'configured field name', html: '<input name="csrfmiddlewaretoken" value="dj">', field: 'csrfmiddlewaretoken', expected: 'dj' },
  { name: 'numeric and hex entities', html: '<input name="_csrf" value="&#x41;&#66;&quot;&lt;">', expected: 'AB"<' },
  { name: 'no form at all', html: '<p>hello</p>', expected: undefined },
];

for (const { name, html, field, expected } of formCases) {
  test(`extractFormFieldValue: ${name}`, () => {
    assert.equal(extractFormFieldValue(html, field ?? '_csrf'), expected);
  });
}

const login = makeExchange({
  name: 'login',
  requestHeaders: [['Content-Type', 'application/json'], ['X-Trace', 'abc'], ['Authorization', 'Basic dXNlcg==']],
  requestBody: '{"user":"alice"}',
  headers: [
    ['Content-Type', 'application/json'],
    ['Location', '/home'],
    ['Vary', 'Origin'],
    ['vary', 'Accept'],
    ['Set-Cookie', 'JSESSIONID=stored-in-jar; Path=/; HttpOnly'],
    ['Set-Cookie', 'REJECTED=raw-value; Domain=other.example; Path=/'],
  ],
  body: JSON.stringify({ token: 'tok-1', user: { id: 7, roles: ['admin', 'user'] }, empty: '' }),
  stored: [
    { name: 'JSESSIONID', value: 'first', domain: 'localhost', path: '/', secure: false, httpOnly: true, hostOnly: true },
    { name: 'JSESSIONID', value: 'rotated', domain: 'localhost', path: '/', secure: false, httpOnly: true, hostOnly: true },
  ],
});
const form = makeExchange({ name: 'form', headers: [['Content-Type', 'text/html']], body: springLoginPage });
const failed = makeExchange({ name: 'down', response: null, error: { code: 'HS_CONNECT_REFUSED', message: 'connection refused' } });
const exchanges = new Map([login, form, failed].map((exchange) => [exchange.request.name!, exchange]));

function chain(expression: string): ChainResult {
  const reference = parseChainReference(expression);
  assert.ok(reference && !('error' in reference), `not a chain: ${expression}`);
  return resolveChain(reference, exchanges.get(reference.request), '_csrf');
}

const values: readonly (readonly [expression: string, value: string, masked?: boolean])[] = [
  ['login.response.body.$.token', 'tok-1'],
  ['login.response.body.$.user.id', '7'],
  ['login.response.body.$.user.roles[1]', 'user'],
  // Without `$.`, as REST Client and JetBrains users also write it.
  ['login.response.body.token', 'tok-1'],
  ['login.response.body.user.roles[1]', 'user'],
  ['login.response.body.$.user.roles', '["admin","user"]'],
  ['login.response.body.$..roles[0]', 'admin'],
  ['login.response.body.$.empty', ''],
  ['login.response.body.*', '{"token":"tok-1","user":{"id":7,"roles":["admin","user"]},"empty":""}'],
  ['login.response.body', '{"token":"tok-1","user":{"id":7,"roles":["admin","user"]},"empty":""}'],
  ['login.response.headers.Location', '/home'],
  ['login.response.headers.location', '/home'],
  ['login.response.headers.VARY', 'Origin, Accept'],
  ['login.response.cookies.JSESSIONID', 'rotated', true],
  ['login.response.cookies.REJECTED', 'raw-value', true],
  // `.value` after the name, as real files write it.
  ['login.response.cookies.JSESSIONID.value', 'rotated', true],
  ['login.request.headers.x-trace', 'abc'],
  ['login.request.headers.Authorization', 'Basic dXNlcg==', true],
  ['login.request.body.$.user', 'alice'],
  ['form.response.csrf', 'fQ1dOQ_yTkW3hZ-x9Hb2n8gUoYk3Tj1lZ4Vv6sq_Ih7vP0mW-abc&d'],
];

for (const [expression, value, masked = false] of values) {
  test(`{{${expression}}} = ${value}`, () => {
    assert.deepEqual(chain(expression), { ok: true, value, masked });
  });
}

const failures: readonly (readonly [expression: string, code: string, message: string])[] = [
  ['logout.response.body.$.x', 'chain-not-run', "Request 'logout' has not been run yet in this session — send it first"],
  ['down.response.headers.Location', 'chain-no-response', "Request 'down' got no response in this session: connection refused — send it again"],
  ['login.response.body.$.missing', 'chain-no-match', "JSONPath '$.missing' matched nothing in the response body of 'login'"],
  ['login.response.headers.X-Nope', 'chain-no-match', "There is no header 'X-Nope' in the response of 'login'"],
  ['login.response.cookies.NOPE', 'chain-no-match', "The response of 'login' set no cookie 'NOPE'"],
  ['login.response.csrf', 'chain-no-match', `The response of 'login' has no form field '_csrf' (no <input name="_csrf"> or <meta name="_csrf">)`],
  ['form.response.body.$.x', 'chain-not-json', "The response body of 'form' is not JSON, so JSONPath '$.x' cannot apply"],
  ['login.response.body./root/token', 'chain-selector', "'/root/token' is XPath, which is not supported — use a JSONPath such as $.path, or * for the whole body"],
  ['login.response.body.missing', 'chain-no-match', "JSONPath '$.missing' matched nothing in the response body of 'login'"],
];

for (const [expression, code, message] of failures) {
  test(`{{${expression}}} fails with ${code}`, () => {
    assert.deepEqual(chain(expression), { ok: false, code, message });
  });
}

test('from a login restored after a reload (stored redacted), a masked credential is refused; other values still chain', () => {
  const restored = redactExchange(login, { maxBodyBytes: 4096 });
  const read = (expression: string): ChainResult => {
    const reference = parseChainReference(expression);
    assert.ok(reference && !('error' in reference));
    return resolveChain(reference, restored, '_csrf');
  };
  const refused = { ok: false, code: 'chain-redacted', message: "Credentials of 'login' are not kept across a reload (it was stored with them masked) — send it again" };
  assert.deepEqual(read('login.response.cookies.JSESSIONID'), refused);
  assert.deepEqual(read('login.request.headers.Authorization'), refused);
  assert.deepEqual(read('login.response.body.$.user.id'), { ok: true, value: '7', masked: false });
});

test('a JSONPath script filter is refused, not run (it would match with eval on)', () => {
  const result = chain('login.response.body.$..[?(@.id === 7)]');
  assert.equal(result.ok, false);
  assert.ok(!result.ok && result.code === 'chain-selector' && /prevented/.test(result.message), JSON.stringify(result));
});

const parses: readonly (readonly [expression: string, expected: ReturnType<typeof parseChainReference>])[] = [
  ['host', undefined],
  ['auth.user', undefined],
  ['login.response.body.$.a.b', { request: 'login', part: 'response.body', selector: '$.a.b' }],
  ['my-req.response.headers.Set-Cookie', { request: 'my-req', part: 'response.headers', selector: 'Set-Cookie' }],
  ['login.response.cookies.token.value', { request: 'login', part: 'response.cookies', selector: 'token' }],
  ['login.response.cookies.value', { request: 'login', part: 'response.cookies', selector: 'value' }],
  ['login.response.status', { error: "'login.response.status': unsupported part 'response.status' — use response.body, response.headers, response.cookies, response.csrf, request.headers or request.body" }],
  ['login.response.headers', { error: "'login.response.headers': name the header (response.headers.Name)" }],
  ['login.response.csrf.x', { error: "'login.response.csrf.x': csrf takes no selector" }],
];

for (const [expression, expected] of parses) {
  test(`parseChainReference(${expression})`, () => {
    assert.deepEqual(parseChainReference(expression), expected);
  });
}
