import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import type { HttpRequest } from '../../../src/core/model/exchange';
import type { Diagnostic } from '../../../src/core/model/source';
import { parseHttpFile } from '../../../src/core/parse/httpParser';
import { resolveRequest } from '../../../src/core/vars/resolveRequest';
import type { VariableContext } from '../../../src/core/vars/variableContext';
import { createVariableResolver } from '../../../src/core/vars/variableResolver';
import { environmentsFrom, fileSegment, fileVariable, makeContext, makeExchange, makeFile, makeTemplate, tempTree, textSegment } from './support';

let root = '';
let cleanup: () => Promise<void> = async () => {};
const binary = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x7b, 0x7b, 0x78, 0x7d, 0x7d]); // not UTF-8, contains {{x}}

before(async () => {
  ({ root, cleanup } = await tempTree({
    'api/payload.json': '{"user": "{{user}}", "id": "{{$randomInt 1 2}}"}',
    'api/data/raw.txt': 'hello {{user}}\n',
    'api/logo.png': binary,
    'api/.env': 'export API_KEY="from dotenv"\nNAME_OF_KEY=API_KEY\n',
  }));
});
after(() => cleanup());

async function resolved(template: ReturnType<typeof makeTemplate>, context: VariableContext, fileVariables = makeFile([]).fileVariables): Promise<HttpRequest> {
  const result = await resolveRequest(template, makeFile([template], fileVariables), context);
  assert.ok('request' in result, `diagnostics: ${JSON.stringify('diagnostics' in result ? result.diagnostics : [])}`);
  return result.request;
}

async function refused(template: ReturnType<typeof makeTemplate>, context: VariableContext, fileVariables = makeFile([]).fileVariables): Promise<Diagnostic[]> {
  const result = await resolveRequest(template, makeFile([template], fileVariables), context);
  assert.ok('diagnostics' in result, 'expected the request to be refused');
  return result.diagnostics;
}

test('precedence: --var > chaining > file variables > private > public > $shared', async () => {
  const environments = await environmentsFrom({
    $shared: { a: 'shared', b: 'shared', c: 'shared', d: 'shared', e: 'shared', 'login.response.headers.X': 'env' },
    dev: { a: 'env', b: 'env', c: 'env', d: 'env' },
  });
  const fileVariables = [fileVariable('a', 'file', 0), fileVariable('b', 'file', 1), fileVariable('login.response.headers.X', 'file', 2)];
  const context = makeContext({
    environments,
    environmentName: 'dev',
    cliVariables: { a: 'cli', 'login.response.headers.X': 'cli' },
    exchangeByName: (name) => (name === 'login' ? makeExchange({ name, headers: [['X', 'chained']] }) : undefined),
  });
  const resolver = createVariableResolver(makeFile([], fileVariables), context);
  const cases: readonly (readonly [expression: string, value: string, source: string])[] = [
    ['a', 'cli', 'cli'],
    ['login.response.headers.X', 'cli', 'cli'],
    ['b', 'file', 'file'],
    ['c', 'env', 'environment'],
    ['e', 'shared', 'environment'],
  ];
  for (const [expression, value, source] of cases) {
    const resolution = await resolver.resolve(expression);
    assert.ok(resolution.ok, expression);
    assert.deepEqual([resolution.value, resolution.source], [value, source], expression);
  }
  const chained = await createVariableResolver(makeFile([], fileVariables), { ...context, cliVariables: {} }).resolve('login.response.headers.X');
  assert.ok(chained.ok && chained.value === 'chained' && chained.source === 'chain', 'chaining beats file and env values of the same name');
});

test('private env values win over public and are marked masked', async () => {
  const environments = await environmentsFrom({ dev: { token: 'public' } });
  const withPrivate = { ...environments, variables: () => new Map([['token', { value: 'secret', private: true, origin: '/ws/http-client.private.env.json' }]]) };
  const resolution = await createVariableResolver(makeFile([]), makeContext({ environments: withPrivate, environmentName: 'dev' })).resolve('token');
  assert.deepEqual(resolution, { ok: true, value: 'secret', masked: true, source: 'private', origin: '/ws/http-client.private.env.json' });
});

test('variables in URL, header names and values, and body; URL normalised with the Host header', async () => {
  const environments = await environmentsFrom({ dev: { host: 'localhost:8080', user: 'alice' } });
  const fileVariables = [fileVariable('base', '{{host}}', 0), fileVariable('hdr', 'X-User', 1)];
  const template = makeTemplate({
    method: 'POST',
    url: '/api/{{user}}/é #frag',
    name: 'create',
    line: 3,
    headers: [['Host', '{{base}}'], ['{{hdr}}', '{{user}}'], ['Content-Type', 'application/json']],
    body: [textSegment('{"name": "{{user}}"}', 8)],
  });
  const request = await resolved(template, makeContext({ environments, environmentName: 'dev', requestFile: '/ws/api/req.http' }), fileVariables);
  assert.deepEqual(request, {
    method: 'POST',
    url: 'http://localhost:8080/api/alice/%C3%A9',
    headers: [['Host', 'localhost:8080'], ['X-User', 'alice'], ['Content-Type', 'application/json']],
    body: '{"name": "alice"}',
    options: {},
    name: 'create',
    source: { file: '/ws/api/req.http', line: 3 },
    secrets: [],
  });
});

test('the request carries the secret values substituted into it, so output can mask them by value', async () => {
  const environments = await environmentsFrom({ dev: { host: 'localhost:8080' } });
  const withPrivate = {
    ...environments,
    variables: () => new Map([['host', { value: 'localhost:8080', private: false, origin: 'env' }], ['key', { value: 'private-key-1', private: true, origin: 'private' }]]),
  };
  const fileVariables = [fileVariable('auth', 'Bearer {{key}}', 0)];
  const template = makeTemplate({ url: 'http://{{host}}/x?k={{key}}', headers: [['Authorization', '{{auth}}']] });
  const request = await resolved(template, makeContext({ environments: withPrivate, environmentName: 'dev' }), fileVariables);
  assert.deepEqual([...(request.secrets ?? [])].sort(), ['Bearer private-key-1', 'private-key-1']);
});

test('@no-auto-encoding leaves the URL as written', async () => {
  const request = await resolved(makeTemplate({ url: 'http://h/a b?q=é', noAutoEncoding: true }), makeContext());
  assert.equal(request.url, 'http://h/a b?q=é');
});

test('an invalid URL refuses the request on the request line', async () => {
  const diagnostics = await refused(makeTemplate({ url: 'ftp://h/x', line: 2 }), makeContext());
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.startLine]), [['invalid-url', 2]]);
});

test('unresolved variables are reported at each reference, naming the variable and the environment', async () => {
  const environments = await environmentsFrom({ dev: { host: 'h' }, prod: { token: 'p' } });
  const template = makeTemplate({
    url: 'http://{{host}}/{{missing}}',
    line: 5,
    headers: [['Authorization', 'Bearer {{token}}']],
    body: [textSegment('a={{missing}}\nb={{ missing }}', 8)],
  });
  const diagnostics = await refused(template, makeContext({ environments, environmentName: 'dev' }));
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.severity, d.range.startLine, d.range.startColumn, d.range.endColumn, d.message]),
    [
      ['unresolved-variable', 'error', 5, 20, 31, "Variable 'missing' is not defined in environment 'dev'"],
      ['unresolved-variable', 'error', 6, 22, 31, "Variable 'token' is not defined in environment 'dev' — it is defined in 'prod'"],
      ['unresolved-variable', 'error', 8, 2, 13, "Variable 'missing' is not defined in environment 'dev'"],
      ['unresolved-variable', 'error', 9, 2, 15, "Variable 'missing' is not defined in environment 'dev'"],
    ],
  );
});

test('with the real parser: diagnostic at the exact reference, through a file variable', async () => {
  const text = ['@base = http://{{host}}/api', '', '### get', 'GET {{base}}/users', 'Accept: {{accept}}', ''].join('\n');
  const file = parseHttpFile(text);
  const result = await resolveRequest(file.requests[0]!, file, makeContext());
  assert.ok('diagnostics' in result);
  assert.deepEqual(
    result.diagnostics.map((d) => [d.range.startLine, d.range.startColumn, d.range.endColumn, d.message]),
    [
      [3, 4, 12, "Variable 'host' is not defined (no environment selected) (through 'base')"],
      [4, 8, 18, "Variable 'accept' is not defined (no environment selected)"],
    ],
  );
});

const cycles: readonly (readonly [name: string, variables: readonly (readonly [string, string])[], message: string])[] = [
  ['self', [['a', '{{a}}']], 'Variable cycle: a → a'],
  ['two', [['a', 'x{{b}}'], ['b', 'y{{a}}']], 'Variable cycle: a → b → a'],
  ['three, entered midway', [['a', '{{b}}'], ['b', '{{c}}'], ['c', '{{b}}']], 'Variable cycle: b → c → b'],
];

for (const [name, variables, message] of cycles) {
  test(`cycle detection: ${name}`, async () => {
    const fileVariables = variables.map(([key, value], line) => fileVariable(key, value, line));
    const diagnostics = await refused(makeTemplate({ url: 'http://h/{{a}}', line: 10 }), makeContext(), fileVariables);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.message, d.range.startLine]), [['variable-cycle', message, 10]]);
  });
}

test('env values may reference file and env variables', async () => {
  const environments = await environmentsFrom({ $shared: { scheme: 'https' }, dev: { url: '{{scheme}}://{{host}}' } });
  const request = await resolved(makeTemplate({ url: '{{url}}/x' }), makeContext({ environments, environmentName: 'dev' }), [fileVariable('host', 'example.com', 0)]);
  assert.equal(request.url, 'https://example.com/x');
});

test('a file variable is computed once per request: {{$uuid}} stays the same across uses', async () => {
  const template = makeTemplate({ url: 'http://h/{{id}}', headers: [['X-Id', '{{id}}'], ['X-Other', '{{$uuid}}']] });
  const request = await resolved(template, makeContext(), [fileVariable('id', '{{$uuid}}', 0)]);
  const id = request.url.slice('http://h/'.length);
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.equal(request.headers[0]![1], id);
  assert.notEqual(request.headers[1]![1], id);
});

test('$processEnv, %indirection, $dotenv next to the request file, $shared', async () => {
  const environments = await environmentsFrom({ $shared: { region: 'eu' }, dev: { keyVar: 'SECRET_TOKEN', dotKey: 'NAME_OF_KEY' } });
  const context = makeContext({
    environments,
    environmentName: 'dev',
    requestFile: join(root, 'api/req.http'),
    processEnv: { SECRET_TOKEN: 's3', HOME: '/home/u' },
  });
  const template = makeTemplate({
    url: 'http://h/{{$processEnv HOME}}',
    headers: [['A', '{{$processEnv %keyVar}}'], ['B', '{{$dotenv API_KEY}}'], ['C', '{{$dotenv %dotKey}}'], ['D', '{{$shared region}}']],
  });
  const request = await resolved(template, context);
  assert.equal(request.url, 'http://h//home/u');
  assert.deepEqual(request.headers.map(([, value]) => value), ['s3', 'from dotenv', 'API_KEY', 'eu']);
});

const systemFailures: readonly (readonly [expression: string, requestFile: string, code: string, message: RegExp])[] = [
  ['$processEnv NOT_SET', 'api/req.http', 'unresolved-variable', /^Process environment variable 'NOT_SET' is not set$/],
  ['$dotenv NOPE', 'api/req.http', 'unresolved-variable', /^'NOPE' is not defined in .*api[/\\]\.env$/],
  ['$dotenv API_KEY', 'api/data/req.http', 'unresolved-variable', /^No \.env file next to the request file/],
  ['$random.nothing', 'api/req.http', 'unknown-dynamic-variable', /Unknown dynamic variable/],
  ['$randomInt 3 1', 'api/req.http', 'dynamic-variable', /must be greater/],
];

for (const [expression, requestFile, code, message] of systemFailures) {
  test(`{{${expression}}} refuses the request (${code})`, async () => {
    const diagnostics = await refused(makeTemplate({ url: 'http://h/', headers: [['X', `{{${expression}}}`]] }), makeContext({ requestFile: join(root, requestFile) }));
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.code, code);
    assert.match(diagnostics[0]!.message, message);
    assert.deepEqual([diagnostics[0]!.range.startLine, diagnostics[0]!.range.startColumn], [1, 3]);
  });
}

test('chaining into headers and body; a request not run yet refuses with its name', async () => {
  const login = makeExchange({ name: 'login', body: '{"token":"t-1"}', headers: [['Location', '/home']] });
  const context = makeContext({ exchangeByName: (name) => (name === 'login' ? login : undefined) });
  const template = makeTemplate({ url: 'http://h{{login.response.headers.Location}}', headers: [['Authorization', 'Bearer {{login.response.body.$.token}}']] });
  const request = await resolved(template, context);
  assert.equal(request.url, 'http://h/home');
  assert.deepEqual(request.headers, [['Authorization', 'Bearer t-1']]);
  const diagnostics = await refused(makeTemplate({ url: 'http://h/{{other.response.body.$.id}}' }), context);
  assert.deepEqual(diagnostics.map((d) => [d.code, d.message]), [['chain-not-run', "Request 'other' has not been run yet in this session — send it first"]]);
});

test('{{$cookie NAME}} asks the jar for the normalised request URL; it cannot be used in the URL', async () => {
  const asked: [string, string][] = [];
  const context = makeContext({
    cookieValue: (name, url) => {
      asked.push([name, url]);
      return name === 'XSRF-TOKEN' ? 'x-1' : undefined;
    },
  });
  const request = await resolved(makeTemplate({ url: 'localhost:8080/api', headers: [['X-XSRF-TOKEN', '{{$cookie XSRF-TOKEN}}']] }), context);
  assert.deepEqual(request.headers, [['X-XSRF-TOKEN', 'x-1']]);
  assert.deepEqual(asked, [['XSRF-TOKEN', 'http://localhost:8080/api']]);
  const missing = await refused(makeTemplate({ url: 'http://h/', headers: [['X', '{{$cookie NOPE}}']] }), context);
  assert.deepEqual(missing.map((d) => d.message), ["The session has no cookie 'NOPE' for http://h/"]);
  const inUrl = await refused(makeTemplate({ url: 'http://h/{{$cookie XSRF-TOKEN}}' }), context);
  assert.deepEqual(inUrl.map((d) => d.code), ['dynamic-variable']);
});

test('file includes: `<@` substitutes, `<` keeps bytes verbatim, paths are relative to the request file', async () => {
  const context = makeContext({ requestFile: join(root, 'api/req.http'), cliVariables: { user: 'bob', dir: 'data' } });
  const substituted = await resolved(makeTemplate({ method: 'POST', url: 'http://h/', body: [fileSegment('./payload.json', true, 2)] }), context);
  assert.equal(substituted.body, '{"user": "bob", "id": "1"}');
  const verbatim = await resolved(makeTemplate({ method: 'POST', url: 'http://h/', body: [fileSegment('./{{dir}}/raw.txt', false, 2)] }), context);
  assert.deepEqual(verbatim.body, new TextEncoder().encode('hello {{user}}\n'));
  const mixed = await resolved(makeTemplate({ method: 'POST', url: 'http://h/', body: [textSegment('A{{user}}', 2), fileSegment('logo.png', false, 3), textSegment('Z', 4)] }), context);
  assert.ok(mixed.body instanceof Uint8Array);
  assert.deepEqual([...mixed.body], [...new TextEncoder().encode('Abob'), ...binary, ...new TextEncoder().encode('Z')]);
});

test('a missing include refuses the request on its line; a failure inside `<@` is reported on the include line', async () => {
  const context = makeContext({ requestFile: join(root, 'api/req.http') });
  const missing = await refused(makeTemplate({ method: 'POST', url: 'http://h/', body: [fileSegment('./nope.json', false, 4)] }), context);
  assert.deepEqual(missing.map((d) => [d.code, d.range.startLine]), [['file-not-found', 4]]);
  assert.match(missing[0]!.message, /nope\.json/);
  const inside = await refused(makeTemplate({ method: 'POST', url: 'http://h/', body: [fileSegment('payload.json', true, 4)] }), context);
  assert.deepEqual(inside.map((d) => [d.code, d.range.startLine, d.message]), [['unresolved-variable', 4, "Variable 'user' is not defined (no environment selected)"]]);
});

const multipartText = ['--B', 'Content-Disposition: form-data; name="a"', '', '{{user}}', '--B', 'Content-Disposition: form-data; name="f"; filename="logo.png"', '', ''].join('\n');

test('multipart/form-data bodies get CRLF line ends; included bytes are untouched', async () => {
  const context = makeContext({ requestFile: join(root, 'api/req.http'), cliVariables: { user: 'bob' } });
  const template = makeTemplate({
    method: 'POST',
    url: 'http://h/upload',
    headers: [['Content-Type', 'multipart/form-data; boundary=B']],
    body: [textSegment(multipartText, 3), fileSegment('data/raw.txt', false, 11), textSegment('\r\n--B--\n', 12)],
  });
  const request = await resolved(template, context);
  const expected = `${multipartText.replaceAll('\n', '\r\n').replace('{{user}}', 'bob')}hello {{user}}\n\r\n--B--\r\n`;
  assert.equal(new TextDecoder().decode(request.body as Uint8Array), expected);
});

test('other content types keep their line ends', async () => {
  const request = await resolved(makeTemplate({ method: 'POST', url: 'http://h/', headers: [['Content-Type', 'text/plain']], body: [textSegment('a\nb\r\nc', 2)] }), makeContext());
  assert.equal(request.body, 'a\nb\r\nc');
});

test('form-urlencoded text segments encode substituted values only', async () => {
  const template = makeTemplate({ method: 'POST', url: 'http://h/', body: [{ ...textSegment('q={{q}}&x=a%20b', 2), encodeSubstitutions: 'form-urlencoded' as const }] });
  const request = await resolved(template, makeContext({ cliVariables: { q: 'a b&c=é' } }));
  assert.equal(request.body, 'q=a+b%26c%3D%C3%A9&x=a%20b');
});

test('Digest user password is refused on its header line with "not supported"; a real Digest response header is sent', async () => {
  const file = parseHttpFile('GET http://127.0.0.1/a\nAuthorization: Digest {{user}} secret\n###\nGET http://127.0.0.1/b\nAuthorization: Digest username="bob", realm="r", response="abc"\n');
  const context = makeContext({ cliVariables: { user: 'bob' } });
  const refused = await resolveRequest(file.requests[0]!, file, context);
  assert.ok('diagnostics' in refused);
  assert.deepEqual(refused.diagnostics.map((d) => [d.code, d.range.startLine, d.message]), [
    ['digest-unsupported', 1, 'Digest authentication (Digest user password) is not supported; use Basic, a Bearer token, or the server\'s login request'],
  ]);
  const sent = await resolveRequest(file.requests[1]!, file, context);
  assert.ok('request' in sent);
});

test('a multi-line form body (REST Client: name=foo / &password=bar) is sent as one form; other bodies keep their lines', async () => {
  const file = parseHttpFile(
    [
      'POST http://127.0.0.1/login',
      'Content-Type: application/x-www-form-urlencoded',
      '',
      'username={{user}}',
      '&password=secret',
      '   &remember=on',
      '',
      '###',
      'POST http://127.0.0.1/text',
      'Content-Type: text/plain',
      '',
      'a=1',
      '&b=2',
    ].join('\n'),
  );
  const context = makeContext({ cliVariables: { user: 'bob' } });
  const bodies = [];
  for (const template of file.requests) {
    const result = await resolveRequest(template, file, context);
    assert.ok('request' in result);
    bodies.push(result.request.body);
  }
  assert.deepEqual(bodies, ['username=bob&password=secret&remember=on', 'a=1\n&b=2']);
});

test('GraphQL: the GRAPHQL method and X-REQUEST-TYPE: GraphQL go out as a POST of {query, variables, operationName}', async () => {
  const file = parseHttpFile(
    [
      'GRAPHQL http://127.0.0.1/graphql',
      '',
      'query User($id: ID!) {',
      '  user(id: $id) { name }',
      '}',
      '',
      '{ "id": "{{id}}" }',
      '',
      '###',
      'POST http://127.0.0.1/graphql',
      'X-REQUEST-TYPE: GraphQL',
      'Content-Type: text/plain',
      '',
      '{ viewer { login } }',
    ].join('\n'),
  );
  const context = makeContext({ cliVariables: { id: '7' } });
  const sent = [];
  for (const template of file.requests) {
    const result = await resolveRequest(template, file, context);
    assert.ok('request' in result, JSON.stringify(result));
    sent.push([result.request.method, result.request.headers, JSON.parse(String(result.request.body))]);
  }
  assert.deepEqual(sent, [
    ['POST', [['Content-Type', 'application/json']], { query: 'query User($id: ID!) {\n  user(id: $id) { name }\n}', variables: { id: '7' }, operationName: 'User' }],
    ['POST', [['Content-Type', 'application/json']], { query: '{ viewer { login } }' }],
  ]);
});
