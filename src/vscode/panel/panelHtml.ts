// The panel's HTML shell: no data in it, only the CSP, the stylesheet and the nonce'd script.
// Kept free of `vscode` so that the browser test harness serves exactly this page.

export interface PanelHtmlInput {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** `webview.asWebviewUri(media/dist/panel.js)`. */
  readonly scriptUri: string;
  /** `webview.asWebviewUri(media/panel.css)`. */
  readonly styleUri: string;
  /** Fresh per page load (see `createNonce`). */
  readonly nonce: string;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The Content-Security-Policy of the panel: scripts only with the nonce, styles/images/fonts only from the extension's media (images also as data: URLs built by the panel). */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function panelHtml(input: PanelHtmlInput): string {
  const nonce = escapeAttribute(input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(panelCsp(input.cspSource, input.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(input.styleUri)}">
<title>HTTP Response</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${nonce}" src="${escapeAttribute(input.scriptUri)}"></script>
</body>
</html>`;
}

/** 128 random bits, base64 — a CSP nonce. `getRandomValues` is global in Node 20 and browsers. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
