// What the host does with each message from the panel. Free of `vscode` (the effects come in as
// `PanelEffects`) so the validation and the look-ups are unit-tested in plain Node.
import type { Exchange, Finding, SourceLocation } from '../../core/model/exchange';
import { isWebviewToHostMessage, sameFixAction, type RenderedSummary, type WebviewToHostMessage } from '../../shared/protocol';
import { buildCurl } from '../../shared/panel/curl';
import type { HistoryEntry } from './historyStore';

/** The callbacks the extension (the lead's code) provides. */
export interface ResponsePanelHandlers {
  /** Send the request of this exchange again. */
  resend(exchangeId: string, exchange: Exchange): void | Thenable<void>;
  /** Reveal the request in its file. */
  jumpTo(source: SourceLocation, exchange: Exchange): void | Thenable<void>;
  /** Copy the request, from its file, as a Python requests script. */
  copyAsPython(source: SourceLocation): void | Thenable<void>;
  /** Run the fix a finding offered (the action was checked against the exchange's own finding). */
  runFix(finding: Finding, exchangeId: string, exchange: Exchange): void | Thenable<void>;
  /** Override the default "open body in an untitled editor". */
  openBodyInEditor?(exchange: Exchange): void | Thenable<void>;
}

/** The VS Code side effects, injected. */
export interface PanelEffects {
  lookup(exchangeId: string): HistoryEntry | undefined;
  copyToClipboard(text: string, what: string): void | Thenable<void>;
  warn(message: string): void;
  saveBody(exchange: Exchange): void | Thenable<void>;
  openBody(exchange: Exchange): void | Thenable<void>;
  showHistoryEntry(entry: HistoryEntry): void;
  /** The page (re)loaded: post what it should show. */
  ready(): void;
  rendered(summary: RenderedSummary): void;
  log(message: string): void;
}

export type DispatchOutcome = 'handled' | 'rejected' | 'unknown-exchange' | 'no-op';

/** Validates one incoming message and performs it. Malformed messages are dropped and logged. */
export async function dispatchPanelMessage(raw: unknown, handlers: ResponsePanelHandlers, effects: PanelEffects): Promise<DispatchOutcome> {
  if (!isWebviewToHostMessage(raw)) {
    effects.log(`panel: dropped a malformed message (${describe(raw)})`);
    return 'rejected';
  }
  const message: WebviewToHostMessage = raw;
  switch (message.type) {
    case 'ready':
      effects.ready();
      return 'handled';
    case 'rendered':
      effects.rendered(message.summary);
      return 'handled';
    case 'error':
      effects.log(`panel: webview error: ${message.message}`);
      return 'handled';
    default:
      break;
  }
  const entry = effects.lookup(message.exchangeId);
  if (!entry) {
    effects.log(`panel: ${message.type} for an unknown exchange ${message.exchangeId}`);
    return 'unknown-exchange';
  }
  const exchange = entry.exchange;
  switch (message.type) {
    case 'resend':
      await handlers.resend(exchange.id, exchange);
      return 'handled';
    case 'jumpToRequest':
      if (!exchange.request.source) return 'no-op';
      await handlers.jumpTo(exchange.request.source, exchange);
      return 'handled';
    case 'copyPython':
      if (!exchange.request.source) return 'no-op';
      await handlers.copyAsPython(exchange.request.source);
      return 'handled';
    case 'copyCurl': {
      const curl = buildCurl(exchange.request, { followRedirects: exchange.redirects.length > 0 });
      await effects.copyToClipboard(curl.command, 'cURL command');
      if (!curl.complete) effects.warn('Copied as cURL without the request body: it was binary or not recorded.');
      return 'handled';
    }
    case 'copyCookieValue': {
      const cookie = exchange.cookies[message.list][message.index];
      if (!cookie) return 'no-op';
      await effects.copyToClipboard(cookie.value, `value of cookie ${cookie.name}`);
      return 'handled';
    }
    case 'saveBody':
      if (!exchange.response || exchange.response.body.length === 0) return 'no-op';
      await effects.saveBody(exchange);
      return 'handled';
    case 'openBody':
      if (!exchange.response) return 'no-op';
      await (handlers.openBodyInEditor ? handlers.openBodyInEditor(exchange) : effects.openBody(exchange));
      return 'handled';
    case 'runFix': {
      // Only a fix the exchange itself offered runs: the webview names it, the host's copy decides.
      const finding = exchange.findings.find((f) => f.id === message.findingId && f.fix?.action && sameFixAction(f.fix.action, message.action));
      if (!finding) {
        effects.log(`panel: refused fix ${message.findingId}: not offered by exchange ${exchange.id}`);
        return 'rejected';
      }
      await handlers.runFix(finding, exchange.id, exchange);
      return 'handled';
    }
    case 'selectHistory':
      effects.showHistoryEntry(entry);
      return 'handled';
  }
}

function describe(raw: unknown): string {
  if (typeof raw !== 'object' || raw === null) return typeof raw;
  const type = (raw as { type?: unknown }).type;
  return typeof type === 'string' ? `type ${JSON.stringify(type.slice(0, 40))}` : 'no type';
}
