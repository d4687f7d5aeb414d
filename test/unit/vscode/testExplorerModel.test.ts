// The Test Explorer's model: which requests of a real parsed file have tests, and what an exchange's
// test results mean for the request item and its test items.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Exchange, TestResult } from '../../../src/core/model/exchange';
import { parseRequestFile } from '../../../src/core/parse';
import { mayHaveTests, requestResult, requestsWithTests, type RequestResult } from '../../../src/vscode/testExplorerModel';

describe('requestsWithTests', () => {
  const file = [
    '### Log in',
    '# @name login',
    'POST http://localhost/login',
    '',
    '> {% client.test("logged in", () => client.assert(response.status === 200)); %}',
    '',
    '### no tests here',
    'GET http://localhost/public',
    '',
    '> {% client.global.set("seen", "yes"); %}',
    '',
    '###',
    '< {% client.test ("before", () => {}); %}',
    'GET http://localhost/me',
    '',
    '###',
    'GET http://localhost/file-handler',
    '',
    '> ./checks.js',
  ].join('\n');

  test('lists the requests whose scripts call client.test, with their request line and a readable label', () => {
    assert.deepEqual(requestsWithTests(parseRequestFile(file, 'api.http')), [
      { line: 2, label: 'login' },
      { line: 13, label: 'GET http://localhost/me' },
    ]);
  });

  const texts: [string, string, boolean][] = [
    ['a client.test call', '> {% client.test("a", () => {}) %}', true],
    ['a space before the parenthesis', 'client.test ("a")', true],
    ['only client.global', '> {% client.global.set("a", "b") %}', false],
    ['a longer name that merely contains it', 'myclient.tests("a")', false],
    ['an httpYac ?? assertion', 'GET /a\n?? status == 200', true],
    ['an httpYac test() or test.status()', '{{\n  test.status(200);\n}}', true],
  ];
  for (const [name, text, expected] of texts) test(`mayHaveTests: ${name}`, () => assert.equal(mayHaveTests(text), expected));
});

test('requests with httpYac ?? assertions or test() in a {{ }} block have tests; other {{ }} blocks do not', () => {
  const file = ['GET http://localhost/a', '?? status == 200', '###', 'GET http://localhost/b', '', '{{', '  test("b", () => {});', '}}', '###', 'GET http://localhost/c', '', '{{', '  exports.c = 1;', '}}'].join('\n');
  assert.deepEqual(requestsWithTests(parseRequestFile(file, 'api.http')).map((request) => request.line), [0, 3]);
});

describe('requestResult', () => {
  const exchange = (tests: readonly TestResult[] | undefined, error?: string): Exchange => ({
    id: 'x1',
    sessionName: 'default',
    startedAt: 0,
    request: { method: 'GET', url: 'http://localhost/me', headers: [], bodySize: 0 },
    ...(error ? { error: { code: 'ECONNREFUSED', message: error } } : {}),
    timings: { totalMs: 1 },
    connectionReused: false,
    cookies: { sent: [], stored: [], rejected: [] },
    redirects: [],
    sessionEvents: [],
    findings: [],
    ...(tests ? { tests } : {}),
  });
  const cases: [string, Exchange, RequestResult][] = [
    [
      'all passed',
      exchange([{ name: 'status', passed: true }, { name: 'token', passed: true }]),
      { request: { state: 'passed' }, tests: [{ name: 'status', result: { state: 'passed' } }, { name: 'token', result: { state: 'passed' } }] },
    ],
    [
      'one failed: the request fails saying how many, the test carries its message',
      exchange([{ name: 'status', passed: true }, { name: 'token', passed: false, message: 'expected a token' }]),
      {
        request: { state: 'failed', message: '1 of 2 tests failed' },
        tests: [{ name: 'status', result: { state: 'passed' } }, { name: 'token', result: { state: 'failed', message: 'expected a token' } }],
      },
    ],
    ['a failed test without a message still says it failed', exchange([{ name: 'x', passed: false }]), { request: { state: 'failed', message: '1 of 1 tests failed' }, tests: [{ name: 'x', result: { state: 'failed', message: 'failed' } }] }],
    ['no response: the request errors with the transport message', exchange(undefined, 'connection refused'), { request: { state: 'errored', message: 'connection refused' }, tests: [] }],
    ['no tests ran: passed, no children', exchange(undefined), { request: { state: 'passed' }, tests: [] }],
  ];
  for (const [name, input, expected] of cases) test(name, () => assert.deepEqual(requestResult(input), expected));
});
