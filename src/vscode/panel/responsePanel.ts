// The response panel's host: one webview panel per workspace that follows the last send
// (`httpSession.panel.mode: single`), or one per request (`perRequest`). It owns the history,
// builds the HTML shell (CSP + nonce), posts `show` messages and performs what the panel asks.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/event';
import type { CookieRecord, Exchange, SessionCookieLifecycle } from '../../core/model/exchange';
import type { TokenEvent } from '../../core/model/tokenEvent';
import type { HistoryItem, HostToWebviewMessage, RenderedSummary, ShowMessage, WebviewToHostMessage } from '../../shared/protocol';
import { headerValue } from '../../core/model/headers';
import { extensionFor, languageFor, mediaTypeOf, toWireExchange } from '../../shared/panel/body';
import { formatClock } from '../../shared/panel/format';
import { statusLine } from '../../shared/panel/statusPhrase';
import { historyLabel } from '../../shared/panel/viewModel';
import { PanelHistoryStore, type HistoryEntry, type StorableExchange } from './historyStore';
import { dispatchPanelMessage, type ResponsePanelHandlers } from './messageDispatch';
import { createNonce, panelHtml } from './panelHtml';

export type { ResponsePanelHandlers } from './messageDispatch';
export type PanelMode = 'single' | 'perRequest';

export interface ResponsePanelOptions {
  /** Defaults to the `httpSession.panel.mode` setting, read at each show. */
  readonly mode?: () => PanelMode;
  /** Defaults to a store on `context.workspaceState` that stores what `storable` gives. */
  readonly history?: PanelHistoryStore;
  /** The copy of an exchange the history may store (the session masks its credentials; none for `@no-log`). */
  readonly storable?: StorableExchange;
  /** Where the host logs dropped messages and webview errors. */
  readonly log?: (message: string) => void;
}

export interface ShowOptions {
  /** The jar's cookies at send time: fills domain/path/expiry/flags of the cookies that were sent. */
  readonly jarCookies?: readonly CookieRecord[];
  /** The session's token lifetimes at send time, for the Session tab. */
  readonly tokenEvents?: readonly TokenEvent[];
}

/** A render the panel reported, with which panel it was. */
export interface PanelRenderEvent extends RenderedSummary {
  readonly panelKey: string;
}

interface PanelInstance {
  readonly key: string;
  readonly panel: vscode.WebviewPanel;
  /** The exchange this panel shows (re-posted when the page reloads). */
  exchangeId?: string;
  ready: boolean;
  readonly disposables: DisposableStore;
}

export class ResponsePanelHost implements vscode.Disposable {
  static readonly viewType = 'httpSession.response';

  private readonly panels = new Map<string, PanelInstance>();
  private readonly disposables = new DisposableStore();
  private readonly history: PanelHistoryStore;
  private readonly renderEmitter = new vscode.EventEmitter<PanelRenderEvent>();
  private readonly messageEmitter = new vscode.EventEmitter<WebviewToHostMessage>();
  private readonly rejectEmitter = new vscode.EventEmitter<unknown>();
  private readonly mediaRoot: vscode.Uri;

  /** Fires after each render of a panel, with what it rendered (status text, tabs, counts). */
  readonly onDidRender: vscode.Event<PanelRenderEvent> = this.renderEmitter.event;
  /** Every valid message from a panel, after it was handled (for tests). */
  readonly onDidReceiveMessage: vscode.Event<WebviewToHostMessage> = this.messageEmitter.event;
  /** Messages dropped by validation (for tests). */
  readonly onDidRejectMessage: vscode.Event<unknown> = this.rejectEmitter.event;

  constructor(
    context: vscode.ExtensionContext,
    private readonly handlers: ResponsePanelHandlers,
    private readonly options: ResponsePanelOptions = {},
  ) {
    this.mediaRoot = vscode.Uri.joinPath(context.extensionUri, 'media');
    this.history = options.history ?? new PanelHistoryStore(context.workspaceState, {}, options.storable);
    this.disposables.addAll(
      this.renderEmitter,
      this.messageEmitter,
      this.rejectEmitter,
      vscode.window.registerWebviewPanelSerializer(ResponsePanelHost.viewType, {
        // Each restored panel goes back to the exchange it showed (saved in its webview state), under
        // that request's key in `perRequest` mode; without one, it shows the latest exchange.
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const savedId = savedExchangeId(state);
          const entry = (savedId ? this.history.get(savedId) : undefined) ?? this.history.latest();
          this.adopt(entry ? this.keyFor(entry.exchange) : 'single', panel, entry?.exchange.id);
        },
      }),
    );
  }

  /** Shows an exchange: in the panel that follows the last send (created if needed), without taking focus. */
  show(exchange: Exchange, lifecycles: readonly SessionCookieLifecycle[], options: ShowOptions = {}): void {
    const entry: HistoryEntry = { exchange, lifecycles, jarCookies: options.jarCookies ?? [], tokenEvents: options.tokenEvents ?? [] };
    void Promise.resolve(this.history.add(entry)).catch((error: unknown) => this.log(`panel: could not store history: ${String(error)}`));
    const instance = this.panelFor(this.keyFor(exchange));
    instance.exchangeId = exchange.id;
    instance.panel.title = this.titleFor(exchange);
    if (!instance.panel.visible) instance.panel.reveal(undefined, true);
    if (instance.ready) this.postShow(instance, entry);
    this.broadcastHistory(instance.key);
  }

  /** Shows "Sending …" in the panel that will show this request's response. */
  showPending(label: string, request?: Pick<Exchange['request'], 'source' | 'name' | 'method' | 'url'>): void {
    const key = request && this.mode() === 'perRequest' ? requestKey(request) : 'single';
    const instance = this.panels.get(key);
    if (instance?.ready) void this.post(instance, { type: 'pending', label });
  }

  /** The history as the dropdown lists it, newest first. */
  historyItems(): HistoryItem[] {
    return this.history.list().map(({ exchange }) => ({
      exchangeId: exchange.id,
      label: historyLabel(exchange, formatClock(exchange.startedAt)),
      startedAt: exchange.startedAt,
      status: exchange.response?.status,
    }));
  }

  /** Number of open panels (for tests of the `perRequest` mode). */
  get panelCount(): number {
    return this.panels.size;
  }

  dispose(): void {
    for (const instance of [...this.panels.values()]) instance.panel.dispose();
    this.panels.clear();
    this.disposables.dispose();
  }

  // ------------------------------------------------------------ panels

  private mode(): PanelMode {
    if (this.options.mode) return this.options.mode();
    const value = vscode.workspace.getConfiguration('httpSession').get<string>('panel.mode', 'single');
    return value === 'perRequest' ? 'perRequest' : 'single';
  }

  private keyFor(exchange: Exchange): string {
    return this.mode() === 'perRequest' ? requestKey(exchange.request) : 'single';
  }

  private titleFor(exchange: Exchange): string {
    const name = exchange.request.name ?? `${exchange.request.method} ${shortPath(exchange.request.url)}`;
    const outcome = exchange.response ? statusLine(exchange.response.status, exchange.response.statusText) : (exchange.error?.code ?? 'failed');
    return `${name} · ${outcome}`;
  }

  private panelFor(key: string): PanelInstance {
    const existing = this.panels.get(key);
    if (existing) return existing;
    const panel = vscode.window.createWebviewPanel(
      ResponsePanelHost.viewType,
      'HTTP Response',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableFindWidget: true },
    );
    return this.adopt(key, panel, undefined);
  }

  /** Configures a new or restored panel: options, HTML, message handling. */
  private adopt(key: string, panel: vscode.WebviewPanel, exchangeId: string | undefined): PanelInstance {
    const previous = this.panels.get(key);
    if (previous && previous.panel !== panel) previous.panel.dispose();
    const webview = panel.webview;
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [this.mediaRoot] };
    const instance: PanelInstance = { key, panel, exchangeId, ready: false, disposables: new DisposableStore() };
    this.panels.set(key, instance);
    instance.disposables.addAll(
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(instance, raw)),
      panel.onDidDispose(() => {
        if (this.panels.get(key) === instance) this.panels.delete(key);
        instance.disposables.dispose();
      }),
    );
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'dist', 'panel.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'panel.css')).toString(),
    });
    return instance;
  }

  private post(instance: PanelInstance, message: HostToWebviewMessage): Thenable<boolean> {
    return instance.panel.webview.postMessage(message);
  }

  private postShow(instance: PanelInstance, entry: HistoryEntry): void {
    const message: ShowMessage = {
      type: 'show',
      exchange: toWireExchange(entry.exchange),
      lifecycles: entry.lifecycles,
      jarCookies: entry.jarCookies,
      tokenEvents: entry.tokenEvents ?? [],
      history: this.historyItems(),
      now: Date.now(),
    };
    void this.post(instance, message);
  }

  private broadcastHistory(except: string): void {
    const items = this.historyItems();
    for (const instance of this.panels.values()) if (instance.key !== except && instance.ready) void this.post(instance, { type: 'history', items });
  }

  // ------------------------------------------------------------ messages

  private async receive(instance: PanelInstance, raw: unknown): Promise<void> {
    try {
      const outcome = await dispatchPanelMessage(raw, this.handlers, {
        lookup: (id) => this.history.get(id),
        copyToClipboard: async (text, what) => {
          await vscode.env.clipboard.writeText(text);
          vscode.window.setStatusBarMessage(`HTTP Session: copied the ${what}`, 3000);
        },
        warn: (message) => void vscode.window.showWarningMessage(message),
        saveBody: (exchange) => this.saveBody(exchange),
        openBody: (exchange) => this.openBody(exchange),
        showHistoryEntry: (entry) => {
          instance.exchangeId = entry.exchange.id;
          instance.panel.title = this.titleFor(entry.exchange);
          this.postShow(instance, entry);
        },
        ready: () => {
          instance.ready = true;
          const entry = instance.exchangeId ? this.history.get(instance.exchangeId) : undefined;
          if (entry) this.postShow(instance, entry);
        },
        rendered: (summary) => this.renderEmitter.fire({ ...summary, panelKey: instance.key }),
        log: (message) => this.log(message),
      });
      if (outcome === 'rejected') this.rejectEmitter.fire(raw);
      else this.messageEmitter.fire(raw as WebviewToHostMessage);
    } catch (error) {
      this.log(`panel: action failed: ${error instanceof Error ? error.message : String(error)}`);
      void vscode.window.showErrorMessage(`HTTP Session: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async saveBody(exchange: Exchange): Promise<void> {
    const response = exchange.response;
    if (!response) return;
    const mediaType = mediaTypeOf(headerValue(response.headers, 'content-type'));
    const base = (exchange.request.name ?? 'response').replace(/[^\w.-]+/g, '-');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const fileName = `${base}.${extensionFor(mediaType)}`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
      saveLabel: 'Save Response Body',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, response.body);
    if (response.body.length < response.bodySize) {
      void vscode.window.showWarningMessage(`Saved ${response.body.length} of ${response.bodySize} bytes to ${vscode.workspace.asRelativePath(target)}: the rest of the body was not kept.`);
    }
  }

  private async openBody(exchange: Exchange): Promise<void> {
    const response = exchange.response;
    if (!response) return;
    const mediaType = mediaTypeOf(headerValue(response.headers, 'content-type'));
    const document = await vscode.workspace.openTextDocument({ content: new TextDecoder().decode(response.body), language: languageFor(mediaType) });
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Active });
  }

  private log(message: string): void {
    this.options.log?.(message);
  }
}

/** Which panel a request gets in `perRequest` mode: its place in its file, else its name, else method + URL. */
export function requestKey(request: Pick<Exchange['request'], 'source' | 'name' | 'method' | 'url'>): string {
  if (request.source) return `${request.source.file}:${request.source.line}`;
  if (request.name) return `name:${request.name}`;
  return `${request.method} ${request.url}`;
}

function savedExchangeId(state: unknown): string | undefined {
  const id = typeof state === 'object' && state !== null ? (state as { exchangeId?: unknown }).exchangeId : undefined;
  return typeof id === 'string' ? id : undefined;
}

function shortPath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
