import * as vscode from 'vscode';
import { DisposableStore } from '../core/event';
import type { SessionRegistry } from '../core/session';
import type { EnvironmentService } from './environments';
import { isRequestDocument } from './requestDocuments';

/** Two status-bar items while a request file is visible: the environment (click to change) and the session's cookie count. */
export class SessionStatusBar implements vscode.Disposable {
  private readonly environmentItem = vscode.window.createStatusBarItem('httpSession.environment', vscode.StatusBarAlignment.Left, 100);
  private readonly sessionItem = vscode.window.createStatusBarItem('httpSession.session', vscode.StatusBarAlignment.Left, 99);
  private readonly disposables: DisposableStore;

  constructor(
    private readonly registry: SessionRegistry,
    private readonly environments: EnvironmentService,
  ) {
    this.environmentItem.name = 'HTTP Session Environment';
    this.environmentItem.command = 'httpSession.selectEnvironment';
    this.sessionItem.name = 'HTTP Session Cookies';
    this.sessionItem.command = 'httpSession.cookies.focus';
    this.disposables = new DisposableStore(
      this.environmentItem,
      this.sessionItem,
      registry.onDidChange(() => this.update()),
      environments.onDidChange(() => this.update()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.update()),
    );
    this.update();
  }

  update(): void {
    // Visible, not active: the items stay while the response panel or a view has focus.
    if (!vscode.window.visibleTextEditors.some((editor) => isRequestDocument(editor.document))) {
      this.environmentItem.hide();
      this.sessionItem.hide();
      return;
    }
    const environment = this.environments.selected;
    this.environmentItem.text = `$(server-environment) ${environment ?? 'No environment'}`;
    this.environmentItem.tooltip = 'HTTP Session: environment for {{variables}} — click to change';
    const count = this.registry.sessions.reduce((sum, s) => sum + s.listCookies().length, 0);
    this.sessionItem.text = `$(key) ${count} cookie${count === 1 ? '' : 's'}`;
    this.sessionItem.tooltip = 'HTTP Session: cookies held by this workspace\'s session — click to see them';
    this.environmentItem.show();
    this.sessionItem.show();
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
