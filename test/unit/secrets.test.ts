// The one secrets policy (src/core/secrets.ts): which names are secret, how a value is masked, masking by
// value, and the storable copy of an exchange.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Exchange } from '../../src/core/model/exchange';
import { isSecretName, maskHeaderValue, maskSecret, maskSecretFields, redactExchange, SecretValues } from '../../src/core/secrets';

describe('maskSecret', () => {
  const cases: [string, string, string][] = [
    ['empty stays empty', '', ''],
    ['a 13-character API key is hidden entirely (not sk_t…2345)', 'sk_test_12345', '••••••'],
    ['a short value is hidden entirely', 'abc', '••••••'],
    ['31 characters are still hidden entirely', 'a'.repeat(30) + 'z', '••••••'],
    ['a 32-character session id keeps its ends', '5F2C7A1B9E0D44F3A8B6C1D2E3F40A1B', '5F2C…0A1B'],
    ['a JWT keeps its ends', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl', 'eyJh…dXJl'],
  ];
  for (const [name, value, expected] of cases) test(name, () => assert.equal(maskSecret(value), expected));

  test('never shows more than a quarter of a value', () => {
    for (let length = 1; length <= 80; length++) {
      const value = 'x'.repeat(length);
      const shown = maskSecret(value).replace(/[•…]/g, '').length;
      assert.ok(shown * 4 <= length, `${length} characters: ${shown} shown`);
    }
  });
});

describe('isSecretName', () => {
  const cases: [string, boolean][] = [
    ['Authorization', true],
    ['proxy-authorization', true],
    ['Cookie', true],
    ['Set-Cookie', true],
    ['X-Auth-Token', true],
    ['Api-Key', true],
    ['X-API-Key', true],
    ['X-XSRF-TOKEN', true],
    ['X-CSRF-TOKEN', true],
    ['X-Goog-Api-Key', true],
    ['X-Client-Secret', true],
    ['password', true],
    ['client_secret', true],
    ['access_token', true],
    ['_csrf', true],
    ['Content-Type', false],
    ['Accept', false],
    ['WWW-Authenticate', false],
    ['username', false],
    ['keyboard', false],
  ];
  for (const [name, secret] of cases) test(`${name} → ${secret}`, () => assert.equal(isSecretName(name), secret));

  test('a configured name (a custom CSRF header) is secret too, in any case', () => {
    assert.equal(isSecretName('X-Guard', ['x-guard']), true);
    assert.equal(isSecretName('X-Guard'), false);
  });
});

describe('maskHeaderValue', () => {
  const long = '9F86D081884C7D659A2FEAA0C55AD015';
  const cases: [string, string, string][] = [
    ['Authorization', 'Bearer sk_test_12345', 'Bearer ••••••'],
    ['authorization', 'Basic YWxpY2U6c2VjcmV0', 'Basic ••••••'],
    ['Proxy-Authorization', 'token', '••••••'],
    ['Cookie', `JSESSIONID=${long}; theme=dark`, 'JSESSIONID=9F86…D015; theme=••••••'],
    ['Set-Cookie', 'JSESSIONID=ABC123; Path=/app; HttpOnly', 'JSESSIONID=••••••; Path=/app; HttpOnly'],
    ['set-cookie', 'flag', '••••••'],
    ['X-Auth-Token', 'sk_test_12345', '••••••'],
    ['Api-Key', 'k-123456', '••••••'],
    ['Content-Type', 'application/json', 'application/json'],
  ];
  for (const [name, value, expected] of cases) test(`${name}: ${value}`, () => assert.equal(maskHeaderValue(name, value), expected));

  test('a configured CSRF header is masked', () => {
    assert.equal(maskHeaderValue('X-Guard', 'token-value', ['X-Guard']), '••••••');
    assert.equal(maskHeaderValue('X-Guard', 'token-value'), 'token-value');
  });
});

describe('SecretValues', () => {
  test('masks a value as written, URL-encoded, form-encoded and escaped in JSON', () => {
    const secret = 'p@ss w"rd/1';
    const secrets = new SecretValues([secret]);
    const texts = [
      `GET /x?pw=${secret}`,
      `GET /x?pw=${encodeURIComponent(secret)}`,
      `user=alice&pw=${new URLSearchParams([['', secret]]).toString().slice(1)}`,
      JSON.stringify({ pw: secret }),
    ];
    for (const text of texts) {
      const masked = secrets.mask(text);
      assert.ok(!masked.includes(secret) && !masked.includes(encodeURIComponent(secret)) && !masked.includes('w\\"rd'), masked);
      assert.match(masked, /••••••|%E2%80%A2/);
    }
    assert.deepEqual(JSON.parse(secrets.mask(JSON.stringify({ pw: secret }))), { pw: '••••••' }, 'JSON stays valid');
  });

  test('masks the longer of two overlapping values first, and leaves values under 4 characters alone', () => {
    const secrets = new SecretValues(['token', 'Bearer token-123', 'ab']);
    assert.equal(secrets.mask('Authorization: Bearer token-123 / token / ab'), 'Authorization: •••••• / •••••• / ab');
  });
});

describe('maskSecretFields', () => {
  const cases: [string, string, string, string][] = [
    ['a form login', 'application/x-www-form-urlencoded', 'username=alice&password=s3cr%21t&_csrf=abc', 'username=alice&password=••••••&_csrf=••••••'],
    ['JSON', 'application/json', '{ "user": "alice", "password": "s3\\"cr" , "nested": {"access_token": "t"} }', '{ "user": "alice", "password": "••••••" , "nested": {"access_token": "••••••"} }'],
    ['another body', 'text/plain', 'password=visible', 'password=visible'],
  ];
  for (const [name, type, body, expected] of cases) test(name, () => assert.equal(maskSecretFields(body, type), expected));
});

describe('redactExchange', () => {
  const sessionId = '5F2C7A1B9E0D44F3A8B6C1D2E3F40A1B';
  const privateValue = 'private-api-key-42';
  const exchange: Exchange = {
    id: 'x1',
    sessionName: 'default',
    startedAt: 0,
    request: {
      name: 'login',
      method: 'POST',
      url: `http://localhost/login?key=${privateValue}`,
      headers: [
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['Authorization', 'Bearer sk_test_12345'],
        ['X-Custom', privateValue],
        ['Cookie', `JSESSIONID=${sessionId}`],
      ],
      bodySize: 30,
      bodyText: 'username=alice&password=hunter22',
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: '1.1',
      headers: [
        ['Set-Cookie', `JSESSIONID=${sessionId}; Path=/; HttpOnly`],
        ['Content-Type', 'application/json'],
      ],
      body: new TextEncoder().encode(JSON.stringify({ access_token: 'tok-abcdef', echo: privateValue, user: 'alice' })),
      bodySize: 70,
      truncated: false,
      url: 'http://localhost/login',
    },
    timings: { totalMs: 1 },
    connectionReused: false,
    cookies: {
      sent: [{ name: 'JSESSIONID', value: sessionId, source: 'jar' }],
      stored: [{ name: 'JSESSIONID', value: sessionId, domain: 'localhost', path: '/', secure: false, httpOnly: true, hostOnly: true }],
      rejected: [{ setCookie: `JSESSIONID=${sessionId}; Domain=example.com`, url: 'http://localhost/login', reason: 'domain mismatch' }],
    },
    redirects: [],
    sessionEvents: [],
    findings: [],
    tests: [{ name: 'key accepted', passed: false, message: `expected ${privateValue} to be rejected` }],
    scriptLog: [`sent key ${privateValue}`],
  };
  const redacted = redactExchange(exchange, { secrets: new SecretValues([privateValue]), maxBodyBytes: 4096 });
  const stored = JSON.stringify({ ...redacted, response: { ...redacted.response, body: new TextDecoder().decode(redacted.response!.body) } });

  test('keeps no credential: session id, bearer token, password, token field, private value', () => {
    for (const secret of [sessionId, 'sk_test_12345', 'hunter22', 'tok-abcdef', privateValue]) assert.ok(!stored.includes(secret), `${secret} in ${stored}`);
  });

  test('keeps what helps reading it: names, schemes, non-secret fields', () => {
    assert.ok(redacted.redacted);
    assert.deepEqual(redacted.request.headers[1], ['Authorization', 'Bearer ••••••']);
    assert.equal(redacted.request.bodyText, 'username=alice&password=••••••');
    assert.equal(redacted.cookies.stored[0]?.value, '5F2C…0A1B');
    assert.deepEqual(JSON.parse(new TextDecoder().decode(redacted.response?.body)), { access_token: '••••••', echo: '••••••', user: 'alice' });
  });

  test('cuts the body and is idempotent', () => {
    const cut = redactExchange(exchange, { maxBodyBytes: 10 });
    assert.equal(cut.response?.body.length, 10);
    assert.equal(cut.response?.truncated, true);
    assert.equal(redactExchange(redacted, { maxBodyBytes: 4096 }), redacted);
  });

  test('keeps the tests and the script log, masked', () => {
    assert.deepEqual(redacted.tests, [{ name: 'key accepted', passed: false, message: 'expected •••••• to be rejected' }]);
    assert.deepEqual(redacted.scriptLog, ['sent key ••••••']);
  });

  const logCases: [string, readonly string[], number, readonly string[]][] = [
    ['a log within the limit is kept whole', ['ab', 'cd'], 4, ['ab', 'cd']],
    ['whole lines up to the limit, then how many more', ['ab', 'cd', 'ef', 'gh'], 5, ['ab', 'cd', '… 2 more lines not stored']],
    ['one line over says "line"', ['ab', 'cd'], 3, ['ab', '… 1 more line not stored']],
  ];
  for (const [name, scriptLog, maxBodyBytes, expected] of logCases) {
    test(`script log: ${name}`, () => assert.deepEqual(redactExchange({ ...exchange, scriptLog }, { maxBodyBytes }).scriptLog, expected));
  }
});
