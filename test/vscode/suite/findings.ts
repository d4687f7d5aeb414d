// Issue 7 in the editor: a 401 explained on the request line (Problems panel), and a finding's fix
// carried out on the request file — here, a hand-written stale Cookie header removed.
import assert from 'node:assert/strict';
import { withSessionServer } from '../../support/sessionServer';
import { defineSuite } from './hostTest';
import { clearAllCookies, exchangeOf, extensionDiagnostics, lineOf, openRequestFile, sendForStatus, sendRequest } from './requestFiles';
import { activateExtension } from './workspace';

export default defineSuite('findings', (test) => {
  test('a stale hand-written Cookie header: 401 explained on the request line; its fix deletes the header and the request then works', async () => {
    const { api } = await activateExtension();
    await clearAllCookies(api);
    await withSessionServer(async (server) => {
      const document = await openRequestFile(
        'findings/stale.http',
        `### Log in\n# @name login\nPOST ${server.url}/login\n\n### Who am I\nGET ${server.url}/me\nCookie: JSESSIONID=left-over-from-yesterday\nAccept: application/json\n`,
      );
      assert.equal(await sendForStatus(document, '/login'), 200);
      const exchange = exchangeOf(await sendRequest(document, '/me'));
      assert.equal(exchange.response?.status, 401);
      const finding = exchange.findings.find((f) => f.id === 'stale-cookie-header');
      assert.ok(finding, `findings: ${exchange.findings.map((f) => f.id).join(', ')}`);

      const problems = await api.editorAssist.refresh(document);
      const onLine = problems.filter((d) => d.code === 'stale-cookie-header');
      assert.deepEqual(onLine.map((d) => d.range.start.line), [lineOf(document, '/me')], 'the finding sits on the request line');
      assert.ok(extensionDiagnostics(document.uri).some((d) => d.code === 'stale-cookie-header'), 'and in the Problems panel');

      await api.findingActions.run(finding, exchange);
      assert.ok(!document.getText().includes('left-over-from-yesterday'), document.getText());
      assert.ok(document.getText().includes('Accept: application/json'), 'the other headers stay');
      const retried = server.nextRequest();
      assert.equal(await sendForStatus(document, '/me'), 200);
      assert.equal((await retried).sessionId, server.issuedSessions.at(-1), 'the jar\'s current JSESSIONID went out');
    });
  });

  test("Spring Security 6's deferred CSRF token: the first POST's 403 sets XSRF-TOKEN; the finding's re-send passes", async () => {
    const { api } = await activateExtension();
    await clearAllCookies(api);
    await withSessionServer(async (server) => {
      const document = await openRequestFile('findings/deferred-csrf.http', `### Save a note\n# @name note\nPOST ${server.url}/notes\nContent-Type: application/json\n\n{"text": "hi"}\n`);
      const first = exchangeOf(await sendRequest(document, '/notes'));
      assert.equal(first.response?.status, 403);
      const finding = first.findings.find((f) => f.id === 'csrf-token-missing');
      assert.deepEqual(finding?.fix?.action, { kind: 'resend' }, JSON.stringify(first.findings));

      const resent = server.nextRequest();
      await api.findingActions.run(finding!, first);
      const request = await resent;
      assert.equal(request.method, 'POST');
      assert.ok(request.csrfToken, 'csrf auto sent the token the 403 handed out');
      assert.equal(api.registry.get('default').lastExchange('note')?.response?.status, 201);
    });
  });

  test('on a YAML request file the fix edits YAML: removing `csrf: off` lets the next send pass', async () => {
    const { api } = await activateExtension();
    await clearAllCookies(api);
    await withSessionServer(async (server) => {
      const document = await openRequestFile(
        'findings/notes.http.yaml',
        `# Notes API\nrequests:\n  - name: note\n    POST: ${server.url}/notes\n    csrf: off # the token is added by hand elsewhere\n    json: { text: hi }\n`,
      );
      const refused = exchangeOf(await sendRequest(document, '/notes'));
      assert.equal(refused.response?.status, 403);
      const finding = refused.findings.find((f) => f.id === 'csrf-token-missing');
      assert.deepEqual(finding?.fix?.action, { kind: 'remove-directive', directive: 'csrf' }, JSON.stringify(refused.findings));

      await api.findingActions.run(finding!, refused);
      assert.ok(!document.getText().includes('csrf:'), document.getText());
      assert.ok(document.getText().startsWith('# Notes API\n'), 'comments stay');
      assert.equal(await sendForStatus(document, '/notes'), 201, 'csrf auto now sends the token the 403 handed out');
    });
  });
});
