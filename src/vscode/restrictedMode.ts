import * as vscode from 'vscode';
import type { HttpRequest } from '../core/model/exchange';
import type { Restriction } from '../core/vars/restriction';

/** How a request file of this window is resolved: restricted while the workspace is not trusted. */
export function restrictionFor(uri: vscode.Uri): Restriction | undefined {
  return vscode.workspace.isTrusted ? undefined : { workspaceFolder: vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath };
}

/**
 * In Restricted Mode a request file could send what it likes anywhere: before a request goes to an origin,
 * or reads a file, that the user has not accepted yet in this window, a modal names them and asks.
 * What the user accepts is remembered for the window; a decline is not.
 */
export class SendConsent {
  private readonly origins = new Set<string>();
  private readonly files = new Set<string>();

  async confirm(request: HttpRequest, filesRead: readonly string[]): Promise<boolean> {
    if (vscode.workspace.isTrusted) return true;
    const origin = new URL(request.url).origin;
    if (this.origins.has(origin) && filesRead.every((file) => this.files.has(file))) return true;
    const reads = filesRead.length > 0 ? `It reads ${filesRead.map((file) => vscode.workspace.asRelativePath(file)).join(', ')}. ` : '';
    const send = 'Send';
    const answer = await vscode.window.showWarningMessage(
      `This workspace is not trusted. Send ${request.method} to ${origin} through your HTTP session (cookies included)?`,
      { modal: true, detail: `${reads}Hosts and files you accept are not asked about again in this window.` },
      send,
    );
    if (answer !== send) return false;
    this.origins.add(origin);
    for (const file of filesRead) this.files.add(file);
    return true;
  }
}
