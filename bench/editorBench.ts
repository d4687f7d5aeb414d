// The parser's speed as a user meets it, in the real VS Code (code-server + Chromium, the packaged
// extension) on the generated 10,000-request file:
//  - keystroke → its effect shown: one key makes the last request line valid or not, so both the
//    Problems count (diagnostics) and the CodeLenses change; timed in the page from keydown until
//    both are on screen (the extension waits 250 ms for typing to pause before it re-checks);
//  - click → response rendered: Send Request on the first request, against a loopback server, from
//    the click in the page until the panel's webview shows that response's body.
// Times are taken in the browser with the shared epoch clock; median and p95 of 50 each.
// Run directly: node --import tsx bench/editorBench.ts (needs code-server, as the UI tests do).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openFile, waitForStableCodeLenses, webviewFrame, webviewFrames } from '../test/support/browser';
import { artifactsDir } from '../test/support/codeServer';
import { openUiWindow } from '../test/support/uiWindow';
import { generateHttpFile } from './parseBench';

const runs = 50;
const fileName = 'editor-bench.http';

export interface EditorBenchResult {
  readonly requests: number;
  /** Keydown until both the Problems count and the CodeLenses changed; and each of the two alone. */
  readonly keystroke: Percentiles;
  readonly keystrokeToProblems: Percentiles;
  readonly keystrokeToLenses: Percentiles;
  readonly click: Percentiles;
}

interface KeystrokeEffect {
  readonly bothMs: number;
  readonly problemsMs: number;
  readonly lensesMs: number;
}

export interface Percentiles {
  readonly medianMs: number;
  readonly p95Ms: number;
}

function percentiles(times: readonly number[]): Percentiles {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (share: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]);
  return { medianMs: at(0.5), p95Ms: at(0.95) };
}

/**
 * The generated file, with a first request (`login`, so the file's `{{login.response...}}` references
 * resolve) that the click sends, the variables it uses defined (no diagnostics but the toggle's), and a
 * last request line whose `HTTP/1.` becomes valid with one more `1`.
 */
function benchFile(serverUrl: string): string {
  return [
    '@user = someone',
    '@price = 1',
    '@session = abc',
    '### login',
    `GET ${serverUrl}/ping`,
    '',
    '###',
    generateHttpFile(10_000).replace('@host = localhost:8080', `@host = ${new URL(serverUrl).host}`),
    '### toggle',
    `GET ${serverUrl}/toggle HTTP/1.`,
  ].join('\n');
}

// Runs in the page (kept as source text, see browser.ts). Arms `window.__benchEffect`: it resolves with
// the milliseconds from the next keydown until the Problems count and the number of CodeLenses both
// differ from before it.
const armKeystrokeEffect = `window.__benchEffect = new Promise((resolve, reject) => {
  const problems = () => document.getElementById('status.problems')?.getAttribute('aria-label') ?? '';
  const isLens = (node) => node instanceof Element && node.classList.contains('codelens-decoration');
  const problemsBefore = problems();
  let lensDelta = 0;
  let keyAt, problemsAt, lensesAt;
  const finish = () => {
    if (keyAt === undefined || problemsAt === undefined || lensesAt === undefined) return;
    observer.disconnect();
    clearTimeout(timer);
    resolve({ problemsMs: problemsAt - keyAt, lensesMs: lensesAt - keyAt, bothMs: Math.max(problemsAt, lensesAt) - keyAt });
  };
  window.addEventListener('keydown', () => (keyAt = performance.now()), { capture: true, once: true });
  const observer = new MutationObserver((records) => {
    if (keyAt === undefined) return;
    const now = performance.now();
    for (const record of records) {
      for (const node of record.addedNodes) if (isLens(node)) lensDelta++;
      for (const node of record.removedNodes) if (isLens(node)) lensDelta--;
    }
    if (lensesAt === undefined && lensDelta !== 0) lensesAt = now;
    if (problemsAt === undefined && problems() !== problemsBefore) problemsAt = now;
    finish();
  });
  observer.observe(document.querySelector('.monaco-workbench'), { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
  const timer = setTimeout(() => { observer.disconnect(); reject(new Error('no effect of the keystroke within 60 s (problems: ' + problems() + ')')); }, 60000);
}); undefined`;

async function measureKeystrokes(page: Page): Promise<KeystrokeEffect[]> {
  await page.keyboard.press('Control+End');
  await waitForStableCodeLenses(page);
  const times: KeystrokeEffect[] = [];
  for (let run = 0; run <= runs; run++) {
    await page.evaluate(armKeystrokeEffect);
    // Alternately completes `HTTP/1.` to `HTTP/1.1` and takes the `1` back.
    await page.keyboard.press(run % 2 === 0 ? '1' : 'Backspace');
    const effect = (await page.evaluate('window.__benchEffect')) as KeystrokeEffect;
    if (run > 0) times.push(effect); // the first one warms up
  }
  return times;
}

async function measureClicks(page: Page, served: () => number): Promise<number[]> {
  const tab = page.locator('.tabs-container .tab', { hasText: fileName });
  const lens = page.locator('.codelens-decoration a').filter({ hasText: /^\s*Send Request\s*$/ }).first();
  const times: number[] = [];
  for (let run = 0; run <= runs; run++) {
    // The panel may hold the focus: the request file's editor first, outside the timed part.
    await tab.click();
    if (run === 0) {
      await page.keyboard.press('Control+Home');
      await waitForStableCodeLenses(page);
    }
    const marker = `pong-${served() + 1}`;
    if (run === 0) {
      // Opens the panel: its webview does not exist before, so this one is not timed.
      await lens.click();
      await webviewFrame(page).locator('body', { hasText: marker }).waitFor({ timeout: 60_000 });
      continue;
    }
    // Both clocks are armed before the click: the panel's frame watches for this response's body.
    const { inner } = await webviewFrames(page);
    await inner.evaluate(`window.__benchRendered = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (!document.body.textContent.includes(${JSON.stringify(marker)})) return;
        observer.disconnect();
        resolve(performance.timeOrigin + performance.now());
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    }); undefined`);
    await page.evaluate(`window.__benchClicked = new Promise((resolve) => window.addEventListener('mousedown', () => resolve(performance.timeOrigin + performance.now()), { capture: true, once: true })); undefined`);
    await lens.click();
    const rendered = (await inner.evaluate('window.__benchRendered')) as number;
    times.push(rendered - ((await page.evaluate('window.__benchClicked')) as number));
  }
  return times;
}

/** Opens the file in a real VS Code and times keystrokes and clicks; see the header. */
export async function runEditorBench(): Promise<EditorBenchResult> {
  let pings = 0;
  const server = createServer((request, response) => {
    if (request.url === '/ping') response.writeHead(200, { 'Content-Type': 'text/plain' }).end(`pong-${++pings}`);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'http-session-editor-bench-'));
  const folder = path.join(dir, 'workspace');
  await mkdir(folder);
  await writeFile(path.join(folder, fileName), benchFile(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  const ui = await openUiWindow(folder, { vsix: path.join(artifactsDir, 'http-session-bench.vsix') });
  try {
    await openFile(ui.page, fileName);
    const keystrokes = await measureKeystrokes(ui.page);
    const click = percentiles(await measureClicks(ui.page, () => pings));
    return {
      requests: 10_002,
      keystroke: percentiles(keystrokes.map((effect) => effect.bothMs)),
      keystrokeToProblems: percentiles(keystrokes.map((effect) => effect.problemsMs)),
      keystrokeToLenses: percentiles(keystrokes.map((effect) => effect.lensesMs)),
      click,
    };
  } finally {
    await ui.close();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export function describeEditorBench(result: EditorBenchResult): string {
  return [
    `editor (real VS Code, a ${result.requests}-request file): keystroke → diagnostics and CodeLenses shown: median ${result.keystroke.medianMs} ms, p95 ${result.keystroke.p95Ms} ms (${runs} keystrokes;` +
      ` Problems count alone ${result.keystrokeToProblems.medianMs} / ${result.keystrokeToProblems.p95Ms} ms, CodeLenses alone ${result.keystrokeToLenses.medianMs} / ${result.keystrokeToLenses.p95Ms} ms)`,
    `editor: click Send Request → response rendered in the panel (loopback): median ${result.click.medianMs} ms, p95 ${result.click.p95Ms} ms (${runs} clicks)`,
  ].join('\n');
}

if (require.main === module) {
  runEditorBench().then(
    (result) => console.log(describeEditorBench(result)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
