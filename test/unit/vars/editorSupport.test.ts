import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkVariables, describeVariable, listVariableNames } from '../../../src/core/vars/editorSupport';
import type { EnvironmentSet } from '../../../src/core/vars/environments';
import { parseHttpFile } from '../../../src/core/parse/httpParser';
import { environmentsFrom, makeContext, makeExchange } from './support';

const fileText = [
  '@base = http://{{host}}/api',
  '@auth = Bearer {{token}}',
  '',
  '### login',
  '# @name login',
  'POST {{base}}/login',
  'X-Unknown: {{nope}}',
  'X-Fn: {{$nope}}',
  'X-Bad: {{$randomInt 9 1}}',
  '',
  '### me',
  'GET {{base}}/me',
  'Authorization: {{auth}}',
  'X-Token: {{login.response.body.$.token}}',
  'X-Ghost: {{logout.response.headers.Location}}',
  'X-Odd: {{login.response.status}}',
  'X-Id: {{$uuid}}',
  'X-Cli: {{fromCli}}',
  '',
].join('\n');
const file = parseHttpFile(fileText);

async function environments(): Promise<EnvironmentSet> {
  const base = await environmentsFrom({ $shared: { host: 'localhost:8080' }, dev: { region: 'eu' }, prod: { nope: 'p' } });
  // The token comes from the private env file.
  return {
    ...base,
    variables: (env) => new Map([...base.variables(env), ['token', { value: 'secret-token', private: true, origin: '/ws/http-client.private.env.json' }]]),
  };
}

test('checkVariables reports unknown names, unknown requests and $ functions at their references', async () => {
  const context = makeContext({ environments: await environments(), environmentName: 'dev', cliVariables: { fromCli: '1' } });
  assert.deepEqual(
    checkVariables(file, context).map((d) => [d.range.startLine, d.range.startColumn, d.severity, d.code, d.message]),
    [
      [6, 11, 'error', 'unresolved-variable', "Variable 'nope' is not defined in environment 'dev' — it is defined in 'prod'"],
      [7, 6, 'warning', 'unknown-dynamic-variable', "Unknown dynamic variable '$nope'"],
      [8, 7, 'error', 'dynamic-variable', '$randomInt max (1) must be greater than min (9)'],
      [14, 9, 'error', 'unknown-request', "No request named 'logout' in this file (add `# @name logout` to one)"],
      [15, 7, 'error', 'chain-syntax', "'login.response.status': unsupported part 'response.status' — use response.body, response.headers, response.cookies, response.csrf, request.headers or request.body"],
    ],
  );
});

test('checkVariables without an environment flags env-only names', () => {
  const diagnostics = checkVariables(file, makeContext());
  assert.deepEqual(
    diagnostics.filter((d) => d.code === 'unresolved-variable').map((d) => d.message),
    [
      "Variable 'host' is not defined (no environment selected)",
      "Variable 'token' is not defined (no environment selected)",
      "Variable 'nope' is not defined (no environment selected)",
      "Variable 'fromCli' is not defined (no environment selected)",
    ],
  );
});

const descriptions: readonly { expression: string; expected: Record<string, unknown> }[] = [
  { expression: 'host', expected: { source: 'environment', value: 'localhost:8080', masked: false, origin: 'settings' } },
  { expression: 'base', expected: { source: 'file', value: 'http://localhost:8080/api', masked: false } },
  { expression: 'token', expected: { source: 'private', value: '••••••', masked: true, origin: '/ws/http-client.private.env.json' } },
  { expression: 'auth', expected: { source: 'file', value: '••••••', masked: true } },
  { expression: '$processEnv API_TOKEN', expected: { source: 'processEnv', value: '••••••', masked: true, origin: 'process environment' } },
  { expression: '$timestamp', expected: { source: 'dynamic', value: '1704067200', masked: false } },
  { expression: 'fromCli', expected: { source: 'cli', value: '1', masked: false, origin: 'command line' } },
  { expression: 'login.response.body.$.token', expected: { source: 'chain', value: 't-9', masked: false } },
  { expression: 'login.response.cookies.JSESSIONID', expected: { source: 'chain', value: '••••••', masked: true } },
  { expression: 'me.response.body.*', expected: { source: 'chain', masked: false, error: "Request 'me' has not been run yet in this session — send it first" } },
  { expression: 'missing', expected: { masked: false, error: "Variable 'missing' is not defined in environment 'dev'" } },
  { expression: '$dotenv X', expected: { source: 'dotenv', masked: false, error: 'No .env file next to the request file (/nowhere/.env) for $dotenv X' } },
];

for (const { expression, expected } of descriptions) {
  test(`describeVariable(${expression})`, async () => {
    const login = makeExchange({
      name: 'login',
      body: '{"token":"t-9"}',
      stored: [{ name: 'JSESSIONID', value: 'ABC123', domain: 'localhost', path: '/', secure: false, httpOnly: true, hostOnly: true }],
    });
    const context = makeContext({
      environments: await environments(),
      environmentName: 'dev',
      cliVariables: { fromCli: '1' },
      processEnv: { API_TOKEN: 'abcde' },
      exchangeByName: (name) => (name === 'login' ? login : undefined),
    });
    const { expression: described, ...rest } = await describeVariable(` ${expression} `, file, context);
    assert.equal(described, expression);
    assert.deepEqual(Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)), expected);
  });
}

test('a masked hover never contains the secret', async () => {
  const context = makeContext({ environments: await environments(), environmentName: 'dev' });
  const description = await describeVariable('auth', file, context);
  assert.ok(!JSON.stringify(description).includes('secret-token'));
});

test('a hover on $auth.token checks the auth configuration but fetches no token (a sign-in grant would open the browser)', async () => {
  const code = { Type: 'OAuth2', 'Grant Type': 'Authorization Code', 'Auth URL': 'https://as/a', 'Token URL': 'https://as/t', 'Redirect URL': 'http://127.0.0.1:0/cb', 'Client ID': 'c' };
  const fetched: string[] = [];
  const context = makeContext({
    environments: await environmentsFrom({ dev: { Security: { Auth: { web: code, broken: { ...code, 'Auth URL': '' } } } } }),
    environmentName: 'dev',
    authToken: async (name) => {
      fetched.push(name);
      return { accessToken: 'never', issuedAt: 0 };
    },
  });
  assert.equal((await describeVariable('$auth.token("web")', file, context)).error, "The token of auth configuration 'web' is fetched when a request that uses it is sent");
  assert.match((await describeVariable('$auth.token("broken")', file, context)).error ?? '', /the Authorization Code grant needs 'Auth URL' and 'Redirect URL'/);
  assert.deepEqual(fetched, []);
});

test('listVariableNames: overrides first, then file, environment, dynamic and chain prefixes, without duplicates', async () => {
  const context = makeContext({ environments: await environments(), environmentName: 'dev', cliVariables: { base: 'override' } });
  const names = listVariableNames(file, context);
  const byName = new Map(names.map((item) => [item.name, item]));
  assert.equal(names.length, byName.size);
  assert.equal(byName.get('base')?.source, 'cli');
  assert.equal(byName.get('auth')?.source, 'file');
  assert.equal(byName.get('region')?.source, 'environment');
  assert.equal(byName.get('token')?.source, 'private');
  assert.equal(byName.get('token')?.detail, '/ws/http-client.private.env.json');
  assert.equal(byName.get('$uuid')?.source, 'dynamic');
  assert.equal(byName.get('$dotenv')?.source, 'dynamic');
  assert.equal(byName.get('login.response.body.$')?.source, 'chain');
  assert.equal(byName.get('login.response.csrf')?.source, 'chain');
  assert.equal(byName.has('nope'), false, 'prod-only names are not offered in dev');
  assert.equal(byName.get('me.request.headers.')?.source, 'chain', '`### me` names a request too');
});

test('a variable set by a script above is not unknown; one set only below (or never) still is', () => {
  const scripted = parseHttpFile(
    [
      'GET http://x/early?t={{token}}',
      '',
      '### login',
      'POST http://x/login',
      '',
      '> {% client.global.set("token", response.body.token); %}',
      '',
      '### signed',
      '< {%',
      "  request.variables.set('signature', 'abc');",
      '%}',
      'GET http://x/me?t={{token}}&s={{signature}}&o={{other}}',
    ].join('\n'),
  );
  const context = makeContext();
  assert.deepEqual(
    checkVariables(scripted, context).map((d) => [d.range.startLine, d.message]),
    [
      [0, "Variable 'token' is not defined (no environment selected)"],
      [11, "Variable 'other' is not defined (no environment selected)"],
    ],
  );
  assert.deepEqual(
    listVariableNames(scripted, context).filter((c) => c.source === 'script').map((c) => c.name),
    ['token', 'signature'],
  );
  // Once a handler has run, the session's client.global knows the name wherever it is used.
  assert.deepEqual(checkVariables(scripted, makeContext({ scriptVariable: (name) => (name === 'token' ? 't' : undefined) })).map((d) => d.range.startLine), [11]);
});

test('httpYac: what a {{ }} block exports or puts in $global is known below it; a setup block is known everywhere', () => {
  const scripted = parseHttpFile(
    [
      '{{',
      "  exports.base = 'http://x';",
      '}}',
      '###',
      'POST {{base}}/login?t={{token}}',
      '',
      '{{',
      '  exports.token = response.parsedBody.token;',
      '  $global.user = "alice";',
      '  if (exports.token == null) console.log("none");',
      '}}',
      '###',
      'GET {{base}}/me?t={{token}}&u={{user}}&o={{other}}',
    ].join('\n'),
  );
  assert.deepEqual(
    checkVariables(scripted, makeContext()).map((d) => [d.range.startLine, d.message]),
    [
      [4, "Variable 'token' is not defined (no environment selected)"],
      [12, "Variable 'other' is not defined (no environment selected)"],
    ],
  );
});

test('a # @prompt variable is known in its own request only, completes, and its hover says it is asked for', async () => {
  const prompted = parseHttpFile(['# @prompt orderId The order to fetch', 'GET http://x.test/orders/{{orderId}}', '', '###', 'GET http://x.test/again/{{orderId}}', ''].join('\n'));
  const context = makeContext();
  assert.deepEqual(
    checkVariables(prompted, context).map((d) => [d.range.startLine, d.code]),
    [[4, 'unresolved-variable']],
  );
  assert.deepEqual(
    listVariableNames(prompted, context).filter((completion) => completion.source === 'prompt'),
    [{ name: 'orderId', source: 'prompt', detail: 'The order to fetch' }],
  );
  assert.deepEqual(await describeVariable('orderId', prompted, context), {
    expression: 'orderId',
    source: 'prompt',
    masked: false,
    error: 'Asked for each time the request is sent (# @prompt)',
  });
});
