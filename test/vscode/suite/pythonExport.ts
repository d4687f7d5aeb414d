// Issue 16 in the real VS Code: "Copy as Python (requests)" puts the request at the cursor on the
// clipboard as a script, and "Export File as Python Script" writes the whole flow next to the file,
// with the selected environment's values and the private ones left to os.environ.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { defineSuite } from './hostTest';
import { lineOf, openRequestFile, writeWorkspaceFile } from './requestFiles';
import { activateExtension } from './workspace';

const flow = `### Log in
# @name login
POST {{host}}/login
Content-Type: application/x-www-form-urlencoded

username=user&password={{password}}

### Who am I
# @name me
GET {{host}}/api/me
Authorization: Bearer {{login.response.body.$.token}}
`;

export default defineSuite('pythonExport', (test) => {
  test('Copy as Python copies the request at the cursor; Export File writes the whole flow; private values stay in os.environ', async () => {
    const { api } = await activateExtension();
    await writeWorkspaceFile('export/http-client.env.json', JSON.stringify({ staging: { host: 'https://staging.example.test' } }));
    await writeWorkspaceFile('export/http-client.private.env.json', JSON.stringify({ staging: { password: 'hunter2-private' } }));
    const document = await openRequestFile('export/flow.http', flow);
    await api.environments.select('staging');
    try {
      const copied = await vscode.commands.executeCommand<string>('httpSession.copyAsPython', document.uri, lineOf(document, 'GET {{host}}'));
      assert.equal(await vscode.env.clipboard.readText(), copied);
      assert.match(copied, /^HOST = "https:\/\/staging\.example\.test"$/m);
      assert.match(copied, /^me = report\(/m);
      assert.doesNotMatch(copied, /^login = report\(/m, 'only the request at the cursor');

      const target = vscode.Uri.joinPath(document.uri, '..', 'flow.py');
      const written = await vscode.commands.executeCommand<vscode.Uri>('httpSession.exportPython', document.uri, target);
      assert.equal(written?.toString(), target.toString());
      const script = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
      assert.match(script, /^login = report\(/m);
      assert.match(script, /^login_token = as_text\(login\.json\(\)\["token"\]\)$/m);
      assert.match(script, /^PASSWORD = os\.environ\["password"\]$/m);
      assert.ok(!script.includes('hunter2-private'), 'the private value is not written');
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), target.toString(), 'the script is opened');
    } finally {
      await api.environments.select(undefined);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
