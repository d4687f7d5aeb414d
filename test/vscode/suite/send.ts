// Issue 4: sending from .http files inside VS Code, through one persisted session per workspace,
// against real loopback servers that report what reached them.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../../src/core/run/runRequest';
import { startSessionServer, withSessionServer } from '../../support/sessionServer';
import { defineSuite } from './hostTest';
import {
  clearAllCookies,
  codesAndLines,
  exchangeOf,
  extensionDiagnostics,
  lineOf,
  loginRequest,
  nextEvent,
  openLoginFile,
  openRequestFile,
  sendForStatus,
  sendRequest,
  whoAmIRequest,
  writeWorkspaceFile,
} from './requestFiles';
import { activateExtension } from './workspace';

/**
 * Sends a request that the server holds open, and resolves once the server has it. The send is
 * returned wrapped: an async function returning the thenable itself would wait for its outcome.
 */
async function startHangingSend(document: vscode.TextDocument, nextRequest: () => Promise<unknown>): Promise<{ outcome: Thenable<RunOutcome | undefined> }> {
  const arrived = nextRequest();
  const outcome = sendRequest(document, '/hang');
  await arrived;
  return { outcome };
}

function assertAborted(outcome: RunOutcome | undefined, what: string): void {
  const exchange = exchangeOf(outcome);
  assert.equal(exchange.response, undefined, `${what}: got a response`);
  assert.equal(exchange.error?.code, 'HS_ABORTED', `${what}: ${exchange.error?.code} ${exchange.error?.message}`);
}

export default defineSuite('send', (test) => {
  test('Send Request: 200, the JSESSIONID set by /login goes back, one pooled connection for several requests', async () => {
    const { api } = await activateExtension();
    await withSessionServer(async (server) => {
      const document = await openLoginFile(api, 'send/login.http', server.url);

      const fired = nextEvent(api.sender.onDidSend);
      const login = exchangeOf(await sendRequest(document, loginRequest));
      assert.equal(login, exchangeOf(await fired), 'onDidSend reports the outcome of the send');
      assert.equal(login.response?.status, 200);
      const [issued] = server.issuedSessions;
      assert.deepEqual(login.cookies.stored.map((c) => [c.name, c.value]), [['JSESSIONID', issued]]);

      for (let i = 0; i < 3; i++) assert.equal(await sendForStatus(document, whoAmIRequest), 200);
      assert.deepEqual(
        server.requests.map((r) => [r.method, r.path, r.sessionId]),
        [['POST', '/login', undefined], ...Array.from({ length: 3 }, () => ['GET', '/me', issued])],
      );
      assert.equal(server.connections, 1, 'sequential requests share one keep-alive connection');
    });
  });

  test('the session restored from workspace state holds the JSESSIONID and its lifecycle', async () => {
    const { api } = await activateExtension();
    await withSessionServer(async (server) => {
      const document = await openLoginFile(api, 'send/restore.http', server.url);
      assert.equal(await sendForStatus(document, loginRequest), 200);
      assert.equal(await sendForStatus(document, whoAmIRequest), 200);
      await api.flush();

      const { registry, problem } = await api.restoreStored();
      try {
        assert.equal(problem, undefined);
        const restored = registry.get();
        const live = api.registry.get();
        const cookie = restored.listCookies().find((c) => c.name === 'JSESSIONID');
        assert.equal(cookie?.value, server.issuedSessions[0]);
        assert.equal(cookie?.domain, '127.0.0.1');
        assert.equal(cookie?.httpOnly, true);
        const lifecycle = restored.lifecycles().find((l) => l.cookieName === 'JSESSIONID' && l.domain === '127.0.0.1');
        assert.ok(lifecycle?.issuedAt !== undefined && lifecycle.lastSuccessAt !== undefined, `lifecycle: ${JSON.stringify(lifecycle)}`);
        const liveLifecycle = live.lifecycles().find((l) => l.cookieName === 'JSESSIONID' && l.domain === '127.0.0.1');
        // Through JSON, as stored: absent and undefined fields are the same thing there.
        assert.deepEqual(lifecycle, JSON.parse(JSON.stringify(liveLifecycle)));
        assert.deepEqual(
          restored.history.slice(-2).map((e) => [e.request.method, e.request.url, e.response?.status]),
          [
            ['POST', `${server.url}/login`, 200],
            ['GET', `${server.url}/me`, 200],
          ],
        );
      } finally {
        registry.dispose();
      }
    });
  });

  test('selectEnvironment a, then b: {{host}} sends to the server of the selected environment', async () => {
    const { api } = await activateExtension();
    const [a, b] = await Promise.all([startSessionServer(), startSessionServer()]);
    try {
      await clearAllCookies(api);
      // A folder no earlier test touched, so no environment set was loaded for it before the file existed.
      await writeWorkspaceFile('environments/http-client.env.json', JSON.stringify({ a: { host: a.url }, b: { host: b.url } }, null, 2));
      const document = await openRequestFile('environments/switch.http', '### Who am I\nGET {{host}}/me\n');

      await vscode.commands.executeCommand('httpSession.selectEnvironment', 'a');
      assert.equal(api.environments.selected, 'a');
      assert.equal(await sendForStatus(document, '{{host}}'), 401);
      assert.deepEqual([a.requests.length, b.requests.length], [1, 0]);

      await vscode.commands.executeCommand('httpSession.selectEnvironment', 'b');
      assert.equal(api.environments.selected, 'b');
      assert.equal(await sendForStatus(document, '{{host}}'), 401);
      assert.deepEqual([a.requests.length, b.requests.length], [1, 1]);
    } finally {
      await vscode.commands.executeCommand('httpSession.selectEnvironment', '');
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('Select Environment from a .rest or YAML request file finds the env file next to it', async () => {
    const { api } = await activateExtension();
    await writeWorkspaceFile('envpick/http-client.env.json', JSON.stringify({ dev: { host: 'http://dev' }, prod: { host: 'http://prod' } }));
    for (const name of ['api.rest', 'api.http.yaml', 'api.http']) {
      const file = await writeWorkspaceFile(`envpick/${name}`, name.endsWith('.yaml') ? 'requests:\n  - GET: "{{host}}/me"\n' : 'GET {{host}}/me\n');
      assert.deepEqual(await api.environments.namesFor(file.fsPath), ['dev', 'prod'], name);
    }
  });

  test('a broken file: malformed header and unknown {{variable}} are listed on their lines; that request is refused, nothing sent', async () => {
    const { api } = await activateExtension();
    await withSessionServer(async (server) => {
      const text = `### Broken header
GET ${server.url}/me
Accept: application/json
Accept this is no header

### Unknown variable
GET ${server.url}/me?token={{noSuchVariable}}
`;
      const document = await openRequestFile('diagnostics/broken.http', text);
      const expected: Array<[string, number]> = [
        ['malformed-header', lineOf(text, 'Accept this')],
        ['unresolved-variable', lineOf(text, 'noSuchVariable')],
      ];
      assert.deepEqual(codesAndLines(await api.editorAssist.refresh(document)), expected);
      assert.deepEqual(codesAndLines(extensionDiagnostics(document.uri)), expected, 'the Problems panel shows the same');

      const fired = nextEvent(api.sender.onDidSend);
      const outcome = await sendRequest(document, 'noSuchVariable');
      assert.equal(outcome?.kind, 'refused');
      assert.equal(outcome, await fired);
      assert.deepEqual(
        outcome.diagnostics.map((d) => [d.code, d.range.startLine]),
        [['unresolved-variable', lineOf(text, 'noSuchVariable')]],
      );
      assert.deepEqual(server.requests, [], 'the server received nothing');
      assert.equal(server.connections, 0);
    });
  });

  test('Cancel aborts a running send (HS_ABORTED); sending the same request again cancels the first', async () => {
    await activateExtension();
    await withSessionServer(async (server) => {
      const document = await openRequestFile('cancel/hang.http', `### Never answered\nGET ${server.url}/hang\n`);

      const cancelled = await startHangingSend(document, server.nextRequest);
      await vscode.commands.executeCommand('httpSession.cancel');
      assertAborted(await cancelled.outcome, 'the send cancelled by httpSession.cancel');

      const first = await startHangingSend(document, server.nextRequest);
      const second = await startHangingSend(document, server.nextRequest);
      assertAborted(await first.outcome, 'the first send, replaced by a second send of the same request');
      await vscode.commands.executeCommand('httpSession.cancel');
      assertAborted(await second.outcome, 'the second send, cancelled afterwards');
      assert.deepEqual(server.requests.map((r) => r.path), ['/hang', '/hang', '/hang']);
    });
  });

  test("cancelling a Send All stops that batch only: another file's running send goes on", async () => {
    const { api } = await activateExtension();
    await withSessionServer(async (server) => {
      const single = await openRequestFile('cancel/single.http', `### Never answered\nGET ${server.url}/hang\n`);
      const batchFile = await openRequestFile('cancel/batch.http', `### Never answered\nGET ${server.url}/hang?batch\n\n### Not reached\nGET ${server.url}/me\n`);
      const running = await startHangingSend(single, server.nextRequest);
      let singleDone = false;
      void Promise.resolve(running.outcome).then(() => (singleDone = true));

      const cancel = new vscode.CancellationTokenSource();
      const arrived = server.nextRequest();
      const batch = api.sender.sendAll(batchFile.uri, cancel.token);
      assert.equal((await arrived).path, '/hang?batch');
      cancel.cancel();
      const outcomes = await batch;
      assert.equal(outcomes.length, 1, 'the batch stopped after the cancelled request');
      assertAborted(outcomes[0], "the batch's request");
      assert.equal(singleDone, false, 'the other send is still running');
      assert.deepEqual(server.requests.map((r) => r.path), ['/hang', '/hang?batch']);

      await vscode.commands.executeCommand('httpSession.cancel');
      assertAborted(await running.outcome, 'the other send, cancelled by the Cancel command');
      cancel.dispose();
    });
  });
});
