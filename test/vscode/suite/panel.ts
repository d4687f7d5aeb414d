// Issue 5: the response panel in the real VS Code. Requests go out through httpSession.sendRequest
// to a loopback server; the webview reports each render (api.panel.onDidRender) with what it drew.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Exchange } from '../../../src/core/model/exchange';
import type { HttpSessionApi } from '../../../src/vscode/extension';
import { requestKey, type PanelRenderEvent } from '../../../src/vscode/panel/responsePanel';
import { panelRequestFile, startPanelServer, type PanelServer } from '../../support/panelServer';
import { defineSuite } from './hostTest';
import { clearAllCookies, exchangeOf, nextEvent, openRequestFile, sendRequest } from './requestFiles';
import { activateExtension } from './workspace';

interface Rendered {
  exchange: Exchange;
  render: PanelRenderEvent;
}

/** Sends the request on the line containing `needle` and waits for a panel to render its exchange. */
async function sendAndRender(api: HttpSessionApi, document: vscode.TextDocument, needle: string): Promise<Rendered> {
  const seen: PanelRenderEvent[] = [];
  let wanted: string | undefined;
  let found: (event: PanelRenderEvent) => void = () => undefined;
  const rendered = new Promise<PanelRenderEvent>((resolve) => (found = resolve));
  // Subscribed before the send: the render may come before the command's promise settles.
  const subscription = api.panel.onDidRender((event) => {
    seen.push(event);
    if (event.exchangeId === wanted) found(event);
  });
  try {
    const exchange = exchangeOf(await sendRequest(document, needle));
    wanted = exchange.id;
    const render = seen.find((event) => event.exchangeId === exchange.id) ?? (await rendered);
    return { exchange, render };
  } finally {
    subscription.dispose();
  }
}

function tabCount(render: PanelRenderEvent, id: PanelRenderEvent['tabs'][number]['id']): number | undefined {
  return render.tabs.find((tab) => tab.id === id)?.count;
}

/** The editor tabs of response panels, as the workbench lists them. */
function panelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('httpSession.response'));
}

async function withPanelServer<T>(body: (server: PanelServer) => Promise<T>): Promise<T> {
  const server = await startPanelServer();
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

async function setPanelMode(mode: 'perRequest' | undefined): Promise<void> {
  const changed = nextEvent(vscode.workspace.onDidChangeConfiguration);
  await vscode.workspace.getConfiguration('httpSession').update('panel.mode', mode, vscode.ConfigurationTarget.Workspace);
  await changed;
  assert.equal(vscode.workspace.getConfiguration('httpSession').get('panel.mode'), mode ?? 'single');
}

export default defineSuite('panel', (test) => {
  test('renders "200 OK" for a bare status line, the header and cookie counts, and the JSESSIONID rotation at login', async () => {
    const { api } = await activateExtension();
    await withPanelServer(async (server) => {
      await clearAllCookies(api);
      const document = await openRequestFile('panel/session.http', panelRequestFile(server.url));
      const rejected: unknown[] = [];
      const watchRejects = api.panel.onDidRejectMessage((message) => rejected.push(message));
      try {
        // /home: the server sends "HTTP/1.1 200 " and an anonymous session.
        const home = await sendAndRender(api, document, '/home');
        assert.equal(home.exchange.response?.statusText, '', 'the server sent a reason phrase: this test would prove nothing');
        assert.equal(home.render.statusText, '200 OK');
        assert.equal(home.render.panelKey, 'single');
        assert.equal(home.render.bodyView, 'json');
        assert.deepEqual(home.render.counts, {
          requestHeaders: home.exchange.request.headers.length,
          responseHeaders: home.exchange.response?.headers.length,
          cookiesSent: 0,
          cookiesStored: 1,
          cookiesRejected: 0,
          redirects: 0,
          sessionCookies: 1,
          sessionEvents: 1,
          tokens: 0,
          tokenEvents: 0,
          findings: 0,
          tests: 0,
          testsFailed: 0,
          scriptLogLines: 0,
        });
        assert.equal(tabCount(home.render, 'cookies'), 1);
        assert.equal(tabCount(home.render, 'session'), 1);
        // The editor tab's title carries the standard phrase too.
        assert.ok(panelTabs().some((tab) => tab.label.endsWith('· 200 OK')), `panel tabs: ${panelTabs().map((t) => t.label).join(', ')}`);

        // /login: sends the anonymous id, gets a new one: the Session tab now shows issued → rotated.
        const login = await sendAndRender(api, document, '/login');
        const [anonymous, loggedIn] = server.issuedSessions;
        assert.deepEqual(login.exchange.cookies.sent.map((c) => [c.name, c.value, c.source]), [['JSESSIONID', anonymous, 'jar']]);
        assert.deepEqual(login.exchange.cookies.stored.map((c) => [c.name, c.value]), [['JSESSIONID', loggedIn]]);
        assert.equal(login.render.counts.sessionCookies, 1);
        assert.equal(login.render.counts.sessionEvents, 2, 'issued at /home, rotated at /login');
        const lifecycle = api.registry.get().lifecycles().find((l) => l.cookieName === 'JSESSIONID');
        assert.deepEqual(
          lifecycle?.events.map((e) => [e.kind, e.exchangeId]),
          [
            ['issued', home.exchange.id],
            ['rotated', login.exchange.id],
          ],
        );
        assert.equal(tabCount(login.render, 'cookies'), 2, 'one sent, one stored');
        assert.equal(lifecycle?.issuedBy, '/home', 'an unnamed request is named by its path, not by an exchange id');

        // /api/profile: JSON with a custom header; the rotated id goes back from the jar.
        const profile = await sendAndRender(api, document, '/api/profile');
        const response = profile.exchange.response;
        assert.ok(response);
        assert.ok(
          response.headers.some(([name, value]) => name.toLowerCase() === server.requestIdHeader[0].toLowerCase() && value === server.requestIdHeader[1]),
          `headers: ${JSON.stringify(response.headers)}`,
        );
        assert.equal(profile.render.statusText, '200 OK');
        assert.equal(profile.render.bodyView, 'json');
        assert.equal(profile.render.counts.responseHeaders, response.headers.length);
        assert.equal(tabCount(profile.render, 'headers'), response.headers.length);
        assert.equal(profile.render.counts.requestHeaders, profile.exchange.request.headers.length);
        assert.deepEqual(profile.exchange.cookies.sent.map((c) => [c.name, c.value, c.source]), [['JSESSIONID', loggedIn, 'jar']]);
        assert.equal(profile.render.counts.cookiesSent, 1);
        assert.equal(tabCount(profile.render, 'cookies'), 1);
        assert.equal(profile.render.counts.sessionEvents, 2);

        assert.equal(api.panel.panelCount, 1, 'single mode: one panel follows every send');
        assert.deepEqual(
          api.panel.historyItems().slice(0, 3).map((item) => [item.exchangeId, item.status]),
          [
            [profile.exchange.id, 200],
            [login.exchange.id, 200],
            [home.exchange.id, 200],
          ],
        );
        assert.match(api.panel.historyItems()[0].label, /GET .*→ 200$/);
      } finally {
        watchRejects.dispose();
      }
      assert.deepEqual(rejected, [], 'every message the real webview posted passed the host\'s validation');
    });
  });

  test('perRequest mode opens one panel per request and reuses it; closing them and going back to single mode leaves one', async () => {
    const { api } = await activateExtension();
    await withPanelServer(async (server) => {
      await clearAllCookies(api);
      const document = await openRequestFile('panel/per-request.http', panelRequestFile(server.url));
      const before = api.panel.panelCount;
      assert.ok(before <= 1, `panels open before: ${before}`);
      await setPanelMode('perRequest');
      try {
        const home = await sendAndRender(api, document, '/home');
        const profile = await sendAndRender(api, document, '/api/profile');
        assert.equal(home.render.panelKey, requestKey(home.exchange.request));
        assert.equal(profile.render.panelKey, requestKey(profile.exchange.request));
        assert.notEqual(home.render.panelKey, profile.render.panelKey);
        assert.equal(api.panel.panelCount, before + 2);

        const again = await sendAndRender(api, document, '/home');
        assert.equal(again.render.panelKey, home.render.panelKey, 'the same request reuses its panel');
        assert.equal(api.panel.panelCount, before + 2);
      } finally {
        await setPanelMode(undefined);
      }
      // Closing the panels' editor tabs disposes them in the host; the next send opens the single panel again.
      assert.equal(panelTabs().length, api.panel.panelCount);
      await vscode.window.tabGroups.close(panelTabs());
      assert.equal(api.panel.panelCount, 0);
      const single = await sendAndRender(api, document, '/api/profile');
      assert.equal(api.panel.panelCount, 1);
      assert.equal(single.render.panelKey, 'single');
    });
  });
});
