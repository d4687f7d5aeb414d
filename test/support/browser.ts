import assert from 'node:assert/strict';
// Debian's Chromium driven by playwright-core, plus the workbench gestures the UI tests repeat.
// Every wait is on a DOM state or a page event, never on a fixed delay.
import { mkdir } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import path from 'node:path';
import { chromium, type Browser, type Frame, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { artifactsDir } from './codeServer';

export const screenshotsDir = path.join(artifactsDir, 'screenshots');

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Never `npx playwright install`: it downloads a browser, which fails offline. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
}

export function workbenchUrl(serverUrl: string, folder: string, payload?: ReadonlyArray<readonly [string, string]>): string {
  const url = new URL(serverUrl);
  url.searchParams.set('folder', folder);
  if (payload) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

/** Opens the workbench on `folder` and waits until the explorer shows the folder's files. */
export async function openWorkbench(page: Page, serverUrl: string, folder: string): Promise<void> {
  await page.goto(workbenchUrl(serverUrl, folder));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
}

const quickInput = '.quick-input-widget';

async function pickFromQuickInput(page: Page, opener: string, text: string, rowText: string | RegExp): Promise<void> {
  await page.keyboard.press(opener);
  const input = page.locator(`${quickInput} input`);
  await input.waitFor();
  await input.pressSequentially(text);
  // Enter picks the first row only once the list matches what was typed.
  await page.locator(`${quickInput} .monaco-list-row`, { hasText: rowText }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(quickInput).waitFor({ state: 'hidden' });
}

/**
 * Opens a workspace file through Quick Open and waits for its editor tab to be active. It opens in the
 * active group: after a reload that may be the restored response panel's, so the file can then be active
 * in two groups. Its tab is then clicked, as a user would: a response panel restored by a reload takes the
 * focus (and its group) back when its webview comes up, which may be after the file opened.
 */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const name = path.posix.basename(relativePath);
  await pickFromQuickInput(page, 'Control+P', relativePath, name);
  await page.locator('.editor-group-container .tabs-container .tab.active', { hasText: name }).first().click();
  try {
    await page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: name }).waitFor();
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').waitFor();
  } catch (error) {
    // What the window showed instead, for whoever reads the failure.
    await screenshot(page, `failed-open-${name}`).catch(() => undefined);
    throw error;
  }
}

/** Runs a command palette entry by its title as shown (e.g. "HTTP Session: Send Request"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await pickFromQuickInput(page, 'F1', title, title);
}

/** Picks the environment in the extension's own quick pick, as a user would through the command palette. */
export async function selectEnvironment(page: Page, name: string): Promise<void> {
  const title = 'HTTP Session: Select Environment';
  // Not runCommand: the command's own quick pick replaces the palette, which is then never hidden in between.
  await page.keyboard.press('F1');
  await page.locator(`${quickInput} input`).pressSequentially(title);
  await page.locator(`${quickInput} .monaco-list-row`, { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`${quickInput} .quick-input-title`, { hasText: title }).waitFor();
  await page.locator(`${quickInput} input`).pressSequentially(name);
  await page.locator(`${quickInput} .monaco-list-row`, { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(quickInput).waitFor({ state: 'hidden' });
}

// Runs in the page. Kept as source text: tsx compiles with esbuild's keepNames, whose `__name`
// helper would be missing inside a function that playwright serialises into the page.
const stableCodeLensesScript = `({ quietMs, timeoutMs }) => new Promise((resolve, reject) => {
  // The active editor group's lenses; when a webview beside it (the response panel) has the focus, the one group that shows lenses.
  const lensGroup = () => {
    const groups = Array.from(document.querySelectorAll('.editor-group-container')).filter((g) => g.querySelector('.codelens-decoration a'));
    return groups.find((g) => g.classList.contains('active')) ?? groups[0];
  };
  const lensTexts = () => Array.from(lensGroup()?.querySelectorAll('.codelens-decoration a') ?? [], (a) => a.textContent ?? '');
  const isLens = (node) =>
    node instanceof Element && (node.matches('.codelens-decoration') || node.querySelector('.codelens-decoration') !== null);
  const inLens = (node) => (node instanceof Element ? node : node.parentElement)?.closest('.codelens-decoration') != null;
  let quietTimer;
  // Settled = lenses present and no lens changed for a whole quiet period. Only lens changes
  // count: the blinking cursor and the status bar change all the time.
  const restartQuietPeriod = () => {
    clearTimeout(quietTimer);
    if (lensTexts().length === 0) return;
    quietTimer = setTimeout(() => {
      observer.disconnect();
      clearTimeout(failTimer);
      resolve(lensTexts());
    }, quietMs);
  };
  const observer = new MutationObserver((records) => {
    if (records.some((r) => inLens(r.target) || [...r.addedNodes, ...r.removedNodes].some(isLens))) restartQuietPeriod();
  });
  const failTimer = setTimeout(() => {
    observer.disconnect();
    clearTimeout(quietTimer);
    reject(new Error('CodeLenses not shown and stable within ' + timeoutMs + ' ms (seen: ' + JSON.stringify(lensTexts()) + ')'));
  }, timeoutMs);
  observer.observe(document.querySelector('.monaco-workbench') ?? document.body,
    { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class', 'style'] });
  restartQuietPeriod();
})`;

/**
 * Waits until the active editor (or, when a webview beside it has the focus, the editor that shows lenses)
 * shows CodeLenses and they stop changing, and returns their texts:
 * VS Code redraws them shortly after they first appear, and a click on the first drawing can miss.
 */
export async function waitForStableCodeLenses(page: Page, options: { quietMs?: number; timeoutMs?: number } = {}): Promise<string[]> {
  const { quietMs = 400, timeoutMs = 30_000 } = options;
  const texts: unknown = await page.evaluate(`(${stableCodeLensesScript})(${JSON.stringify({ quietMs, timeoutMs })})`);
  if (!Array.isArray(texts) || !texts.every((text) => typeof text === 'string')) throw new Error(`unexpected CodeLens texts: ${JSON.stringify(texts)}`);
  return texts;
}

/**
 * Clicks the CodeLens whose text is exactly `text` (the nth one when several match). With `effect`
 * (armed before the call: the request reaching a test server, the panel growing), a click that VS Code
 * swallowed while redrawing the lenses under load is detected and repeated, up to three clicks.
 */
export async function clickCodeLens(page: Page, text: string, nth = 0, options: { effect?: Promise<unknown>; missedAfterMs?: number } = {}): Promise<void> {
  const { effect, missedAfterMs = 10_000 } = options;
  const withLenses = page.locator('.editor-group-container').filter({ has: page.locator('.codelens-decoration a') });
  const lensIn = (group: Locator) =>
    group
      .locator('.codelens-decoration a')
      .filter({ hasText: new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) })
      .nth(nth);
  effect?.catch(() => undefined); // reported below, or by the caller who awaits it
  for (let click = 1; click <= 3; click++) {
    await waitForStableCodeLenses(page);
    const active = withLenses.and(page.locator('.active'));
    await lensIn((await active.count()) > 0 ? active : withLenses.first()).click();
    if (!effect) return;
    const missed = new AbortController();
    const took = await Promise.race([effect.then(() => true), delay(missedAfterMs, false, { signal: missed.signal }).catch(() => false)]);
    missed.abort();
    if (took) return;
  }
  throw new Error(`clicking the '${text}' CodeLens (#${nth + 1}) had no effect after 3 clicks`);
}

/** The content of the visible webview; it is two frames deep inside the workbench. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
}

/**
 * The visible webview's two frames as Frame objects, for evaluating script in them: `outer` is VS
 * Code's webview host page, `inner` the extension's document (the one webviewFrame() locates).
 */
export async function webviewFrames(page: Page): Promise<{ outer: Frame; inner: Frame }> {
  const outer = await (await page.locator('iframe.webview.ready:visible').elementHandle())?.contentFrame();
  if (!outer) throw new Error('no visible webview');
  const inner = await (await outer.locator('#active-frame').elementHandle())?.contentFrame();
  if (!inner) throw new Error('the webview has no active frame');
  return { outer, inner };
}

/** Waits until the response panel's history holds `count` exchanges and its status line matches. */
export async function panelShows(page: Page, count: number, status: RegExp): Promise<void> {
  const panel = webviewFrame(page);
  await panel.locator('#history option').nth(count - 1).waitFor({ state: 'attached', timeout: 60_000 });
  assert.equal(await panel.locator('#history option').count(), count);
  assert.match((await panel.locator('#status-text').textContent()) ?? '', status);
}

/** Saves a PNG under `.test-artifacts/screenshots/` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
