import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isHostToWebviewMessage, isWebviewToHostMessage, sameFixAction, type RenderedSummary } from '../../../src/shared/protocol';
import { showMessage, sampleExchange } from '../../support/panelFixtures';

const summary: RenderedSummary = {
  exchangeId: 'ex-1',
  statusText: '200 OK',
  tabs: [{ id: 'body', label: 'Body', count: 0 }],
  selectedTab: 'body',
  bodyView: 'json',
  bodyViewPartial: false,
  counts: { requestHeaders: 1, responseHeaders: 2, cookiesSent: 0, cookiesStored: 0, cookiesRejected: 0, redirects: 0, sessionCookies: 0, sessionEvents: 0, tokens: 0, tokenEvents: 0, findings: 0, tests: 0, testsFailed: 0, scriptLogLines: 0 },
  renderMs: 3.5,
};

describe('webview → host validation', () => {
  const valid: unknown[] = [
    { type: 'ready' },
    { type: 'rendered', summary },
    { type: 'resend', exchangeId: 'ex-1' },
    { type: 'copyCurl', exchangeId: 'ex-1' },
    { type: 'saveBody', exchangeId: 'ex-1' },
    { type: 'openBody', exchangeId: 'ex-1' },
    { type: 'jumpToRequest', exchangeId: 'ex-1' },
    { type: 'copyCookieValue', exchangeId: 'ex-1', list: 'stored', index: 2 },
    { type: 'runFix', exchangeId: 'ex-1', findingId: 'csrf-token-missing', action: { kind: 'add-header', name: 'X-XSRF-TOKEN', value: 'v' } },
    { type: 'runFix', exchangeId: 'ex-1', findingId: 'session-expired', action: { kind: 'rerun-request', requestName: 'login' } },
    { type: 'runFix', exchangeId: 'ex-1', findingId: 'cookie-path-mismatch', action: { kind: 'clear-cookie', name: 'S', domain: 'h', path: '/' } },
    { type: 'selectHistory', exchangeId: 'ex-2' },
    { type: 'error', message: 'boom' },
  ];
  for (const message of valid) test(`accepts ${JSON.stringify(message).slice(0, 80)}`, () => assert.equal(isWebviewToHostMessage(message), true));

  const malformed: [string, unknown][] = [
    ['null', null],
    ['a string', 'ready'],
    ['an array', [{ type: 'ready' }]],
    ['no type', { exchangeId: 'ex-1' }],
    ['unknown type', { type: 'eval', code: '1' }],
    ['prototype key as type', { type: 'toString' }],
    ['missing id', { type: 'resend' }],
    ['empty id', { type: 'resend', exchangeId: '' }],
    ['numeric id', { type: 'resend', exchangeId: 1 }],
    ['huge id', { type: 'resend', exchangeId: 'x'.repeat(10_000) }],
    ['extra field', { type: 'resend', exchangeId: 'ex-1', command: 'rm -rf' }],
    ['bad list', { type: 'copyCookieValue', exchangeId: 'ex-1', list: 'jar', index: 0 }],
    ['negative index', { type: 'copyCookieValue', exchangeId: 'ex-1', list: 'sent', index: -1 }],
    ['fractional index', { type: 'copyCookieValue', exchangeId: 'ex-1', list: 'sent', index: 0.5 }],
    ['unknown fix kind', { type: 'runFix', exchangeId: 'ex-1', findingId: 'csrf-token-missing', action: { kind: 'run-shell', command: 'x' } }],
    ['fix with extra field', { type: 'runFix', exchangeId: 'ex-1', findingId: 'csrf-token-missing', action: { kind: 'rerun-request', requestName: 'a', extra: 1 } }],
    ['fix missing field', { type: 'runFix', exchangeId: 'ex-1', findingId: 'csrf-token-missing', action: { kind: 'add-header', name: 'X' } }],
    ['summary with bad tab', { type: 'rendered', summary: { ...summary, selectedTab: 'evil' } }],
    ['summary missing counts', { type: 'rendered', summary: { ...summary, counts: undefined } }],
    ['summary missing a count', { type: 'rendered', summary: { ...summary, counts: { ...summary.counts, findings: undefined } } }],
    ['summary with an unknown count', { type: 'rendered', summary: { ...summary, counts: { ...summary.counts, scripts: 1 } } }],
    ['summary with bad body view', { type: 'rendered', summary: { ...summary, bodyView: 'svg' } }],
    ['fix of an unknown finding', { type: 'runFix', exchangeId: 'ex-1', findingId: 'run-shell', action: { kind: 'resend' } }],
    ['class instance', { type: 'ready', ...{} , __proto__: { polluted: true } }],
    ['ready with payload', { type: 'ready', exchangeId: 'x' }],
  ];
  for (const [name, message] of malformed) test(`rejects ${name}`, () => assert.equal(isWebviewToHostMessage(message), false));
});

describe('host → webview check', () => {
  test('accepts show, pending and history; rejects stray window messages', () => {
    assert.equal(isHostToWebviewMessage(showMessage(sampleExchange())), true);
    assert.equal(isHostToWebviewMessage({ type: 'pending', label: 'POST login' }), true);
    assert.equal(isHostToWebviewMessage({ type: 'history', items: [] }), true);
    assert.equal(isHostToWebviewMessage({ type: 'show', exchange: {} }), false);
    assert.equal(isHostToWebviewMessage({ source: 'react-devtools', payload: 1 }), false);
    assert.equal(isHostToWebviewMessage('show'), false);
  });
  test('fix actions compare by value', () => {
    assert.equal(sameFixAction({ kind: 'add-header', name: 'a', value: 'b' }, { kind: 'add-header', name: 'a', value: 'b' }), true);
    assert.equal(sameFixAction({ kind: 'add-header', name: 'a', value: 'b' }, { kind: 'add-header', name: 'a', value: 'c' }), false);
    assert.equal(sameFixAction({ kind: 'rerun-request', requestName: 'a' }, { kind: 'switch-host', url: 'a' }), false);
  });
});
