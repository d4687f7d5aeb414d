// Issue 14 in the real VS Code: "Import from cURL" takes the curl command on the clipboard, inserts the
// equivalent request at the cursor of a .http file, and that request sends what the command said.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { withSessionServer } from '../../support/sessionServer';
import { defineSuite } from './hostTest';
import { clearAllCookies, exchangeOf, openRequestFile, sendRequest } from './requestFiles';
import { activateExtension } from './workspace';

export default defineSuite('curlImport', (test) => {
  test('Import from cURL inserts the clipboard command as a request, and sending it sends the cookie and header', async () => {
    const { api } = await activateExtension();
    await withSessionServer(async (server) => {
      await clearAllCookies(api);
      const document = await openRequestFile('curl/imported.http', '# imported below\n');
      const editor = vscode.window.activeTextEditor!;
      editor.selection = new vscode.Selection(1, 0, 1, 0);
      await vscode.env.clipboard.writeText(`curl '${server.url}/me' \\\n  -H 'accept: application/json' \\\n  -b 'JSESSIONID=pasted-id'`);
      try {
        const inserted = await vscode.commands.executeCommand<string>('httpSession.importCurl');
        assert.equal(inserted, `GET ${server.url}/me\naccept: application/json\nCookie: JSESSIONID=pasted-id\n`);
        assert.equal(document.getText(), `# imported below\n###\n${inserted}`);

        const arrived = server.nextRequest();
        const exchange = exchangeOf(await sendRequest(document, `GET ${server.url}/me`));
        const request = await arrived;
        assert.equal(request.path, '/me');
        assert.equal(request.sessionId, 'pasted-id');
        assert.equal(exchange.response?.status, 401, 'the server does not know the pasted session');
      } finally {
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    });
  });
});
