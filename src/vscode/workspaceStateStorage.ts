import type * as vscode from 'vscode';
import { setAsideName, systemClock, type SessionStorage } from '../core/ports';

/** Keeps the workspace's sessions in `workspaceState`, so cookies survive a window reload. */
export class WorkspaceStateStorage implements SessionStorage {
  static readonly key = 'httpSession.sessions';

  constructor(private readonly memento: vscode.Memento) {}

  async load(): Promise<unknown> {
    return this.memento.get<unknown>(WorkspaceStateStorage.key);
  }

  async save(state: unknown): Promise<void> {
    await this.memento.update(WorkspaceStateStorage.key, state);
  }

  /** Moves the value to a key of its own, `httpSession.sessions.corrupt-<time>`. */
  async setAside(): Promise<string> {
    const aside = setAsideName(WorkspaceStateStorage.key, systemClock.now());
    await this.memento.update(aside, this.memento.get<unknown>(WorkspaceStateStorage.key));
    await this.memento.update(WorkspaceStateStorage.key, undefined);
    return `the workspace state key "${aside}"`;
  }
}
