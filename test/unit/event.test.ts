import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DisposableStore, Emitter } from '../../src/core/event';
import { Session } from '../../src/core/session';

test('a throwing listener is reported to the emitter\'s owner, and the other listeners still hear the event', () => {
  const reported: unknown[] = [];
  const emitter = new Emitter<number>((error) => reported.push(error));
  const heard: number[] = [];
  emitter.event(() => {
    throw new Error('listener bug');
  });
  emitter.event((value) => heard.push(value));
  emitter.fire(7);
  assert.deepEqual(heard, [7]);
  assert.equal(reported.length, 1);
  assert.match(String(reported[0]), /listener bug/);
});

test('a session logs what its listeners throw instead of swallowing it', async () => {
  const errors: string[] = [];
  const session = new Session({ name: 'default', logger: { trace() {}, info() {}, warn() {}, error: (line) => errors.push(line) } });
  try {
    session.onDidChange(() => {
      throw new Error('tree refresh failed');
    });
    await session.clearCookies();
    assert.equal(errors.length, 1);
    assert.match(errors[0], /session default: a listener failed: Error: tree refresh failed/);
  } finally {
    session.dispose();
  }
});

test('a DisposableStore releases everything once, newest first, and releases late additions at once', () => {
  const released: string[] = [];
  const item = (name: string) => ({ dispose: () => released.push(name) });
  const store = new DisposableStore(item('a'));
  store.addAll(item('b'), item('c'));
  store.dispose();
  store.dispose();
  assert.deepEqual(released, ['c', 'b', 'a']);
  store.add(item('late'));
  assert.deepEqual(released, ['c', 'b', 'a', 'late']);
});
