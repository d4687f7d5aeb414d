// The host side of the panel that needs no VS Code: HTML shell + CSP, the history store on a
// Memento, and what each message from the webview makes the host do.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNonce, panelCsp, panelHtml } from '../../../src/vscode/panel/panelHtml';
import { PanelHistoryStore, historyStateKey } from '../../../src/vscode/panel/historyStore';
import { dispatchPanelMessage, type PanelEffects, type ResponsePanelHandlers } from '../../../src/vscode/panel/messageDispatch';
import type { Exchange, Finding } from '../../../src/core/model/exchange';
import { redactExchange } from '../../../src/core/secrets';
import { sampleExchange, sampleLifecycles } from '../../support/panelFixtures';

class MemoryMemento {
  readonly values = new Map<string, unknown>();
  writes = 0;
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.writes++;
    // Workspace state stores JSON: keep only what survives it.
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

describe('panel HTML', () => {
  test('CSP: nonce scripts only, styles/fonts from the extension, images also as data:', () => {
    assert.equal(
      panelCsp('https://x.vscode-cdn.net', 'N0nce'),
      "default-src 'none'; script-src 'nonce-N0nce'; style-src https://x.vscode-cdn.net; img-src https://x.vscode-cdn.net data:; font-src https://x.vscode-cdn.net",
    );
    const html = panelHtml({ cspSource: 'https://x.vscode-cdn.net', nonce: 'N0nce', scriptUri: 'https://x/panel.js', styleUri: 'https://x/panel.css' });
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-N0nce';/);
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="N0nce" src="https:\/\/x\/panel.js"><\/script>/);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|style=/);
  });
  test('nonces are 128-bit and fresh', () => {
    const a = createNonce();
    assert.equal(Buffer.from(a, 'base64').length, 16);
    assert.notEqual(a, createNonce());
  });
});

describe('history store', () => {
  const withBody = (id: string, size: number, startedAt = 0): Exchange => {
    const base = sampleExchange({ id, startedAt });
    return { ...base, response: { ...base.response!, body: new Uint8Array(size).fill(65), bodySize: size } };
  };

  test('keeps the newest exchanges first, survives a reload, and drops the oldest beyond the budget', async () => {
    const memento = new MemoryMemento();
    const store = new PanelHistoryStore(memento, { maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) await store.add({ exchange: withBody(id, 10), lifecycles: sampleLifecycles(), jarCookies: [] });
    assert.deepEqual(store.list().map((e) => e.exchange.id), ['d', 'c', 'b']);
    const reloaded = new PanelHistoryStore(memento, { maxEntries: 3 });
    assert.deepEqual(reloaded.list().map((e) => e.exchange.id), ['d', 'c', 'b']);
    const restored = reloaded.get('d')!.exchange.response!;
    assert.ok(restored.body instanceof Uint8Array);
    assert.deepEqual([...restored.body], Array(10).fill(65));
    assert.equal(reloaded.get('d')!.lifecycles[0].events[1].kind, 'rotated');
  });

  test('re-adding an id replaces it instead of duplicating it', async () => {
    const store = new PanelHistoryStore(new MemoryMemento());
    await store.add({ exchange: withBody('a', 1), lifecycles: [], jarCookies: [] });
    await store.add({ exchange: withBody('b', 1), lifecycles: [], jarCookies: [] });
    await store.add({ exchange: withBody('a', 2), lifecycles: [], jarCookies: [] });
    assert.deepEqual(store.list().map((e) => [e.exchange.id, e.exchange.response!.body.length]), [['a', 2], ['b', 1]]);
  });

  test('stored bodies are capped per exchange and in total; this window keeps the full newest ones', async () => {
    const memento = new MemoryMemento();
    const store = new PanelHistoryStore(memento, { maxBodyBytes: 100, maxTotalBodyBytes: 250, liveFullBodies: 1 });
    await store.add({ exchange: withBody('old', 100), lifecycles: [], jarCookies: [] });
    await store.add({ exchange: withBody('mid', 100), lifecycles: [], jarCookies: [] });
    await store.add({ exchange: withBody('new', 1000), lifecycles: [], jarCookies: [] });
    // In this window: the newest keeps its whole body for Save / Open.
    assert.equal(store.get('new')!.exchange.response!.body.length, 1000);
    const reloaded = new PanelHistoryStore(memento);
    const sizes = reloaded.list().map((e) => [e.exchange.id, e.exchange.response!.body.length, e.exchange.response!.truncated, e.exchange.response!.bodySize]);
    assert.deepEqual(sizes, [['new', 100, true, 1000], ['mid', 100, false, 100], ['old', 0, true, 100]]);
  });

  test('what is stored has the cookie values masked; a @no-log exchange is shown in this window but never stored', async () => {
    const memento = new MemoryMemento();
    const sessionId = '9F86D081884C7D659A2FEAA0C55AD015';
    const jarCookies = [{ name: 'JSESSIONID', value: sessionId, domain: 'localhost', path: '/', secure: false, httpOnly: true, hostOnly: true }];
    const noLog = new Set(['secret-login']);
    const store = new PanelHistoryStore(memento, {}, (exchange, maxBodyBytes) => (noLog.has(exchange.id) ? undefined : redactExchange(exchange, { maxBodyBytes })));
    await store.add({ exchange: sampleExchange({ id: 'plain' }), lifecycles: [], jarCookies });
    await store.add({ exchange: sampleExchange({ id: 'secret-login' }), lifecycles: [], jarCookies });
    assert.equal(store.get('secret-login')?.exchange.id, 'secret-login', 'this window still shows it');
    assert.deepEqual(store.list().map((e) => e.exchange.id), ['plain']);
    const stored = JSON.stringify(memento.values.get(historyStateKey));
    assert.ok(!stored.includes('secret-login') && !stored.includes(sessionId), stored);
    assert.match(stored, /JSESSIONID=9F86…D015/);
  });

  test('a history stored before credentials were masked is masked when loaded, and rewritten', () => {
    const memento = new MemoryMemento();
    const old = new MemoryMemento();
    void new PanelHistoryStore(old, {}, (exchange) => exchange).add({ exchange: sampleExchange({ id: 'old' }), lifecycles: [], jarCookies: [] });
    memento.values.set(historyStateKey, old.values.get(historyStateKey));
    assert.match(JSON.stringify(memento.values.get(historyStateKey)), /9F86D081884C7D659A2FEAA0C55AD015/, 'the old state holds the raw value');
    const loaded = new PanelHistoryStore(memento);
    assert.equal(loaded.list()[0]?.exchange.redacted, true);
    assert.doesNotMatch(JSON.stringify(memento.values.get(historyStateKey)), /9F86D081884C7D659A2FEAA0C55AD015/);
  });

  test('damaged or foreign state is ignored; a damaged entry is dropped, the others are kept', async () => {
    const memento = new MemoryMemento();
    memento.values.set(historyStateKey, { version: 1, entries: [{ exchange: { id: 5 } }] });
    assert.deepEqual(new PanelHistoryStore(memento).list(), []);
    memento.values.set(historyStateKey, 'nonsense');
    assert.deepEqual(new PanelHistoryStore(memento).list(), []);

    const store = new PanelHistoryStore(memento);
    for (const id of ['kept', 'bad-status', 'bad-lifecycle', 'kept-too']) await store.add({ exchange: sampleExchange({ id }), lifecycles: sampleLifecycles(), jarCookies: [] });
    const stored = memento.values.get(historyStateKey) as { entries: { exchange: { id: string; response: { status: unknown } }; lifecycles: unknown }[] };
    const entry = (id: string) => stored.entries.find((e) => e.exchange.id === id)!;
    entry('bad-status').exchange.response.status = 'OK';
    entry('bad-lifecycle').lifecycles = [{ cookieName: 'JSESSIONID' }];
    assert.deepEqual(new PanelHistoryStore(memento).list().map((e) => e.exchange.id), ['kept-too', 'kept']);
  });

  test("stored in the session state's exchange form; a history of 0.1 (body as bodyBase64) still loads, and is rewritten", async () => {
    const memento = new MemoryMemento();
    const store = new PanelHistoryStore(memento);
    await store.add({ exchange: sampleExchange({ id: 'now' }), lifecycles: sampleLifecycles(), jarCookies: [] });
    const stored = memento.values.get(historyStateKey) as { version: number; entries: { exchange: { response: { body?: string; bodyBase64?: string } } }[] };
    assert.equal(stored.version, 2);
    const body = stored.entries[0]!.exchange.response.body;
    assert.equal(Buffer.from(body!, 'base64').toString(), Buffer.from(sampleExchange().response!.body).toString());

    const { body: _moved, ...rest } = stored.entries[0]!.exchange.response;
    memento.values.set(historyStateKey, { version: 1, entries: [{ ...stored.entries[0], exchange: { ...stored.entries[0]!.exchange, response: { ...rest, bodyBase64: body } } }] });
    const loaded = new PanelHistoryStore(memento).list();
    assert.deepEqual(loaded.map((entry) => Buffer.from(entry.exchange.response!.body).toString()), [Buffer.from(sampleExchange().response!.body).toString()]);
    assert.equal((memento.values.get(historyStateKey) as { version: number }).version, 2, 'rewritten at once');
  });
});

describe('message dispatch', () => {
  const finding: Finding = { id: 'csrf-token-missing', message: 'No CSRF token', evidence: [], fix: { title: 'Add header', action: { kind: 'add-header', name: 'X-XSRF-TOKEN', value: 't' } } };
  const exchange = sampleExchange({ findings: [finding], request: { ...sampleExchange().request, method: 'POST', bodySize: 5, bodyText: 'a=b&c' } });

  function setup() {
    const calls: string[] = [];
    const handlers: ResponsePanelHandlers = {
      resend: (id) => void calls.push(`resend ${id}`),
      jumpTo: (source) => void calls.push(`jump ${source.file}:${source.line}`),
      copyAsPython: (source) => void calls.push(`python ${source.file}:${source.line}`),
      runFix: (f, id) => void calls.push(`fix ${f.id} ${id}`),
    };
    const effects: PanelEffects = {
      lookup: (id) => (id === exchange.id ? { exchange, lifecycles: [], jarCookies: [] } : undefined),
      copyToClipboard: (text, what) => void calls.push(`copy ${what}: ${text}`),
      warn: (message) => void calls.push(`warn ${message}`),
      saveBody: (e) => void calls.push(`save ${e.id}`),
      openBody: (e) => void calls.push(`open ${e.id}`),
      showHistoryEntry: (entry) => void calls.push(`history ${entry.exchange.id}`),
      ready: () => void calls.push('ready'),
      rendered: (summary) => void calls.push(`rendered ${summary.statusText}`),
      log: (message) => void calls.push(`log ${message}`),
    };
    return { calls, handlers, effects };
  }

  test('valid messages reach the right handler', async () => {
    const { calls, handlers, effects } = setup();
    const run = (m: unknown) => dispatchPanelMessage(m, handlers, effects);
    assert.equal(await run({ type: 'ready' }), 'handled');
    assert.equal(await run({ type: 'resend', exchangeId: 'ex-1' }), 'handled');
    assert.equal(await run({ type: 'jumpToRequest', exchangeId: 'ex-1' }), 'handled');
    assert.equal(await run({ type: 'copyPython', exchangeId: 'ex-1' }), 'handled');
    assert.equal(await run({ type: 'copyCookieValue', exchangeId: 'ex-1', list: 'sent', index: 1 }), 'handled');
    assert.equal(await run({ type: 'copyCookieValue', exchangeId: 'ex-1', list: 'sent', index: 9 }), 'no-op');
    assert.equal(await run({ type: 'saveBody', exchangeId: 'ex-1' }), 'handled');
    assert.equal(await run({ type: 'openBody', exchangeId: 'ex-1' }), 'handled');
    assert.equal(await run({ type: 'runFix', exchangeId: 'ex-1', findingId: 'csrf-token-missing', action: { kind: 'add-header', name: 'X-XSRF-TOKEN', value: 't' } }), 'handled');
    assert.equal(await run({ type: 'selectHistory', exchangeId: 'ex-1' }), 'handled');
    assert.deepEqual(calls, ['ready', 'resend ex-1', 'jump /ws/api.http:12', 'python /ws/api.http:12', 'copy value of cookie theme: dark', 'save ex-1', 'open ex-1', 'fix csrf-token-missing ex-1', 'history ex-1']);
  });

  test('copy as cURL builds the command from the host copy of the exchange, secrets kept', async () => {
    const { calls, handlers, effects } = setup();
    await dispatchPanelMessage({ type: 'copyCurl', exchangeId: 'ex-1' }, handlers, effects);
    assert.equal(calls.length, 1);
    assert.match(calls[0], /^copy cURL command: curl -X POST 'http:\/\/localhost:8080\/api\/profile\?full=1'/);
    assert.match(calls[0], /-H 'Cookie: JSESSIONID=9F86D081884C7D659A2FEAA0C55AD015; theme=dark'/);
    assert.match(calls[0], /--data-raw 'a=b&c' \\\n {2}-L$/);
  });

  test('malformed messages, unknown exchanges and fixes the exchange did not offer are refused', async () => {
    const { calls, handlers, effects } = setup();
    assert.equal(await dispatchPanelMessage({ type: 'resend' }, handlers, effects), 'rejected');
    assert.equal(await dispatchPanelMessage({ type: 'resend', exchangeId: 'ex-1', extra: true }, handlers, effects), 'rejected');
    assert.equal(await dispatchPanelMessage({ type: 'resend', exchangeId: 'nope' }, handlers, effects), 'unknown-exchange');
    assert.equal(await dispatchPanelMessage({ type: 'runFix', exchangeId: 'ex-1', findingId: 'csrf-token-missing', action: { kind: 'add-header', name: 'X-XSRF-TOKEN', value: 'evil' } }, handlers, effects), 'rejected');
    assert.equal(await dispatchPanelMessage({ type: 'runFix', exchangeId: 'ex-1', findingId: 'session-expired', action: { kind: 'add-header', name: 'X-XSRF-TOKEN', value: 't' } }, handlers, effects), 'rejected');
    assert.ok(calls.every((c) => c.startsWith('log ')), calls.join('\n'));
    assert.equal(calls.length, 5);
  });
});
