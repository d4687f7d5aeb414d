// The extension's session storage on a Memento (what VS Code's workspaceState is): no VS Code needed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkspaceStateStorage } from '../../../src/vscode/workspaceStateStorage';

class MemoryMemento {
  readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  }
}

test('a corrupt state is set aside under its own key; only the newest three set-aside copies are kept', async () => {
  const memento = new MemoryMemento();
  memento.values.set('httpSession.panel.history', 'untouched');
  let now = Date.parse('2026-11-28T10:00:00Z');
  const storage = new WorkspaceStateStorage(memento, { now: () => now });
  const places: string[] = [];
  for (let corruption = 1; corruption <= 5; corruption++) {
    await storage.save({ corruption });
    places.push(await storage.setAside());
    now += 60_000;
  }
  assert.equal(await storage.load(), undefined, 'the session starts empty');
  assert.equal(places[0], 'the workspace state key "httpSession.sessions.corrupt-2026-11-28T10-00-00-000Z"');
  assert.deepEqual(
    memento.keys().filter((key) => key.includes('corrupt')).sort().map((key) => memento.get(key)),
    [{ corruption: 3 }, { corruption: 4 }, { corruption: 5 }],
  );
  assert.equal(memento.get('httpSession.panel.history'), 'untouched');
});
