// Issue 14: client.test results in VS Code's Test Explorer — a request file with handlers that test,
// run through the testing API (the Run profile) and from the editor, against a real loopback server.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { withSessionServer } from '../../support/sessionServer';
import { defineSuite } from './hostTest';
import { clearAllCookies, lineOf, nextEvent, openRequestFile, sendRequest, whoAmIRequest, writeWorkspaceFile } from './requestFiles';
import { activateExtension } from './workspace';

function testedFileText(serverUrl: string): string {
  return `### Log in
POST ${serverUrl}/login
Content-Type: application/x-www-form-urlencoded

username=alice&password=secret

> {%
  client.test("logged in", () => client.assert(response.status === 200, "status " + response.status));
  client.test("<b>is bob</b>", () => client.assert(response.body.user === "bob", "user is " + response.body.user));
%}

### Who am I
GET ${serverUrl}/me

> {% client.test("knows me", () => client.assert(response.status === 200, "status " + response.status)); %}

### No tests
GET ${serverUrl}/me
`;
}

function childrenOf(item: vscode.TestItem | undefined): vscode.TestItem[] {
  const children: vscode.TestItem[] = [];
  item?.children.forEach((child) => children.push(child));
  return children;
}

export default defineSuite('test explorer', (test) => {
  test('a file with client.test handlers: file → request → test items; Run sends it and shows pass/fail with the message; re-run sends again', async () => {
    const { api } = await activateExtension();
    await withSessionServer(async (server) => {
      await clearAllCookies(api);
      const document = await openRequestFile('tests/tested.http', testedFileText(server.url));
      const explorer = api.testExplorer;
      await explorer.discover();

      const fileItem = explorer.controller.items.get(document.uri.toString());
      assert.equal(fileItem?.label, 'tests/tested.http');
      const loginLine = lineOf(document, '/login');
      const meLine = lineOf(document, '/me');
      assert.deepEqual(
        childrenOf(fileItem).map((item) => [item.label, item.range?.start.line]),
        [
          ['Log in', loginLine],
          ['Who am I', meLine],
        ],
        'one child per request with tests; the request without tests has none',
      );

      for (const round of [1, 2]) {
        const ended = nextEvent(explorer.onDidEndRun);
        await vscode.commands.executeCommand('testing.runAll');
        await ended;
        assert.equal(server.requests.length, 3 * round, `run ${round} sent the whole file`);
      }

      const [login, me] = childrenOf(explorer.controller.items.get(document.uri.toString()));
      assert.deepEqual(
        childrenOf(login).map((item) => [item.label, explorer.results.get(item.id)]),
        [
          ['logged in', { state: 'passed' }],
          ['<b>is bob</b>', { state: 'failed', message: 'user is alice' }],
        ],
      );
      assert.deepEqual(explorer.results.get(login.id), { state: 'failed', message: '1 of 2 tests failed' });
      assert.deepEqual(childrenOf(me).map((item) => [item.label, explorer.results.get(item.id)]), [['knows me', { state: 'passed' }]]);
      assert.deepEqual(explorer.results.get(me.id), { state: 'passed' });
    });
  });

  test('an httpYac file: ?? assertions and test() in a {{ }} block are test items, run from the Test Explorer', async () => {
    const { api } = await activateExtension();
    await withSessionServer(async (server) => {
      await clearAllCookies(api);
      const text = [
        '### Log in',
        `POST ${server.url}/login`,
        'Content-Type: application/x-www-form-urlencoded',
        '',
        'username=alice&password=secret',
        '',
        '?? status == 200',
        '?? body user == bob',
        '',
        '### Who am I',
        `GET ${server.url}/me`,
        '',
        '{{',
        "  test('knows me', () => { if (response.statusCode !== 200) throw new Error('status ' + response.statusCode); });",
        '}}',
        '',
      ].join('\n');
      const document = await openRequestFile('tests/httpyac.http', text);
      const explorer = api.testExplorer;
      await explorer.discover();
      const ended = nextEvent(explorer.onDidEndRun);
      await vscode.commands.executeCommand('testing.runAll');
      await ended;
      const [login, me] = childrenOf(explorer.controller.items.get(document.uri.toString()));
      assert.deepEqual(
        [login, me].map((request) => [request?.label, childrenOf(request).map((item) => [item.label, explorer.results.get(item.id)])]),
        [
          ['Log in', [['status == 200', { state: 'passed' }], ['user == bob', { state: 'failed', message: 'got alice, expected == bob' }]]],
          ['Who am I', [['knows me', { state: 'passed' }]]],
        ],
      );
    });
  });

  test('a send from the editor updates the request\'s results', async () => {
    const { api } = await activateExtension();
    await withSessionServer(async (server) => {
      await clearAllCookies(api);
      const document = await openRequestFile('tests/editor.http', testedFileText(server.url));
      const ended = nextEvent(api.testExplorer.onDidEndRun);
      await sendRequest(document, whoAmIRequest);
      await ended;
      const me = childrenOf(api.testExplorer.controller.items.get(document.uri.toString()))[1];
      // Not logged in: the handler's test fails with its message, and so does the request.
      assert.deepEqual(
        childrenOf(me).map((item) => [item.label, api.testExplorer.results.get(item.id)]),
        [['knows me', { state: 'failed', message: 'status 401' }]],
      );
      assert.deepEqual(api.testExplorer.results.get(me.id), { state: 'failed', message: '1 of 1 tests failed' });
    });
  });

  test('a request file deleted from the workspace leaves the Test Explorer', async () => {
    const { api } = await activateExtension();
    const uri = await writeWorkspaceFile('tests/deleted.http', testedFileText('http://127.0.0.1:9'));
    await api.testExplorer.discover();
    assert.ok(api.testExplorer.controller.items.get(uri.toString()), 'listed before the delete');
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(uri);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(api.testExplorer.controller.items.get(uri.toString()), undefined);
  });

  test('a file whose tests were removed leaves the Test Explorer on refresh', async () => {
    const { api } = await activateExtension();
    const uri = await writeWorkspaceFile('tests/untested.http', testedFileText('http://127.0.0.1:9'));
    await api.testExplorer.discover();
    assert.ok(api.testExplorer.controller.items.get(uri.toString()), 'listed while it has tests');
    await writeWorkspaceFile('tests/untested.http', 'GET http://127.0.0.1:9/me\n');
    await api.testExplorer.discover();
    assert.equal(api.testExplorer.controller.items.get(uri.toString()), undefined);
  });
});
