import type * as vscode from 'vscode';
import type { TokenVault } from '../core/ports';

/**
 * Keeps each session's OAuth2 tokens in VS Code's SecretStorage (the OS keychain where there is one), never in
 * workspace state. SecretStorage is shared by every window of the extension: the key names the workspace.
 */
export class SecretStorageTokenVault implements TokenVault {
  constructor(
    private readonly secrets: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete'>,
    private readonly workspace: string,
  ) {}

  /** The SecretStorage key of a session's tokens. */
  key(sessionName: string): string {
    return `httpSession.tokens ${JSON.stringify([this.workspace, sessionName])}`;
  }

  async load(sessionName: string): Promise<unknown> {
    const text = await this.secrets.get(this.key(sessionName));
    return text === undefined ? undefined : JSON.parse(text);
  }

  async save(sessionName: string, kept: unknown): Promise<void> {
    if (kept === undefined) await this.secrets.delete(this.key(sessionName));
    else await this.secrets.store(this.key(sessionName), JSON.stringify(kept));
  }
}
