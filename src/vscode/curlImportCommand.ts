// "HTTP Session: Import from cURL": the curl command on the clipboard (or typed into an input box when
// the clipboard holds none) inserted as a `.http` request at the cursor of a request file, or in a new
// untitled one. The core writes the request; this adapter only finds the command and places the text.
import * as vscode from 'vscode';
import { isCurlCommand } from '../core/parse/curlCommand';
import { importCurlCommand } from '../core/parse/curlImport';

export function registerCurlImportCommand(): vscode.Disposable {
  return vscode.commands.registerCommand('httpSession.importCurl', async () => {
    const clipboard = await vscode.env.clipboard.readText();
    const command = isCurlCommand(clipboard)
      ? clipboard
      : await vscode.window.showInputBox({
          title: 'Import from cURL',
          prompt: 'Paste a curl command',
          placeHolder: "curl 'https://example.com/api' -H 'Accept: application/json'",
          validateInput: (value) => (isCurlCommand(value) ? undefined : 'A curl command starts with curl'),
        });
    if (command === undefined) return undefined;
    const imported = importCurlCommand(command);
    if (imported.text === undefined) {
      void vscode.window.showErrorMessage(`HTTP Session: cannot import the curl command: ${imported.problems.join('; ')}`);
      return undefined;
    }
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document.languageId === 'http') {
      // A request needs its own block: separate it from what is around the cursor.
      const line = editor.document.lineAt(editor.selection.active.line);
      const separated = line.isEmptyOrWhitespace ? `###\n${imported.text}` : `\n###\n${imported.text}`;
      await editor.edit((edit) => edit.insert(line.range.end, separated));
    } else {
      const document = await vscode.workspace.openTextDocument({ language: 'http', content: imported.text });
      await vscode.window.showTextDocument(document);
    }
    if (imported.problems.length > 0) void vscode.window.showWarningMessage(`HTTP Session: imported the curl command; not carried over: ${imported.problems.join('; ')}`);
    return imported.text;
  });
}
