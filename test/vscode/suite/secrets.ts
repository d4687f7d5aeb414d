// Issue 12, points 2 and 3, in the real VS Code: what the extension writes to workspace state (the panel's
// history and the stored sessions) keeps no credential — nothing at all of a `# @no-log` request — and
// "Clear Session Cookies" leaves the session id nowhere in it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { HttpSessionApi } from '../../../src/vscode/extension';
import { historyStateKey } from '../../../src/vscode/panel/historyStore';
import { WorkspaceStateStorage } from '../../../src/vscode/workspaceStateStorage';
import { withSessionServer } from '../../support/sessionServer';
import { defineSuite } from './hostTest';
import { clearAllCookies, exchangeOf, openRequestFile, sendRequest } from './requestFiles';
import { activateExtension } from './workspace';

interface StoredSessions {
  readonly sessions: Record<string, { readonly jar: unknown; readonly history: unknown }>;
}

/** Workspace state once the sessions are saved, as text, with the parts that keep history apart. */
async function storedState(api: HttpSessionApi): Promise<{ all: string; histories: string; jars: string; panelIds: string[] }> {
  await api.flush();
  const state = api.storedState();
  const sessions = Object.values((state[WorkspaceStateStorage.key] as StoredSessions).sessions);
  const panel = state[historyStateKey] as { entries: { exchange: { id: string } }[] };
  return {
    all: JSON.stringify(state),
    histories: JSON.stringify([panel, sessions.map((session) => session.history)]),
    jars: JSON.stringify(sessions.map((session) => session.jar)),
    panelIds: panel.entries.map((entry) => entry.exchange.id),
  };
}

export default defineSuite('secrets at rest', (test) => {
  test('a # @no-log login leaves no password, Authorization or session id in the stored history', async () => {
    const { api } = await activateExtension();
    await withSessionServer(async (server) => {
      await clearAllCookies(api);
      const password = `pw-${randomBytes(8).toString('hex')}`;
      const token = randomBytes(24).toString('hex');
      const document = await openRequestFile(
        'secrets/no-log.http',
        `### Log in
# @no-log
POST ${server.url}/login
Authorization: Bearer ${token}
Content-Type: application/x-www-form-urlencoded

username=alice&password=${password}

### Who am I
GET ${server.url}/me
Authorization: Bearer ${token}
Accept: application/json
`,
      );
      const login = exchangeOf(await sendRequest(document, '/login'));
      const me = exchangeOf(await sendRequest(document, '/me'));
      assert.equal(me.response?.status, 200, 'the @no-log login started a session');
      const [sessionId] = server.issuedSessions;
      assert.ok(sessionId);

      const stored = await storedState(api);
      assert.ok(stored.jars.includes(sessionId), 'the jar keeps the session: that is what a login is for');
      assert.ok(stored.panelIds.includes(me.id) && !stored.panelIds.includes(login.id), `the panel stored ${stored.panelIds.join(', ')}`);
      assert.ok(!stored.all.includes(password), 'the password is nowhere in workspace state');
      assert.ok(!stored.all.includes(token), 'the bearer token is nowhere in workspace state');
      assert.ok(!stored.histories.includes(sessionId), 'no stored history holds the session id');
    });
  });

  test('after "Clear Session Cookies" the JSESSIONID value is nowhere in workspace state', async () => {
    const { api } = await activateExtension();
    await withSessionServer(async (server) => {
      await clearAllCookies(api);
      const document = await openRequestFile('secrets/login.http', `POST ${server.url}/login\n\n###\nGET ${server.url}/me\n`);
      exchangeOf(await sendRequest(document, '/login'));
      exchangeOf(await sendRequest(document, '/me'));
      const [sessionId] = server.issuedSessions;
      assert.ok(sessionId);
      assert.ok((await storedState(api)).all.includes(sessionId), 'before: the jar holds the session id');

      await vscode.commands.executeCommand('httpSession.clearCookies');
      const after = await storedState(api);
      assert.ok(!after.all.includes(sessionId), 'after Clear Session Cookies the session id is gone');
      assert.ok(after.panelIds.length > 0, 'the history itself is kept');
    });
  });
});
