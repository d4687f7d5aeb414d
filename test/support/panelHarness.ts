// A page that plays the webview's host for the panel bundle, in a real Chromium, without VS Code:
// the same HTML shell and CSP (src/vscode/panel/panelHtml.ts) with a fresh nonce, an
// `acquireVsCodeApi` that records what the panel posts, and VS Code-like theme variables.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createNonce, panelHtml } from '../../src/vscode/panel/panelHtml';
import type { HostToWebviewMessage, RenderedSummary, WebviewToHostMessage } from '../../src/shared/protocol';

const root = resolve(__dirname, '../..');

export type Theme = 'light' | 'dark' | 'high-contrast';

const themes: Record<Theme, Record<string, string>> = {
  light: {
    '--vscode-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff', '--vscode-descriptionForeground': '#717171',
    '--vscode-font-family': 'system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif', '--vscode-font-size': '13px',
    '--vscode-editor-font-family': '"DejaVu Sans Mono", Menlo, monospace', '--vscode-editor-font-size': '13px',
    '--vscode-badge-background': '#cccccc', '--vscode-badge-foreground': '#3b3b3b', '--vscode-button-background': '#005fb8',
    '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#0258a8', '--vscode-button-secondaryBackground': '#e5e5e5',
    '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-focusBorder': '#005fb8', '--vscode-panel-border': '#e5e5e5',
    '--vscode-panelTitle-activeBorder': '#005fb8', '--vscode-panelTitle-activeForeground': '#3b3b3b', '--vscode-panelTitle-inactiveForeground': '#3b3b3b99',
    '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-border': '#cecece', '--vscode-textLink-foreground': '#005fb8',
    '--vscode-errorForeground': '#f85149', '--vscode-editorWarning-foreground': '#bf8803', '--vscode-testing-iconPassed': '#388a34',
  },
  dark: {
    '--vscode-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f', '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-font-family': 'system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif', '--vscode-font-size': '13px',
    '--vscode-editor-font-family': '"DejaVu Sans Mono", Menlo, monospace', '--vscode-editor-font-size': '13px',
    '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8', '--vscode-button-background': '#0078d4',
    '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#026ec1', '--vscode-button-secondaryBackground': '#313131',
    '--vscode-button-secondaryForeground': '#cccccc', '--vscode-focusBorder': '#0078d4', '--vscode-panel-border': '#2b2b2b',
    '--vscode-panelTitle-activeBorder': '#0078d4', '--vscode-panelTitle-activeForeground': '#cccccc', '--vscode-panelTitle-inactiveForeground': '#9d9d9d',
    '--vscode-dropdown-background': '#313131', '--vscode-dropdown-border': '#3c3c3c', '--vscode-textLink-foreground': '#4daafc',
    '--vscode-errorForeground': '#f85149', '--vscode-editorWarning-foreground': '#cca700', '--vscode-testing-iconPassed': '#73c991',
  },
  'high-contrast': {
    '--vscode-foreground': '#ffffff', '--vscode-editor-background': '#000000', '--vscode-contrastBorder': '#6fc3df',
    '--vscode-focusBorder': '#f38518', '--vscode-font-family': 'system-ui, sans-serif', '--vscode-editor-font-family': 'monospace',
  },
};

function themeCss(theme: Theme): string {
  const vars = Object.entries(themes[theme]).map(([name, value]) => `  ${name}: ${value};`).join('\n');
  return `html {\n${vars}\n}\n`;
}

const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export interface PostedMessage {
  readonly message: WebviewToHostMessage;
  /** performance.now() in the page when the panel posted it. */
  readonly at: number;
}

export interface PanelHarness {
  readonly page: Page;
  readonly origin: string;
  /** Loads (or reloads) the harness page in a theme and waits for the panel's `ready`. */
  open(theme?: Theme): Promise<void>;
  /** Posts a host message the way VS Code delivers it (window message event). */
  post(message: HostToWebviewMessage): Promise<void>;
  /** Posts `show` and waits for the panel's `rendered` for that exchange; `ms` is post → rendered, measured in the page. */
  show(message: HostToWebviewMessage & { type: 'show' }): Promise<{ summary: RenderedSummary; ms: number }>;
  /** Everything the panel posted since the page loaded. */
  posted(): Promise<PostedMessage[]>;
  cspViolations(): Promise<string[]>;
  close(): Promise<void>;
}

/** Builds the webview bundle as esbuild.mjs does, serves the harness on loopback and opens it in Chromium. */
export async function startPanelHarness(): Promise<PanelHarness> {
  const buildDir = mkdtempSync(join(tmpdir(), 'panel-harness-'));
  const bundlePath = join(buildDir, 'panel.js');
  // Same options as the webview entry of esbuild.mjs (built here so the test needs no prior build step).
  await esbuild.build({ bundle: true, sourcemap: false, minify: false, logLevel: 'silent', legalComments: 'none', platform: 'browser', target: 'es2022', format: 'iife', entryPoints: [join(root, 'src/webview/main.ts')], outfile: bundlePath });
  const bundle = readFileSync(bundlePath);
  const css = readFileSync(join(root, 'media/panel.css'));

  let nonce = createNonce();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const send = (type: string, body: string | Buffer) => {
      response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      response.end(body);
    };
    if (url.pathname === '/panel.js') return send('text/javascript', bundle);
    if (url.pathname === '/panel.css') return send('text/css', css);
    const themeMatch = /^\/theme-(light|dark|high-contrast)\.css$/.exec(url.pathname);
    if (themeMatch) return send('text/css', themeCss(themeMatch[1] as Theme));
    if (url.pathname === '/') {
      const theme = (url.searchParams.get('theme') ?? 'dark') as Theme;
      const origin = `http://${request.headers.host}`;
      nonce = createNonce();
      const bodyClass = theme === 'high-contrast' ? 'vscode-high-contrast' : `vscode-${theme}`;
      const bootstrap = `<script nonce="${nonce}">
document.body.classList.add(${JSON.stringify(bodyClass)});
window.__posted = []; window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
(() => { let state; const api = { postMessage: (m) => window.__posted.push({ message: JSON.parse(JSON.stringify(m)), at: performance.now() }), getState: () => state, setState: (s) => { state = JSON.parse(JSON.stringify(s)); } };
  window.acquireVsCodeApi = () => api; })();
window.__harnessPost = (m) => { window.__postAt = performance.now(); window.postMessage(m, '*'); };
</script>
`;
      const html = panelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/panel.js`, styleUri: `${origin}/panel.css` })
        .replace('</head>', `<link rel="stylesheet" href="${origin}/theme-${theme}.css">\n</head>`)
        .replace('<script nonce=', `${bootstrap}<script nonce=`);
      return send('text/html; charset=utf-8', html);
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no server address');
  const origin = `http://127.0.0.1:${address.port}`;

  const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: launchArgs });
  const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });

  const posted = () => page.evaluate(() => (globalThis as unknown as { __posted: PostedMessage[] }).__posted);

  const harness: PanelHarness = {
    page,
    origin,
    async open(theme: Theme = 'dark') {
      await page.goto(`${origin}/?theme=${theme}`);
      await page.waitForFunction(() => (globalThis as unknown as { __posted?: PostedMessage[] }).__posted?.some((p) => p.message.type === 'ready'));
    },
    async post(message) {
      await page.evaluate((m) => (globalThis as unknown as { __harnessPost(m: unknown): void }).__harnessPost(m), message);
    },
    async show(message) {
      const before = (await posted()).length;
      await harness.post(message);
      const handle = await page.waitForFunction(
        ({ id, before }) => {
          const g = globalThis as unknown as { __posted: PostedMessage[]; __postAt: number };
          const hit = g.__posted.slice(before).find((p) => p.message.type === 'rendered' && p.message.summary.exchangeId === id);
          return hit && hit.message.type === 'rendered' ? { summary: hit.message.summary, ms: hit.at - g.__postAt } : undefined;
        },
        { id: message.exchange.id, before },
        { timeout: 30_000 },
      );
      return (await handle.jsonValue()) as { summary: RenderedSummary; ms: number };
    },
    posted,
    cspViolations: () => page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp),
    async close() {
      await browser.close();
      await new Promise<void>((done) => server.close(() => done()));
      rmSync(buildDir, { recursive: true, force: true });
    },
  };
  return harness;
}
