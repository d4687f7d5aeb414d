// "Copy as Python (requests)" for the request at the cursor and "Export File as Python Script" for a
// whole request file: the core writes the script; this adapter picks the request, the selected
// environment and the session's settings, and puts the script on the clipboard or in a file.
import * as vscode from 'vscode';
import { exportPythonScript } from '../core/export/pythonExport';
import type { EnvironmentService } from './environments';
import type { RequestDocuments } from './requestDocuments';
import { readSessionDefaults } from './settings';
import { defaultCsrfNames } from '../core/doctor/context';

export function registerPythonExportCommands(documents: RequestDocuments, environments: EnvironmentService): vscode.Disposable[] {
  async function scriptFor(document: vscode.TextDocument, line: number | undefined): Promise<string | undefined> {
    const file = documents.parse(document);
    const request = line === undefined ? undefined : documents.requestAt(document, line);
    if (line !== undefined && !request) {
      void vscode.window.showWarningMessage(`HTTP Session: no request at ${vscode.workspace.asRelativePath(document.uri)}:${line + 1}.`);
      return undefined;
    }
    const { defaults } = readSessionDefaults();
    const csrf = defaults.csrf ?? {};
    return exportPythonScript({
      file,
      requestFile: document.uri.fsPath,
      environments: await environments.forFile(document.uri.fsPath),
      environmentName: environments.selected,
      ...(request ? { requests: [request] } : {}),
      csrf: {
        mode: csrf.mode ?? 'auto',
        cookieName: csrf.cookieName ?? defaultCsrfNames.cookieName,
        headerName: csrf.headerName ?? defaultCsrfNames.headerName,
        fieldName: csrf.fieldName ?? defaultCsrfNames.fieldName,
      },
      defaultHeaders: defaults.headers,
      proxy: defaults.proxy,
      tls: defaults.tls,
    }).script;
  }

  const documentOf = async (uri: vscode.Uri | undefined) => {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    return target ? vscode.workspace.openTextDocument(target) : undefined;
  };

  return [
    vscode.commands.registerCommand('httpSession.copyAsPython', async (uri?: vscode.Uri, line?: number) => {
      const document = await documentOf(uri);
      if (!document) return undefined;
      const editor = vscode.window.activeTextEditor;
      const at = line ?? (editor?.document === document ? editor.selection.active.line : 0);
      const script = await scriptFor(document, at);
      if (script === undefined) return undefined;
      await vscode.env.clipboard.writeText(script);
      vscode.window.setStatusBarMessage('HTTP Session: copied the request as a Python requests script', 3000);
      return script;
    }),
    vscode.commands.registerCommand('httpSession.exportPython', async (uri?: vscode.Uri, target?: vscode.Uri) => {
      const document = await documentOf(uri);
      if (!document) return undefined;
      const script = await scriptFor(document, undefined);
      if (script === undefined) return undefined;
      const suggested = vscode.Uri.file(document.uri.fsPath.replace(/(\.http\.ya?ml|\.http|\.rest)$/i, '') + '.py');
      const destination = target ?? (await vscode.window.showSaveDialog({ defaultUri: suggested, filters: { Python: ['py'] }, saveLabel: 'Export' }));
      if (!destination) return undefined;
      await vscode.workspace.fs.writeFile(destination, new TextEncoder().encode(script));
      await vscode.window.showTextDocument(destination, { preview: false });
      return destination;
    }),
  ];
}
