// A stored exchange keeps its tests and script log; a corrupt one is refused naming the field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkStoredExchange } from '../../../src/core/session/stateShape';

const stored = {
  id: 'x1',
  sessionName: 'default',
  startedAt: 0,
  request: { method: 'GET', url: 'http://localhost/me', headers: [], bodySize: 0 },
  timings: { totalMs: 3 },
  connectionReused: false,
  cookies: { sent: [], stored: [], rejected: [] },
  redirects: [],
  sessionEvents: [],
  findings: [],
  tests: [{ name: 'status is 200', passed: true }, { name: '<b>token</b>', passed: false, message: 'expected 200, got 401' }],
  scriptLog: ['logged in', ''],
};

test('a stored exchange with tests and a script log is accepted, and keeps them through JSON', () => {
  const roundTrip: unknown = JSON.parse(JSON.stringify(stored));
  assert.doesNotThrow(() => checkStoredExchange(roundTrip, 'history[0]'));
  assert.deepEqual(roundTrip, stored);
});

const corrupt: [string, Record<string, unknown>, RegExp][] = [
  ['tests not a list', { tests: 'all passed' }, /history\[0\]\.tests is a string, expected a list/],
  ['a test without a name', { tests: [{ passed: true }] }, /history\[0\]\.tests\[0\]\.name is missing, expected text/],
  ['passed not a flag', { tests: [{ name: 'a', passed: 'yes' }] }, /history\[0\]\.tests\[0\]\.passed is a string, expected true or false/],
  ['a message not text', { tests: [{ name: 'a', passed: false, message: 401 }] }, /history\[0\]\.tests\[0\]\.message is 401, expected text/],
  ['a log line not text', { scriptLog: ['ok', { line: 2 }] }, /history\[0\]\.scriptLog\[1\] is an object, expected text/],
  ['a log that is one string', { scriptLog: 'ok' }, /history\[0\]\.scriptLog is a string, expected a list/],
];
for (const [label, change, expected] of corrupt) {
  test(`a stored exchange with ${label} is refused naming the field`, () => {
    assert.throws(() => checkStoredExchange({ ...stored, ...change }, 'history[0]'), expected);
  });
}
