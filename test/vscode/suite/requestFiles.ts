// Helpers for in-host tests that write request files into the (temp copy of the) workspace and send
// them the way a user does: through the extension's commands.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Exchange } from '../../../src/core/model/exchange';
import type { RunOutcome } from '../../../src/core/run/runRequest';
import type { HttpSessionApi } from '../../../src/vscode/extension';

/** The minimal shape shared by `vscode.Event` and the core's `Event`. */
type Subscribable<T> = (listener: (value: T) => unknown) => { dispose(): unknown };

/** Resolves with the next value the event fires (subscribe BEFORE causing it). */
export function nextEvent<T>(event: Subscribable<T>): Promise<T> {
  return new Promise((resolve) => {
    const subscription = event((value) => {
      subscription.dispose();
      resolve(value);
    });
  });
}

export function workspaceUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the extension-host tests need a workspace folder');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

/** Writes a file into the workspace (parent folders created) and returns its URI. */
export async function writeWorkspaceFile(relativePath: string, text: string): Promise<vscode.Uri> {
  const uri = workspaceUri(relativePath);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** Writes a request file and opens it in an editor, as a user would before clicking a CodeLens. */
export async function openRequestFile(relativePath: string, text: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(await writeWorkspaceFile(relativePath, text));
  await vscode.window.showTextDocument(document);
  return document;
}

/** Zero-based number of the first line containing `needle`. */
export function lineOf(document: vscode.TextDocument | string, needle: string): number {
  const lines = (typeof document === 'string' ? document : document.getText()).split(/\r?\n/);
  const line = lines.findIndex((text) => text.includes(needle));
  if (line < 0) throw new Error(`no line contains ${JSON.stringify(needle)}`);
  return line;
}

/** Runs `httpSession.sendRequest` (what the Send Request CodeLens runs) for the request on the line containing `needle`. */
export function sendRequest(document: vscode.TextDocument, needle: string): Thenable<RunOutcome | undefined> {
  return vscode.commands.executeCommand<RunOutcome | undefined>('httpSession.sendRequest', document.uri, lineOf(document, needle));
}

/** The exchange of an outcome that was sent (fails the test when the request was refused or nothing was sent). */
export function exchangeOf(outcome: RunOutcome | undefined): Exchange {
  assert.ok(outcome, 'the command sent nothing');
  assert.equal(outcome.kind, 'sent', `the request was refused: ${outcome.kind === 'refused' ? outcome.diagnostics.map((d) => d.message).join('; ') : ''}`);
  return outcome.exchange;
}

/** Sends and returns the response status (fails on a transport error). */
export async function sendForStatus(document: vscode.TextDocument, needle: string): Promise<number> {
  const exchange = exchangeOf(await sendRequest(document, needle));
  assert.ok(exchange.response, `no response: ${exchange.error?.code} ${exchange.error?.message}`);
  return exchange.response.status;
}

/** Empties every session's jar: the tests' servers all live on 127.0.0.1, where cookies ignore the port. */
export async function clearAllCookies(api: HttpSessionApi): Promise<void> {
  for (const session of api.registry.sessions) await session.clearCookies();
}

/** The diagnostics the extension published for a document (what the Problems panel lists). */
export function extensionDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'HTTP Session');
}

/** Resolves once the extension has published at least one diagnostic for `uri`. */
export function whenDiagnosticsPublished(uri: vscode.Uri): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const found = extensionDiagnostics(uri);
      if (found.length > 0) resolve(found);
      return found.length > 0;
    };
    if (check()) return;
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString()) && check()) subscription.dispose();
    });
  });
}

/** Code and zero-based line of each diagnostic, sorted by line: what tests compare. */
export function codesAndLines(diagnostics: readonly vscode.Diagnostic[]): Array<[string, number]> {
  return diagnostics
    .map((d): [string, number] => [typeof d.code === 'object' ? String(d.code.value) : String(d.code), d.range.start.line])
    .sort((a, b) => a[1] - b[1]);
}

/** Needles of the two requests of `loginFileText`, for sendRequest(). */
export const loginRequest = '/login';
export const whoAmIRequest = '/me';

/** Log in, then ask who I am: the requests most tests send to a SessionServer. */
export function loginFileText(serverUrl: string): string {
  return `### Log in
POST ${serverUrl}/login
Content-Type: application/x-www-form-urlencoded

username=alice&password=secret

### Who am I
GET ${serverUrl}/me
Accept: application/json
`;
}

/** Writes and opens a login file for this server, with the cookies of earlier tests cleared. */
export async function openLoginFile(api: HttpSessionApi, relativePath: string, serverUrl: string): Promise<vscode.TextDocument> {
  await clearAllCookies(api);
  return openRequestFile(relativePath, loginFileText(serverUrl));
}
