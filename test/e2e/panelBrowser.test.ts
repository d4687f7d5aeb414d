// The response panel's webview bundle in a real Chromium, without VS Code: the harness page plays
// the host (same HTML shell and CSP with a nonce; acquireVsCodeApi records what the panel posts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startPanelHarness, type PanelHarness } from '../support/panelHarness';
import { largeJson, sampleExchange, sampleLifecycles, showMessage, xssPayloads } from '../support/panelFixtures';
import { isWebviewToHostMessage } from '../../src/shared/protocol';

const screenshots = resolve(__dirname, '../../.test-artifacts/screenshots');
const encoder = new TextEncoder();

const xss = xssPayloads().join('');

describe('response panel in Chromium', () => {
  let harness: PanelHarness;

  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    harness = await startPanelHarness();
  });
  after(async () => {
    await harness?.close();
  });

  test('renders status, headers, cookies and the session timeline; looks right in light and dark', async () => {
    const exchange = sampleExchange({
      findings: [
        {
          id: 'session-expired',
          message: 'The session expired: JSESSIONID was sent but the server no longer knows it.',
          evidence: ['JSESSIONID sent (issued 10:20:00 by login)', 'idle for 31m 02s since the last success', 'the server answered 401 without a new Set-Cookie'],
          fix: { title: 'Log in again (run login)', action: { kind: 'rerun-request', requestName: 'login' } },
        },
      ],
    });
    for (const theme of ['light', 'dark'] as const) {
      await harness.open(theme);
      const { summary } = await harness.show(showMessage(exchange));
      assert.equal(summary.statusText, '200 OK');
      assert.deepEqual(summary.counts, {
        requestHeaders: 3, responseHeaders: 3, cookiesSent: 2, cookiesStored: 1, cookiesRejected: 1,
        redirects: 1, sessionCookies: 1, sessionEvents: 2, tokens: 1, tokenEvents: 6, findings: 1, tests: 0, testsFailed: 0, scriptLogLines: 0,
      });
      assert.deepEqual(summary.tabs.map((t) => `${t.label}:${t.count}`), ['Body:0', 'Headers:3', 'Cookies:4', 'Redirects:1', 'Session:2', 'Tests:0']);
      const page = harness.page;
      // The strip and the panels come from the tab registry, in the protocol's order.
      const strip = await page.getByRole('tab').evaluateAll((tabs) => tabs.map((tab) => `${tab.id}>${tab.getAttribute('aria-controls')}:${tab.textContent}`));
      assert.deepEqual(strip, ['tab-body>panel-body:Body', 'tab-headers>panel-headers:Headers3', 'tab-cookies>panel-cookies:Cookies4', 'tab-redirects>panel-redirects:Redirects1', 'tab-session>panel-session:Session2', 'tab-tests>panel-tests:Tests']);
      assert.equal(await page.locator('[role=tabpanel]').count(), strip.length);
      assert.equal(await page.locator('#status-text').textContent(), '200 OK');
      assert.match((await page.locator('.findings h2').textContent()) ?? '', /Findings/);
      await page.screenshot({ path: join(screenshots, `panel-${theme}.png`), fullPage: true });

      await page.getByRole('tab', { name: /Headers/ }).click();
      const row = page.locator('#panel-headers table[aria-label="Response headers"] tr', { hasText: 'X-Request-Id' });
      assert.equal(await row.locator('td').textContent(), 'req-7781');
      // Secrets are masked until revealed.
      const cookieHeader = page.locator('#panel-headers table[aria-label="Request headers"] tr', { hasText: 'Cookie' }).locator('td');
      assert.equal(await cookieHeader.innerText(), 'JSESSIONID=9F86…D015; theme=••••••');

      await page.getByRole('tab', { name: /Cookies/ }).click();
      const sent = page.locator('#panel-cookies tr[data-cookie="sent"]', { hasText: 'JSESSIONID' });
      assert.equal(await sent.locator('td.source').innerText(), 'jar');
      assert.equal(await sent.locator('td').nth(3).innerText(), 'localhost'); // domain from the jar record
      assert.equal(await page.locator('#panel-cookies tr[data-cookie="rejected"] td.reason').innerText(), "Cookie not in this host's domain");
      await page.screenshot({ path: join(screenshots, `panel-cookies-${theme}.png`), fullPage: true });

      await page.getByRole('tab', { name: /Session/ }).click();
      const rotated = page.locator('#panel-session li[data-kind="rotated"]');
      assert.equal(await rotated.count(), 1);
      assert.match(await rotated.innerText(), /Rotated[\s\S]*login/);
      assert.match(await page.locator('#panel-session section[aria-label="Session cookie JSESSIONID"] .facts').innerText(), /Between 4m 00s and 30m 00s/);
      // Beside the cookie: the token's lifetime, in the same timeline look, without its value.
      const token = page.locator('#panel-session section.token-card[data-config="api"]');
      assert.match(await token.locator('.facts').innerText(), /Issued\s+\d\d:\d\d:\d\d by client credentials with scope read[\s\S]*Expires\s+\d\d:\d\d:\d\d \(in [34]m \d\ds\)\s+Last used\s+\d\d:\d\d:\d\d \(1 request reused it\)$/);
      assert.deepEqual(await token.locator('li').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind'))), ['issued', 'used', 'expired', 'issued', 'used']);
      assert.match(await token.locator('li[data-kind="used"]').first().innerText(), /2 requests, the last at/);
      await page.screenshot({ path: join(screenshots, `panel-session-${theme}.png`), fullPage: true });
    }
    assert.deepEqual(await harness.cspViolations(), []);
  });

  test("the Tests tab: each test passed or failed with its message, the script log; names and messages stay text", async () => {
    await harness.open('light');
    const exchange = sampleExchange({
      tests: [
        { name: 'status is 200', passed: true },
        { name: '<img src=x onerror=alert(1)> has a token', passed: false, message: 'expected a token, got <b>nothing</b>' },
      ],
      scriptLog: ['token: tok-1', '<script>alert(2)</script>'],
    });
    const { summary } = await harness.show(showMessage(exchange));
    assert.deepEqual([summary.counts.tests, summary.counts.testsFailed, summary.counts.scriptLogLines], [2, 1, 2]);
    assert.equal(summary.tabs.find((t) => t.id === 'tests')?.count, 1, 'the badge counts the failures');
    const page = harness.page;
    await page.getByRole('tab', { name: /Tests/ }).click();
    const panel = page.locator('#panel-tests');
    assert.equal(await panel.locator('.tests-summary').textContent(), '1 of 2 failed');
    assert.deepEqual(await panel.locator('.test').evaluateAll((items) => items.map((item) => `${item.className}|${item.textContent}`)), [
      'test passed|✓ status is 200',
      'test failed|✗ <img src=x onerror=alert(1)> has a token' + 'expected a token, got <b>nothing</b>',
    ]);
    assert.equal(await panel.locator('.script-log').textContent(), 'token: tok-1\n<script>alert(2)</script>');
    assert.equal(await panel.locator('img, script, b').count(), 0, 'no markup from test names, messages or the log');
    await page.screenshot({ path: join(screenshots, 'panel-tests.png'), fullPage: true });

    await harness.show(showMessage(sampleExchange()));
    assert.match((await page.locator('#panel-tests').textContent()) ?? '', /No tests/);
  });

  test('tabs follow the ARIA pattern with arrow keys and keep the selected tab in state', async () => {
    await harness.open('dark');
    await harness.show(showMessage(sampleExchange()));
    const page = harness.page;
    await page.getByRole('tab', { name: /Body/ }).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('#tab-headers').getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('#panel-headers').isVisible(), true);
    assert.equal(await page.locator('#panel-body').isVisible(), false);
    await page.keyboard.press('End');
    assert.equal(await page.evaluate('document.activeElement.id'), 'tab-tests');
    await page.keyboard.press('ArrowRight'); // wraps around
    assert.equal(await page.locator('#tab-body').getAttribute('aria-selected'), 'true');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('#tab-tests').getAttribute('tabindex'), '0');
    assert.equal(await page.locator('#tab-body').getAttribute('tabindex'), '-1');
    assert.deepEqual(await page.evaluate('acquireVsCodeApi().getState()'), { tab: 'tests', reveal: false, exchangeId: 'ex-1' });
    // A new response keeps the selected tab.
    const { summary } = await harness.show(showMessage(sampleExchange({ id: 'ex-2' })));
    assert.equal(summary.selectedTab, 'tests');
    assert.equal(await page.locator('#panel-tests').isVisible(), true);
  });

  test('actions post typed messages that pass the host validator', async () => {
    await harness.open('light');
    const exchange = sampleExchange({
      response: { ...sampleExchange().response!, status: 401 },
      findings: [{ id: 'csrf-token-missing', message: 'No CSRF token', evidence: ['POST without X-XSRF-TOKEN'], fix: { title: 'Add the header', action: { kind: 'add-header', name: 'X-XSRF-TOKEN', value: '{{csrf}}' } } }],
    });
    await harness.show(showMessage(exchange));
    const page = harness.page;
    assert.equal(await page.locator('#status-text').textContent(), '401 Unauthorized');
    assert.equal(await page.locator('.findings h2').innerText(), '⚠Why 401?');
    await page.getByRole('button', { name: 'Send this request again' }).click();
    await page.getByRole('button', { name: 'Copy the request as a cURL command' }).click();
    await page.getByRole('button', { name: 'Copy the request, from its file, as a Python requests script' }).click();
    await page.getByRole('button', { name: 'Go to the request in its file' }).click();
    await page.getByRole('button', { name: 'Fix: Add the header' }).click();
    await page.getByRole('tab', { name: /Cookies/ }).click();
    await page.getByRole('button', { name: 'Copy value of cookie JSESSIONID' }).click();
    await page.getByRole('button', { name: 'Reveal secret values' }).click();
    assert.equal(await page.locator('#panel-cookies tr[data-cookie="sent"]', { hasText: 'JSESSIONID' }).locator('td').nth(1).innerText(), '9F86D081884C7D659A2FEAA0C55AD015');
    await page.getByLabel('Response history').selectOption('ex-login');

    const posted = (await harness.posted()).map((p) => p.message);
    for (const message of posted) assert.ok(isWebviewToHostMessage(message), `valid: ${JSON.stringify(message).slice(0, 200)}`);
    const actions = posted.filter((m) => m.type !== 'ready' && m.type !== 'rendered');
    assert.deepEqual(actions, [
      { type: 'resend', exchangeId: 'ex-1' },
      { type: 'copyCurl', exchangeId: 'ex-1' },
      { type: 'copyPython', exchangeId: 'ex-1' },
      { type: 'jumpToRequest', exchangeId: 'ex-1' },
      { type: 'runFix', exchangeId: 'ex-1', findingId: 'csrf-token-missing', action: { kind: 'add-header', name: 'X-XSRF-TOKEN', value: '{{csrf}}' } },
      { type: 'copyCookieValue', exchangeId: 'ex-1', list: 'sent', index: 0 },
      { type: 'selectHistory', exchangeId: 'ex-login' },
    ]);
  });

  test('response data never becomes markup or script (XSS)', async () => {
    await harness.open('dark');
    const base = sampleExchange();
    const exchange = sampleExchange(
      {
        id: 'ex-xss',
        request: { ...base.request, name: xss, url: `http://localhost:8080/${xss}`, headers: [['X-Evil', xss], ['Cookie', `${xss}=${xss}`]] },
        response: {
          ...base.response!,
          statusText: xss,
          headers: [['Content-Type', 'text/html'], ['X-Evil', xss], ['Set-Cookie', `${xss}=${xss}`]],
          body: encoder.encode(`<!DOCTYPE html><html><body>${xss}<textarea>${xss}</textarea></body></html>`),
        },
        cookies: {
          sent: [{ name: xss, value: xss, source: 'jar' }],
          stored: [{ name: xss, value: xss, domain: xss, path: xss, expires: xss, secure: true, httpOnly: true, hostOnly: false, sameSite: xss }],
          rejected: [{ setCookie: `${xss}=${xss}; Domain=${xss}`, url: xss, reason: xss }],
        },
        redirects: [{ method: 'GET', url: `javascript:window.__pwned=1`, status: 302, location: 'javascript:window.__pwned=1', cookies: { sent: [], stored: [], rejected: [] } }],
        findings: [{ id: 'csrf-token-missing', message: xss, evidence: [xss], fix: { title: xss, action: { kind: 'add-header', name: xss, value: xss } } }],
      },
    );
    const lifecycles = sampleLifecycles().map((l) => ({ ...l, cookieName: xss, domain: xss, issuedBy: xss, events: l.events.map((e) => ({ ...e, requestName: xss, url: xss })) }));
    const message = { ...showMessage(exchange, lifecycles), history: [{ exchangeId: 'ex-xss', label: xss, startedAt: 0 }] };
    const { summary } = await harness.show(message);
    assert.equal(summary.statusText, `200 ${xss}`);

    // A JSON body carrying the same strings, as keys and values.
    const jsonExchange = sampleExchange({ id: 'ex-xss-json' }, JSON.stringify({ [xss]: xss, list: [xss, { href: 'javascript:window.__pwned=1' }] }));
    const page = harness.page;
    for (const tab of ['Body', 'Headers', 'Cookies', 'Redirects', 'Session']) await page.getByRole('tab', { name: new RegExp(tab) }).click();
    await page.getByRole('button', { name: 'Reveal secret values' }).click();
    assert.match(await page.locator('#panel-session').innerText(), /<script>window.__pwned=1<\/script>/, 'payload shown as text');
    await page.getByRole('tab', { name: /Body/ }).click();
    assert.match(await page.locator('#panel-body pre').innerText(), /<\/textarea><script>window.__pwned=1<\/script>/);
    await harness.show(showMessage(jsonExchange));
    assert.match(await page.locator('#panel-body .json').innerText(), /"<script>window.__pwned=1<\/script>/);

    assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined');
    assert.equal(await page.locator('script').count(), 2, 'only the harness bootstrap and the panel script');
    assert.equal(await page.locator('img, a, iframe, textarea, svg, object, embed').count(), 0);
    assert.equal(await page.evaluate(`[...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name) || /javascript:/i.test(a.value))).length`), 0);
    assert.deepEqual(await harness.cspViolations(), []);
  });

  test('previews allow-listed raster images from their bytes; never SVG', async () => {
    await harness.open('dark');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const base = sampleExchange();
    const image = sampleExchange({ id: 'ex-png', response: { ...base.response!, headers: [['Content-Type', 'image/png']], body: new Uint8Array(png), bodySize: png.length } });
    const { summary } = await harness.show(showMessage(image));
    assert.equal(summary.bodyView, 'image');
    const img = harness.page.locator('#panel-body img.preview');
    assert.match((await img.getAttribute('src')) ?? '', /^data:image\/png;base64,iVBOR/);
    await harness.page.waitForFunction('document.querySelector("img.preview").complete');
    assert.equal(await harness.page.evaluate('document.querySelector("img.preview").naturalWidth'), 1);

    const svgText = '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1"><script>window.__pwned=1</script></svg>';
    const svg = sampleExchange({ id: 'ex-svg', response: { ...base.response!, headers: [['Content-Type', 'image/svg+xml']], body: encoder.encode(svgText), bodySize: svgText.length } });
    const rendered = await harness.show(showMessage(svg));
    assert.equal(rendered.summary.bodyView, 'xml');
    assert.equal(await harness.page.locator('img, svg').count(), 0);
    assert.equal(await harness.page.locator('#panel-body pre').innerText(), svgText);
    assert.equal(await harness.page.evaluate('typeof window.__pwned'), 'undefined');
  });

  test('a body cut short or not decoded says so: size, the reason, and JSON called truncated rather than invalid', async () => {
    await harness.open('dark');
    const base = sampleExchange();
    const problem = "The body's Content-Encoding 'gzip' data broke off (unexpected end of file): it stops where decoding failed.";
    const headers: [string, string][] = [['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']];
    const body = encoder.encode('{"items":[1,2,');
    const cut = sampleExchange({ id: 'ex-cut', response: { ...base.response!, headers, body, bodySize: body.length, encodedBodySize: 9, truncated: true, decodingProblem: problem } });
    await harness.show(showMessage(cut));
    const page = harness.page;
    assert.equal(await page.getByLabel('Body size').innerText(), 'Size 14 B (truncated) (9 B on the wire)');
    const notices = await page.locator('#panel-body .notice').allInnerTexts();
    assert.equal(notices[0], problem);
    assert.match(notices[1], /^Truncated JSON \(/);
  });

  test('a 5 MB JSON body renders quickly and the page stays responsive', async () => {
    await harness.open('dark');
    const body = largeJson(5 * 1024 * 1024);
    const big = sampleExchange({ id: 'ex-big' }, body);
    const { summary, ms } = await harness.show(showMessage(big));
    assert.equal(summary.bodyView, 'json');
    assert.ok(ms < 5000, `5 MB JSON rendered in ${ms.toFixed(0)} ms`);
    console.log(`# 5 MB JSON: post → rendered ${ms.toFixed(0)} ms (render ${summary.renderMs} ms)`);
    const page = harness.page;
    // The first records are there, folded lazily; opening one builds its children on demand.
    assert.equal(await page.locator('#panel-body .json details.j-chunk').first().locator('summary').innerText(), '[0 … 99]');
    const chunk = page.locator('#panel-body .json details.j-chunk').first();
    await chunk.locator('summary').first().click();
    const firstRecord = chunk.locator('details.j-node').first();
    assert.match(await firstRecord.locator('summary').first().innerText(), /\{ … },\s+7 keys/);
    await firstRecord.locator('summary').first().click();
    await firstRecord.locator('.j-key', { hasText: '"email"' }).waitFor();

    const started = Date.now();
    await page.getByRole('tab', { name: /Cookies/ }).click();
    await page.locator('#panel-cookies').waitFor({ state: 'visible' });
    const clickMs = Date.now() - started;
    assert.ok(clickMs < 1000, `tab switch took ${clickMs} ms`);
    console.log(`# tab switch after the 5 MB render: ${clickMs} ms`);
  });

  test('a pending send dims the last response and says what is on its way', async () => {
    await harness.open('dark');
    await harness.show(showMessage(sampleExchange()));
    await harness.post({ type: 'pending', label: 'POST login' });
    await harness.page.locator('#pending', { hasText: 'Sending POST login…' }).waitFor();
    assert.equal(await harness.page.locator('#app.is-pending').count(), 1);
    await harness.show(showMessage(sampleExchange({ id: 'ex-3' })));
    assert.equal(await harness.page.locator('#app.is-pending, #pending').count(), 0);
  });

  test("the session's idle time keeps counting by the host's clock while the response is shown", async () => {
    await harness.open('dark');
    // The host posted at fixtureNow, 5 s after the cookie last went out; the page's own clock is far from it.
    await harness.show(showMessage(sampleExchange()));
    const cell = harness.page.locator('#panel-session dd.idle-now');
    const first = (await cell.textContent()) ?? '';
    assert.match(first, /^5\.\d\d s$/);
    await cell.filter({ hasNotText: first }).waitFor({ state: 'attached' });
    assert.match((await cell.textContent()) ?? '', /^[6-9]\.\d\d s$/);
  });
});
