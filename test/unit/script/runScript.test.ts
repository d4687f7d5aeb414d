// The JetBrains script API in the QuickJS sandbox: every member, and what a hostile script cannot do.
import assert from 'node:assert/strict';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { httpYacAssertionScript } from '../../../src/core/script/httpYacAssertion';
import { runScript, type ScriptInput } from '../../../src/core/script/runScript';

const input = (overrides: Partial<ScriptInput> = {}): ScriptInput => ({
  phase: 'response',
  flavor: 'jetbrains',
  globals: { kept: 'yes' },
  environment: { host: 'example.test' },
  request: {
    method: 'POST',
    url: { raw: 'http://{{host}}/login', substituted: 'http://example.test/login' },
    headers: [{ name: 'Content-Type', raw: 'application/json', substituted: 'application/json' }],
    body: { raw: '{"user":"{{user}}"}', substituted: '{"user":"alice"}' },
  },
  response: {
    status: 200,
    headers: [['Content-Type', 'application/json; charset=utf-8'], ['Set-Cookie', 'a=1'], ['set-cookie', 'b=2']],
    mimeType: 'application/json',
    charset: 'utf-8',
    bodyText: '{"token":"t-1","items":[{"id":7},{"id":8}]}',
    totalMs: 12,
  },
  ...overrides,
});

const limits = { memoryBytes: 8 * 1024 * 1024, timeMs: 300 };

/** Each in a realm of its own, as scripts of different files are. */
async function run(code: string, overrides?: Partial<ScriptInput>) {
  return runScript({ code, fileName: 'api.http', firstLine: 10 }, input(overrides), { realmKey: randomUUID(), limits });
}

async function ok(code: string, overrides?: Partial<ScriptInput>) {
  const result = await run(code, overrides);
  if (!result.ok) assert.fail(result.message);
  return result;
}

describe('the JetBrains API', () => {
  test('client.global set/get/isEmpty/clear/clearAll; values become text', async () => {
    const result = await ok(`
      client.global.set("token", response.body.token);
      client.global.set("count", 3);
      client.global.set("obj", {a: 1});
      client.log(client.global.get("kept"), client.global.get("missing"), client.global.isEmpty());
      client.global.clear("kept");`);
    assert.deepEqual(result.globals, { token: 't-1', count: '3', obj: '{"a":1}' });
    assert.deepEqual(result.log, ['yes null false']);
    const cleared = await ok('client.global.clearAll(); client.log(client.global.isEmpty())');
    assert.deepEqual([cleared.globals, cleared.log], [{}, ['true']]);
  });

  test('client.test and client.assert: pass, fail with the message, a throw fails only its test', async () => {
    const result = await ok(`
      client.test("status", () => client.assert(response.status === 200, "expected 200"));
      client.test("wrong", () => client.assert(response.status === 201, "expected 201"));
      client.test("throws", () => { null.x; });
      client.test("no message", () => client.assert(false));`);
    assert.deepEqual(result.tests.map((t) => [t.name, t.passed, t.message]), [
      ['status', true, undefined],
      ['wrong', false, 'expected 201'],
      ['throws', false, result.tests[2]!.message],
      ['no message', false, 'Assertion failed'],
    ]);
    assert.match(result.tests[2]!.message!, /null/);
  });

  test('client.exit ends the script quietly, keeping what it did before', async () => {
    const result = await ok('client.global.set("a", "1"); client.exit(); client.global.set("b", "2");');
    assert.deepEqual(result.globals, { kept: 'yes', a: '1' });
  });

  test('response: status, JSON body, headers.valueOf/valuesOf (case-insensitive, first of several), contentType', async () => {
    const result = await ok(`client.log(response.status, response.body.items[1].id, response.headers.valueOf("SET-COOKIE"),
      response.headers.valuesOf("set-cookie"), response.headers.valueOf("x-none"), response.contentType.mimeType, response.contentType.charset)`);
    assert.deepEqual(result.log, ['200 8 a=1 ["a=1","b=2"] null application/json utf-8']);
    const textBody = await ok('client.log(typeof response.body, response.body)', {
      response: { status: 200, headers: [], mimeType: 'text/plain', charset: '', bodyText: 'hello', totalMs: 1 },
    });
    assert.deepEqual(textBody.log, ['string hello']);
  });

  test('request before it is sent: variables, environment, headers, body, url, method', async () => {
    const result = await ok(`
      request.variables.set("signature", "s-" + request.method);
      client.log(request.variables.get("signature"), request.environment.get("host"), request.environment.get("nope"));
      client.log(request.headers.all().map(h => h.name + "=" + h.getRawValue()).join(","), request.headers.findByName("content-type").tryGetSubstitutedValue(), request.headers.findByName("x"));
      client.log(request.body.getRaw(), request.body.tryGetSubstituted(), request.url.getRaw(), request.url.tryGetSubstituted());
      client.log(request.url(), request.body());`, { phase: 'pre-request', response: undefined });
    assert.deepEqual(result.variables, { signature: 's-POST' });
    assert.deepEqual(result.log, [
      's-POST example.test null',
      'Content-Type=application/json application/json null',
      '{"user":"{{user}}"} {"user":"alice"} http://{{host}}/login http://example.test/login',
      'http://example.test/login {"user":"alice"}',
    ]);
  });

  test('crypto hashes and HMAC, jsonPath, $random, atob/btoa', async () => {
    const result = await ok(`
      client.log(crypto.sha256().updateWithText("abc").digest().toHex());
      client.log(crypto.md5().updateWithText("abc").digest().toBase64());
      client.log(crypto.hmac.sha256().withTextSecret("key").updateWithText("body").digest().toHex());
      client.log(crypto.sha1().updateWithHex("616263").digest().toHex());
      client.log(jsonPath(response.body, "$.items[*].id"), jsonPath(response.body, "$.token"), jsonPath(response.body, "$.none"));
      client.log($random.alphabetic(8).length, /^[0-9]{4}$/.test($random.numeric(4)), /@/.test($random.email), $random.integer(5, 6), /^[0-9a-f-]{36}$/.test($random.uuid));
      client.log(Window.btoa("user:pass"), Window.atob("dXNlcjpwYXNz"));`);
    assert.deepEqual(result.log, [
      createHash('sha256').update('abc').digest('hex'),
      createHash('md5').update('abc').digest('base64'),
      createHmac('sha256', 'key').update('body').digest('hex'),
      createHash('sha1').update('abc').digest('hex'),
      '[7,8] t-1 null',
      '8 true true 5 true',
      'dXNlcjpwYXNz user:pass',
    ]);
  });
});

describe('the httpYac API ({{ }} blocks)', () => {
  const httpYac = (overrides: Partial<ScriptInput> = {}): Partial<ScriptInput> => ({ flavor: 'httpYac', scope: { host: 'example.test', token: 'old' }, ...overrides });

  test('response.statusCode/body/parsedBody/headers/timings, request, variables by name, console', async () => {
    const result = await ok(`console.log(response.statusCode, typeof response.body, response.parsedBody.items[0].id, response.headers["content-type"], response.headers["set-cookie"], response.timings.total);
      console.info(request.method, request.url, request.headers["Content-Type"], request.body, host, token);`, httpYac());
    assert.deepEqual(result.log, ['200 string 7 application/json; charset=utf-8 ["a=1","b=2"] 12', 'POST http://example.test/login application/json {"user":"alice"} example.test old']);
  });

  test('exports and $global are kept like client.global; an unchanged $global value is not written back', async () => {
    const result = await ok('exports.token = response.parsedBody.token; exports.count = 2; $global.user = { name: "alice" }; client.global.set("kept", "changed");', httpYac());
    assert.deepEqual(result.globals, { kept: 'changed', token: 't-1', count: '2', user: '{"name":"alice"}' });
  });

  test("test(), test.status/header/headerContains/hasResponseBody, require('assert')", async () => {
    const result = await ok(`const assert = require('assert');
      test('token', () => assert.equal(response.parsedBody.token, 't-1'));
      test('deep', () => assert.deepStrictEqual(response.parsedBody.items, [{ id: 7 }, { id: 9 }]));
      test.status(200); test.status(201);
      test.headerContains('content-type', 'json'); test.hasResponseBody();`, httpYac());
    assert.deepEqual(result.tests.map((t) => `${t.passed ? '✓' : '✗'} ${t.name}`), [
      '✓ token', '✗ deep', '✓ response status is 200', '✗ response status is 201', '✓ response header content-type contains json', '✓ response body exists',
    ]);
    assert.equal(result.tests[3]!.message, 'response status is 200 (expected: 201)');
  });

  test("require gives nothing but 'assert'; httpYac's names are not globals of JetBrains scripts", async () => {
    const failed = await run("require('fs')", httpYac());
    assert.equal(failed.ok, false);
    if (!failed.ok) assert.match(failed.message, /api\.http:10: Error: require\('fs'\) is not available: scripts run in a sandbox without modules/);
    const jetbrains = await ok('client.log(typeof require, typeof test, typeof exports, typeof $global, typeof console)');
    assert.deepEqual(jetbrains.log, ['undefined undefined undefined undefined undefined']);
  });

  test('a block may await: awaited values, sleep(), a rejected await names its line, an await that never settles is reported', async () => {
    const awaited = await ok(`const id = await Promise.resolve(response.parsedBody.items[0].id);
      await sleep(100);
      exports.id = id;
      test('after await', () => require('assert').equal(id, 7));`, httpYac());
    assert.equal(awaited.globals.id, '7');
    assert.deepEqual(awaited.tests, [{ name: 'after await', passed: true }]);
    const rejected = await run("await null;\n\nawait Promise.reject(new Error('nope'));", httpYac());
    assert.deepEqual(rejected, { ok: false, message: 'api.http:12: Error: nope' });
    const stuck = await run('await new Promise(() => {});', httpYac());
    assert.equal(stuck.ok, false);
    if (!stuck.ok) assert.match(stuck.message, /api\.http:10: Error: the script waits for something that never comes/);
    const looping = await run('await null; while (true) {}', httpYac());
    assert.equal(looping.ok, false);
    if (!looping.ok) assert.match(looping.message, /ran past its time limit/);
  });

  test('a variable that is not defined is a ReferenceError naming file:line', async () => {
    const result = await run('\n\nconsole.log(nope)', httpYac());
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.message, /api\.http:12: ReferenceError: 'nope' is not defined/);
  });
});

describe('httpYac ?? assertions', () => {
  const cases: readonly (readonly [assertion: string, passed: boolean])[] = [
    ['status == 200', true],
    ['status === 200', true],
    ['status equals 201', false],
    ['status != 201', true],
    ['status > 199', true],
    ['status >= 201', false],
    ['status < 300', true],
    ['status <= 199', false],
    ['status startsWith 2', true],
    ['status endsWith 00', true],
    ['status isNumber', true],
    ['header content-type includes json', true],
    ['header Content-Type contains xml', false],
    ['header x-missing exists', false],
    ['header x-missing isFalse', true],
    ['header content-type startsWith application/json', true],
    ['body token == t-1', true],
    ['body $.items[1].id == 8', true],
    ['body items isArray', true],
    ['body items == [{"id":7},{"id":8}]', true],
    ['body matches "token":"t-\\d"', true],
    ['body sha256 ' + createHash('sha256').update('{"token":"t-1","items":[{"id":7},{"id":8}]}').digest('hex'), true],
    ['body md5 0', false],
    ['body token isString', true],
    ['js response.parsedBody.items.length > 1', true],
    ['js response.parsedBody.items.length == 3', false],
    ['js response.parsedBody.missing.deeper exists', false],
    ['duration < 1000', true],
    ['duration > 1000', false],
  ];
  for (const [assertion, passed] of cases) {
    test(`?? ${assertion} ${passed ? 'passes' : 'fails'}`, async () => {
      const script = httpYacAssertionScript(assertion);
      if ('error' in script) assert.fail(script.error);
      const result = await ok(script.code, { flavor: 'httpYac' });
      assert.equal(result.tests.length, 1);
      assert.equal(result.tests[0]!.passed, passed, result.tests[0]!.message);
      if (!passed) assert.ok(result.tests[0]!.message, 'a failed assertion says what it got');
    });
  }

  test('a failed assertion is named as written and says what it got', async () => {
    const script = httpYacAssertionScript('header content-type includes xml');
    if ('error' in script) assert.fail(script.error);
    const [result] = (await ok(script.code, { flavor: 'httpYac' })).tests;
    assert.deepEqual(result, { name: 'content-type includes xml', passed: false, message: 'got application/json; charset=utf-8, expected includes xml' });
  });

  test('a line that is no assertion, or names no known field, is refused with the reason', () => {
    assert.deepEqual(httpYacAssertionScript('status'), { error: '?? status: not an assertion; write ?? status == 200 or ?? header content-type includes json' });
    assert.deepEqual(httpYacAssertionScript('xpath //a exists'), { error: "?? xpath //a exists: 'xpath' is not a field to assert (status, header, body, duration, js)" });
  });
});

describe('the input, read as far as the script goes', () => {
  /** The input with the parts a script may skip as getters that say when they are read. */
  function watched(read: string[]): ScriptInput {
    const given = input();
    const response = given.response!;
    return {
      ...given,
      get request() {
        read.push('request');
        return given.request;
      },
      get environment() {
        read.push('environment');
        return given.environment;
      },
      response: {
        ...response,
        get bodyText() {
          read.push('body');
          return response.bodyText;
        },
      },
    };
  }
  const cases: { code: string; log: string; read: string[] }[] = [
    { code: 'client.test("ok", () => client.assert(response.status === 200)); client.log(response.contentType.mimeType)', log: 'application/json', read: [] },
    { code: 'client.log(response.body.token, response.body.items.length)', log: 't-1 2', read: ['body'] },
    { code: 'client.log(request.method, request.url())', log: 'POST http://example.test/login', read: ['request'] },
    { code: 'client.log(request.environment.get("host"), request.environment.get("host"))', log: 'example.test example.test', read: ['request', 'environment'] },
    { code: 'client.log(client.global.get("kept"), response.headers.valueOf("set-cookie"))', log: 'yes a=1', read: [] },
  ];
  for (const { code, log, read } of cases) {
    test(`${code} reads ${read.join(', ') || 'neither request, environment nor body'}`, async () => {
      const seen: string[] = [];
      const result = await runScript({ code, fileName: 'api.http', firstLine: 1 }, watched(seen), { realmKey: randomUUID(), limits });
      if (!result.ok) assert.fail(result.message);
      assert.deepEqual([result.log, seen], [[log], read]);
    });
  }

  test('client.global the script left as it was comes back as the same map, not a copy', async () => {
    const given = input();
    const result = await runScript({ code: 'client.log(client.global.get("kept"))', fileName: 'api.http', firstLine: 1 }, given, { realmKey: randomUUID(), limits });
    assert.equal(result.ok && result.globals, given.globals);
  });
});

describe('the sandbox', () => {
  test('no Node, no network, no modules: require, process, fetch, timers, import() are not there', async () => {
    const result = await ok(`client.log(typeof require, typeof process, typeof fetch, typeof setTimeout, typeof XMLHttpRequest, typeof module, typeof Buffer);
      client.log(globalThis.constructor.constructor("return typeof process")());`);
    assert.deepEqual(result.log, ['undefined undefined undefined undefined undefined undefined undefined', 'undefined']);
    const imported = await run('import("node:fs").then(fs => client.global.set("fs", "yes"))');
    // import() has no loader: it stays a rejected promise inside the sandbox.
    if (imported.ok) assert.equal(imported.globals.fs, undefined);
  });

  test('prototype tricks on the injected objects stay inside the sandbox; the API objects cannot be replaced', async () => {
    const result = await ok(`
      Object.prototype.polluted = "yes"; Array.prototype.polluted = "yes";
      client = null; response = undefined;
      client.log("client is read-only", response.status);
      client.global.set("__proto__", "x"); client.global.set("constructor", "y");`);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'the host is untouched');
    assert.deepEqual(result.log, ['client is read-only 200']);
    assert.equal(result.globals.constructor, 'y');
    assert.equal(Object.getPrototypeOf(result.globals), Object.prototype);
  });

  test('a script that breaks the builtins the API uses gets an error, not a crash', async () => {
    const result = await run('JSON.stringify = () => "{not json";');
    assert.deepEqual(result, { ok: false, message: 'api.http:10: the script replaced its own output' });
  });

  test('a thrown error and a syntax error name the file and the line in the request file', async () => {
    const thrown = await run('client.log("a");\nthrow new Error("boom");');
    assert.deepEqual(thrown, { ok: false, message: 'api.http:11: Error: boom' });
    const syntax = await run('\nlet x = ;');
    assert.equal(syntax.ok, false);
    assert.match(syntax.ok ? '' : syntax.message, /^api\.http:11: SyntaxError/);
  });

  test('the same handler further down a file (compiled once per realm) names its own line', async () => {
    const realmKey = randomUUID();
    const code = 'client.log("x");\nthrow new Error("boom");';
    const at = (firstLine: number) => runScript({ code, fileName: 'api.http', firstLine }, input(), { realmKey, limits });
    assert.deepEqual(await at(10), { ok: false, message: 'api.http:11: Error: boom' });
    assert.deepEqual(await at(500), { ok: false, message: 'api.http:501: Error: boom' });
    const syntax = (firstLine: number) => runScript({ code: '\nlet x = ;', fileName: 'api.http', firstLine }, input(), { realmKey, limits });
    assert.match(JSON.stringify(await syntax(3)), /api\.http:4: SyntaxError/);
    assert.match(JSON.stringify(await syntax(40)), /api\.http:41: SyntaxError/);
  });

  test('an endless loop stops at the time limit; a memory bomb at the memory limit; the next script runs', async () => {
    const loop = await run('while (true) {}');
    assert.deepEqual(loop, { ok: false, message: 'api.http:10: the script ran past its time limit (300 ms)' });
    const bomb = await run('const a = []; for (;;) a.push(new Array(100000).fill("x"));');
    assert.equal(bomb.ok, false);
    assert.match(bomb.ok ? '' : bomb.message, /api\.http:10: the script ran (out of memory|past its time limit)/);
    assert.equal((await ok('client.log("still fine")')).log[0], 'still fine');
  });

  test("a file's scripts share a realm (and its own top-level names do not collide); other files' scripts never see it", async () => {
    const script = (code: string) => ({ code, fileName: 'shared.http', firstLine: 1 });
    const first = await runScript(script('const token = 1; globalThis.leftBehind = "by the first";'), input(), { realmKey: 'shared.http', limits });
    const second = await runScript(script('const token = 2; client.log(globalThis.leftBehind);'), input(), { realmKey: 'shared.http', limits });
    const other = await runScript(script('client.log(typeof globalThis.leftBehind);'), input(), { realmKey: 'other.http', limits });
    assert.deepEqual([first.ok, second.ok && second.log, other.ok && other.log], [true, ['by the first'], ['undefined']]);
  });

  test('a huge client.log is cut, not kept whole', async () => {
    const result = await ok('for (let i = 0; i < 1000; i++) client.log("x".repeat(1000));');
    const total = result.log.reduce((sum, line) => sum + line.length, 0);
    assert.ok(total < 70 * 1024, `kept ${total} characters`);
    assert.match(result.log.at(-1)!, /log cut at 65536 characters/);
  });
});
