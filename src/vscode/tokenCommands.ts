import * as vscode from 'vscode';
import { decodeJwt } from '../core/auth/jwt';
import type { SessionRegistry } from '../core/session';
import type { CookieNode } from './cookiesView';

/** Read-only documents of decoded JWTs: `httpsession-jwt:/<config>.jsonc?<n>`. */
const jwtScheme = 'httpsession-jwt';

/** Registers Copy Token, Decode JWT and Forget Token for the Tokens node of the Cookies view. */
export function registerTokenCommands(registry: SessionRegistry): vscode.Disposable[] {
  const decoded = new Map<string, string>();
  let opened = 0;
  const tokenOf = (node: CookieNode | undefined) => {
    if (node?.kind !== 'token') return undefined;
    const token = registry.get(node.session).keptTokens()[node.configName];
    if (!token) void vscode.window.showWarningMessage(`HTTP Session: the token of auth configuration '${node.configName}' is no longer kept.`);
    return token;
  };

  return [
    vscode.workspace.registerTextDocumentContentProvider(jwtScheme, { provideTextDocumentContent: (uri) => decoded.get(uri.toString()) }),
    // The one place a raw token leaves the extension: the user asked for it.
    vscode.commands.registerCommand('httpSession.tokens.copy', async (node?: CookieNode) => {
      const token = tokenOf(node);
      if (token) await vscode.env.clipboard.writeText(token.accessToken);
    }),
    vscode.commands.registerCommand('httpSession.tokens.decodeJwt', async (node?: CookieNode) => {
      const token = tokenOf(node);
      if (!token || node?.kind !== 'token') return undefined;
      const jwt = decodeJwt(token.accessToken);
      if ('error' in jwt) return void vscode.window.showInformationMessage(`HTTP Session: the token of '${node.configName}' is ${jwt.error}.`);
      const uri = vscode.Uri.from({ scheme: jwtScheme, path: `/${node.configName}.jsonc`, query: String(++opened) });
      const text = `// The header and claims of the token of auth configuration '${node.configName}', decoded WITHOUT checking its signature.\n${JSON.stringify(jwt, null, 2)}\n`;
      decoded.set(uri.toString(), text);
      const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'jsonc');
      return vscode.window.showTextDocument(document, { preview: true });
    }),
    vscode.commands.registerCommand('httpSession.tokens.forget', (node?: CookieNode) => {
      if (node?.kind === 'token') registry.get(node.session).forgetToken(node.configName);
    }),
  ];
}
