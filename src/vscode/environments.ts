import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { DisposableStore } from '../core/event';
import type { FileReader } from '../core/ports';
import { loadEnvironments, type EnvironmentSet, type EnvironmentsObject } from '../core/vars/environments';
import { restrictionFor } from './restrictedMode';

/**
 * The selected environment (kept per workspace) and the env files seen from each request file's folder,
 * loaded once and reloaded when an env file, a .env file or the settings change, or the workspace is trusted.
 */
export class EnvironmentService implements vscode.Disposable {
  private static readonly stateKey = 'httpSession.environment';
  private readonly cache = new Map<string, Promise<EnvironmentSet>>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables = new DisposableStore(this.changed);

  constructor(
    private readonly state: vscode.Memento,
    private readonly reader: FileReader,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{http-client.env.json,http-client.private.env.json,.env}');
    const invalidate = () => {
      this.cache.clear();
      this.changed.fire();
    };
    this.disposables.addAll(
      watcher,
      watcher.onDidChange(invalidate),
      watcher.onDidCreate(invalidate),
      watcher.onDidDelete(invalidate),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('httpSession.environmentVariables') && invalidate()),
      // Restricted Mode left out the private env file and the settings' environments.
      vscode.workspace.onDidGrantWorkspaceTrust(invalidate),
    );
  }

  get selected(): string | undefined {
    return this.state.get<string>(EnvironmentService.stateKey);
  }

  async select(name: string | undefined): Promise<void> {
    await this.state.update(EnvironmentService.stateKey, name);
    this.changed.fire();
  }

  /** The environments visible from a request file (nearest env files up to its workspace folder). */
  forFile(requestFile: string): Promise<EnvironmentSet> {
    const folder = dirname(requestFile);
    let loaded = this.cache.get(folder);
    if (!loaded) {
      const uri = vscode.Uri.file(requestFile);
      const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
      const fromSettings = vscode.workspace.getConfiguration('httpSession').get<EnvironmentsObject>('environmentVariables') ?? {};
      loaded = loadEnvironments(requestFile, root, this.reader, fromSettings, restrictionFor(uri));
      this.cache.set(folder, loaded);
    }
    return loaded;
  }

  /** The environment names seen from a request file of any kind, else from the first workspace folder. */
  async namesFor(requestFile: string | undefined): Promise<readonly string[]> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    // Env files are searched from the file's folder up: a stand-in file name for the workspace folder.
    const from = requestFile ?? (folder === undefined ? undefined : join(folder, '_.http'));
    return from ? (await this.forFile(from)).names : [];
  }

  /** Quick pick of the environments seen from the active request file (or the first workspace folder). */
  async pick(requestFile: string | undefined): Promise<void> {
    const names = await this.namesFor(requestFile);
    const none = { label: 'No environment', description: 'only file variables and $shared values', name: undefined };
    const items = [none, ...names.map((name) => ({ label: name, description: name === this.selected ? 'selected' : undefined, name }))];
    const choice = await vscode.window.showQuickPick(items, {
      title: 'HTTP Session: Select Environment',
      placeHolder: names.length ? 'Environments from http-client.env.json and settings' : 'No http-client.env.json found next to the file or above it',
    });
    if (choice) await this.select(choice.name);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
