import type * as vscode from 'vscode';
import { setAsideName, setAsidePrefix, systemClock, type Clock, type SessionStorage } from '../core/ports';

/** Keeps the workspace's sessions in `workspaceState`, so cookies survive a window reload. */
export class WorkspaceStateStorage implements SessionStorage {
  static readonly key = 'httpSession.sessions';

  /** Set-aside copies kept; older ones are dropped, so repeated corruption cannot grow the workspace state without end. */
  static readonly setAsideKept = 3;

  constructor(
    private readonly memento: Pick<vscode.Memento, 'get' | 'update' | 'keys'>,
    private readonly clock: Clock = systemClock,
  ) {}

  async load(): Promise<unknown> {
    return this.memento.get<unknown>(WorkspaceStateStorage.key);
  }

  async save(state: unknown): Promise<void> {
    await this.memento.update(WorkspaceStateStorage.key, state);
  }

  /** Moves the value to a key of its own, `httpSession.sessions.corrupt-<time>`; keeps the newest `setAsideKept` of those. */
  async setAside(): Promise<string> {
    const aside = setAsideName(WorkspaceStateStorage.key, this.clock.now());
    await this.memento.update(aside, this.memento.get<unknown>(WorkspaceStateStorage.key));
    await this.memento.update(WorkspaceStateStorage.key, undefined);
    const prefix = setAsidePrefix(WorkspaceStateStorage.key);
    // The names sort by time (setAsideName).
    const older = this.memento.keys().filter((key) => key.startsWith(prefix)).sort().reverse().slice(WorkspaceStateStorage.setAsideKept);
    for (const key of older) await this.memento.update(key, undefined);
    return `the workspace state key "${aside}"`;
  }
}
