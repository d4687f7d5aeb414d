// Issue 6: the Cookies view lists what the session holds, and its commands change what the next
// request sends; import/export round-trip without loss; the tree is the same after reactivation.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CookieRecord } from '../../../src/core/model/exchange';
import type { SessionRegistry } from '../../../src/core/session';
import { CookiesTreeProvider, type CookieNode } from '../../../src/vscode/cookiesView';
import type { HttpSessionApi } from '../../../src/vscode/extension';
import { withSessionServer, type SessionServer } from '../../support/sessionServer';
import { defineSuite } from './hostTest';
import { exchangeOf, loginRequest, nextEvent, openLoginFile, sendForStatus, sendRequest, whoAmIRequest, workspaceUri, writeWorkspaceFile } from './requestFiles';
import { activateExtension } from './workspace';

interface RowSummary {
  depth: number;
  id: string | undefined;
  label: string;
  contextValue: string | undefined;
}

/** The whole tree as the view would draw it (every node is expanded by default). */
function rows(provider: vscode.TreeDataProvider<CookieNode>, parent?: CookieNode, depth = 0): RowSummary[] {
  const children = provider.getChildren(parent) as CookieNode[];
  return children.flatMap((node) => {
    const item = provider.getTreeItem(node) as vscode.TreeItem;
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    return [{ depth, id: item.id, label, contextValue: item.contextValue }, ...rows(provider, node, depth + 1)];
  });
}

/** The JSESSIONID node under the 127.0.0.1 domain node, as the user sees it with only the default session. */
function sessionCookieNode(api: HttpSessionApi): Extract<CookieNode, { kind: 'cookie' }> {
  const domain = api.cookiesView.getChildren().find((node) => node.kind === 'domain' && node.domain === '127.0.0.1');
  assert.ok(domain, `no 127.0.0.1 domain node: ${JSON.stringify(rows(api.cookiesView))}`);
  const cookie = api.cookiesView.getChildren(domain).find((node) => node.kind === 'cookie' && node.cookie.name === 'JSESSIONID');
  assert.ok(cookie?.kind === 'cookie', `no JSESSIONID under 127.0.0.1: ${JSON.stringify(rows(api.cookiesView))}`);
  return cookie;
}

/** Logs in through the extension and returns the document and the JSESSIONID the server issued. */
async function logIn(api: HttpSessionApi, server: SessionServer, file: string): Promise<{ document: vscode.TextDocument; issued: string }> {
  const document = await openLoginFile(api, file, server.url);
  assert.equal(await sendForStatus(document, loginRequest), 200);
  const issued = server.issuedSessions.at(-1);
  assert.ok(issued);
  return { document, issued };
}

/** What a cookie file format carries, for comparing cookies across an export and re-import. */
function comparable(cookies: readonly CookieRecord[], fields: ReadonlyArray<keyof CookieRecord>): string[] {
  return cookies.map((cookie) => JSON.stringify(fields.map((field) => cookie[field] ?? null))).sort();
}

const netscapeFields: ReadonlyArray<keyof CookieRecord> = ['name', 'value', 'domain', 'path', 'expires', 'secure', 'httpOnly', 'hostOnly'];
// JetBrains' http-client.cookies has no Secure or HttpOnly column.
const jetbrainsFields: ReadonlyArray<keyof CookieRecord> = ['name', 'value', 'domain', 'path', 'expires', 'hostOnly'];

const future = Math.floor(Date.UTC(2099, 0, 1) / 1000);
/** A cookies.txt as curl and browsers' exporters write them, including their odd corners. CRLF line ends. */
const trickyNetscapeFile = [
  '# Netscape HTTP Cookie File',
  '# https://curl.se/docs/http-cookies.html',
  '',
  `#HttpOnly_.example.com\tTRUE\t/\tFALSE\t${future}\tdomain_http_only\tv1`,
  `api.example.com\tFALSE\t/v1\tTRUE\t${future}\tsecure_path\ta=b=c`,
  `localhost\tFALSE\t/\tFALSE\t0\tempty_value`, // curl drops the tab before an empty value
  `127.0.0.1\tFALSE\t/\tFALSE\t0\tspaced\thello world`,
  '   ',
  `expired.example.com\tFALSE\t/\tFALSE\t1000000000\told\tgone`,
  'this line is not a cookie',
  '',
].join('\r\n');

async function importCookies(args: { file: vscode.Uri; session: string }): Promise<{ imported: number; problems: string[] }> {
  const result = await vscode.commands.executeCommand<{ imported: number; problems: string[] } | undefined>('httpSession.cookies.import', args);
  assert.ok(result, 'the import command returned nothing');
  return result;
}

async function clearSessions(registry: SessionRegistry, names: readonly string[]): Promise<void> {
  for (const name of names) await registry.get(name).clearCookies();
}

export default defineSuite('cookiesView', (test) => {
  test('the tree updates after a login: domain 127.0.0.1, JSESSIONID as a session cookie, value masked', async () => {
    const { api } = await activateExtension();
    await withSessionServer(async (server) => {
      const document = await openLoginFile(api, 'cookies/tree.http', server.url);
      assert.deepEqual(api.cookiesView.getChildren(), [], 'the tree starts empty');

      const changed = nextEvent(api.cookiesView.onDidChangeTreeData);
      const login = sendRequest(document, loginRequest);
      await changed;
      exchangeOf(await login);
      const issued = server.issuedSessions[0];
      assert.deepEqual(
        rows(api.cookiesView).map(({ depth, label, contextValue }) => [depth, label, contextValue]),
        [
          [0, '127.0.0.1', 'domain'],
          [1, 'JSESSIONID', 'cookie sessionCookie'],
        ],
      );
      const item = api.cookiesView.getTreeItem(sessionCookieNode(api));
      assert.ok(item.contextValue?.split(' ').includes('sessionCookie'));
      assert.equal(typeof item.description, 'string');
      assert.ok(!String(item.description).includes(issued), `the description shows the raw session id: ${String(item.description)}`);
      assert.ok(String(item.description).includes('age'), `a session cookie shows its age: ${String(item.description)}`);
    });
  });

  test('Delete Cookie on the JSESSIONID node: the next request goes without it', async () => {
    const { api } = await activateExtension();
    await withSessionServer(async (server) => {
      const { document, issued } = await logIn(api, server, 'cookies/delete.http');
      assert.equal(await sendForStatus(document, whoAmIRequest), 200);
      assert.equal(server.requests.at(-1)?.sessionId, issued);

      await vscode.commands.executeCommand('httpSession.cookies.delete', sessionCookieNode(api));
      assert.deepEqual(api.cookiesView.getChildren(), [], 'the tree no longer lists it');
      assert.equal(await sendForStatus(document, whoAmIRequest), 401);
      assert.equal(server.requests.at(-1)?.cookie, undefined, 'the server got no Cookie header');
    });
  });

  test('Edit Value on the JSESSIONID node: the server receives the new value; a value with ";" is refused', async () => {
    const { api } = await activateExtension();
    await withSessionServer(async (server) => {
      const { document, issued } = await logIn(api, server, 'cookies/edit.http');

      await vscode.commands.executeCommand('httpSession.cookies.editValue', sessionCookieNode(api), 'edited-by-test');
      assert.equal(sessionCookieNode(api).cookie.value, 'edited-by-test');
      assert.equal(await sendForStatus(document, whoAmIRequest), 401, 'the server does not know the edited id');
      assert.equal(server.requests.at(-1)?.sessionId, 'edited-by-test');

      await vscode.commands.executeCommand('httpSession.cookies.editValue', sessionCookieNode(api), issued);
      assert.equal(await sendForStatus(document, whoAmIRequest), 200, 'putting the issued id back restores the login');

      await vscode.commands.executeCommand('httpSession.cookies.editValue', sessionCookieNode(api), 'bad;value');
      assert.equal(sessionCookieNode(api).cookie.value, issued, 'an invalid value leaves the cookie as it was');
    });
  });

  test('the tree survives reactivation: the restored session draws the same tree', async () => {
    const { api } = await activateExtension();
    await withSessionServer(async (server) => {
      await logIn(api, server, 'cookies/restore.http');
      await api.flush();
      const { registry } = await api.restoreStored();
      const restoredView = new CookiesTreeProvider(registry, () => []);
      try {
        const restoredRows = rows(restoredView);
        assert.ok(restoredRows.some((row) => row.label === 'JSESSIONID' && row.contextValue === 'cookie sessionCookie'));
        assert.deepEqual(restoredRows, rows(api.cookiesView));
        assert.deepEqual(
          registry.get().listCookies().map((c) => [c.name, c.value, c.domain]),
          [['JSESSIONID', server.issuedSessions[0], '127.0.0.1']],
        );
      } finally {
        restoredView.dispose();
        registry.dispose();
      }
    });
  });

  test('import a Netscape file with tricky lines, export as Netscape and JetBrains: both re-import to the same cookies', async () => {
    const { api } = await activateExtension();
    const sessions = ['imported', 'fromNetscape', 'fromJetBrains'];
    try {
      const source = await writeWorkspaceFile('cookies/tricky-cookies.txt', trickyNetscapeFile);
      const { imported, problems } = await importCookies({ file: source, session: 'imported' });
      assert.equal(imported, 4, `problems: ${problems.join('; ')}`);
      assert.equal(problems.length, 2, problems.join('; '));
      assert.match(problems[0], /tricky-cookies\.txt:9: 'old' expired/);
      assert.match(problems[1], /tricky-cookies\.txt:10: expected 7 tab-separated fields/);

      const cookies = api.registry.get('imported').listCookies();
      const byName = new Map(cookies.map((c) => [c.name, c]));
      assert.deepEqual([...byName.keys()].sort(), ['domain_http_only', 'empty_value', 'secure_path', 'spaced']);
      assert.deepEqual(
        ['domain_http_only', 'secure_path', 'empty_value', 'spaced'].map((name) => {
          const c = byName.get(name);
          return [name, c?.value, c?.domain, c?.path, c?.secure, c?.httpOnly, c?.hostOnly, c?.expires ?? null];
        }),
        [
          ['domain_http_only', 'v1', 'example.com', '/', false, true, false, '2099-01-01T00:00:00.000Z'],
          ['secure_path', 'a=b=c', 'api.example.com', '/v1', true, false, true, '2099-01-01T00:00:00.000Z'],
          ['empty_value', '', 'localhost', '/', false, false, true, null],
          ['spaced', 'hello world', '127.0.0.1', '/', false, false, true, null],
        ],
      );
      // With named sessions holding cookies, the view groups by session first.
      assert.ok(rows(api.cookiesView).some((row) => row.depth === 0 && row.label === 'Session "imported"'));

      const netscape = workspaceUri('cookies/exported-cookies.txt');
      const jetbrains = workspaceUri('cookies/http-client.cookies');
      await vscode.commands.executeCommand('httpSession.cookies.export', { format: 'netscape', file: netscape, session: 'imported' });
      await vscode.commands.executeCommand('httpSession.cookies.export', { format: 'jetbrains', file: jetbrains, session: 'imported' });

      assert.deepEqual(await importCookies({ file: netscape, session: 'fromNetscape' }), { imported: 4, problems: [] });
      assert.deepEqual(comparable(api.registry.get('fromNetscape').listCookies(), netscapeFields), comparable(cookies, netscapeFields));
      assert.deepEqual(await importCookies({ file: jetbrains, session: 'fromJetBrains' }), { imported: 4, problems: [] });
      assert.deepEqual(comparable(api.registry.get('fromJetBrains').listCookies(), jetbrainsFields), comparable(cookies, jetbrainsFields));
    } finally {
      await clearSessions(api.registry, sessions);
    }
  });
});
