// The messages between the response panel's host (src/vscode/panel) and its webview (src/webview).
// Imports nothing from Node or VS Code: both sides compile it. Every message from the webview is
// checked by `isWebviewToHostMessage` before the host acts on it (a webview is untrusted input).
import type { Exchange, FixAction, ResponseRecord, SessionCookieLifecycle, CookieRecord } from '../core/model/exchange';

// The webview reaches the model types through this module only (it may not import core).
export type { CookieRecord, Exchange, Finding, FixAction, SessionCookieLifecycle } from '../core/model/exchange';

/** Only these image types are previewed (as a data: URL built from the bytes). SVG never: it can carry script. */
export const previewImageTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type PreviewImageType = (typeof previewImageTypes)[number];

/**
 * A response body as it crosses postMessage. Text bodies go as decoded UTF-8 text (cheap to send,
 * no decoding in the webview); previewable images as base64; other binary bodies send no bytes at
 * all (the panel shows the size and a Save action that the host serves from its own copy).
 */
export type WireBody =
  | { readonly kind: 'empty' }
  | { readonly kind: 'text'; readonly text: string; /** True when the host cut the text to its wire limit. */ readonly cut: boolean }
  | { readonly kind: 'image'; readonly mediaType: PreviewImageType; readonly base64: string }
  | { readonly kind: 'binary' };

export interface WireResponse extends Omit<ResponseRecord, 'body'> {
  readonly body: WireBody;
  /** Bytes the host holds for this body (≤ bodySize; smaller when the transport or the history cut it). */
  readonly heldBytes: number;
  /** Media type from Content-Type, lower case, without parameters ('' when absent). */
  readonly mediaType: string;
}

/** An Exchange in a JSON-safe form (the body bytes replaced by a WireBody). */
export interface WireExchange extends Omit<Exchange, 'response'> {
  readonly response?: WireResponse;
}

/** One entry of the panel's history dropdown. */
export interface HistoryItem {
  readonly exchangeId: string;
  readonly label: string;
  readonly startedAt: number;
  readonly status?: number;
}

export const tabIds = ['body', 'headers', 'cookies', 'redirects', 'session'] as const;
export type TabId = (typeof tabIds)[number];

export type BodyView = 'empty' | 'json' | 'xml' | 'html' | 'text' | 'image' | 'binary';

// ---------------------------------------------------------------- host → webview

export interface ShowMessage {
  readonly type: 'show';
  readonly exchange: WireExchange;
  readonly lifecycles: readonly SessionCookieLifecycle[];
  /** Jar cookies at send time, to fill domain/path/expiry of the cookies that were sent. */
  readonly jarCookies: readonly CookieRecord[];
  readonly history: readonly HistoryItem[];
  /** Host clock (epoch ms) when the message was posted: the panel's "idle now" counts from it. */
  readonly now: number;
}

export interface PendingMessage {
  readonly type: 'pending';
  /** e.g. "POST login" — shown while a request is on its way. */
  readonly label: string;
}

export interface HistoryMessage {
  readonly type: 'history';
  readonly items: readonly HistoryItem[];
}

export type HostToWebviewMessage = ShowMessage | PendingMessage | HistoryMessage;

// ---------------------------------------------------------------- webview → host

/** What the webview rendered, posted after each render: the host fires onDidRender with it (tests read it). */
export interface RenderedSummary {
  readonly exchangeId: string;
  /** e.g. "200 OK", or the error code for a failed exchange. */
  readonly statusText: string;
  readonly tabs: readonly { readonly id: TabId; readonly label: string; readonly count: number }[];
  readonly selectedTab: TabId;
  readonly bodyView: BodyView;
  /** True when the pretty view shows only part of the body (the editor action opens all of it). */
  readonly bodyViewPartial: boolean;
  readonly counts: {
    readonly requestHeaders: number;
    readonly responseHeaders: number;
    readonly cookiesSent: number;
    readonly cookiesStored: number;
    readonly cookiesRejected: number;
    readonly redirects: number;
    readonly sessionCookies: number;
    readonly sessionEvents: number;
    readonly findings: number;
  };
  /** Milliseconds from receiving `show` to the DOM being built. */
  readonly renderMs: number;
}

export type CookieList = 'sent' | 'stored';

export type WebviewToHostMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'rendered'; readonly summary: RenderedSummary }
  | { readonly type: 'resend'; readonly exchangeId: string }
  | { readonly type: 'copyCurl'; readonly exchangeId: string }
  | { readonly type: 'saveBody'; readonly exchangeId: string }
  | { readonly type: 'openBody'; readonly exchangeId: string }
  | { readonly type: 'jumpToRequest'; readonly exchangeId: string }
  | { readonly type: 'copyCookieValue'; readonly exchangeId: string; readonly list: CookieList; readonly index: number }
  | { readonly type: 'runFix'; readonly exchangeId: string; readonly findingId: string; readonly action: FixAction }
  | { readonly type: 'selectHistory'; readonly exchangeId: string }
  | { readonly type: 'error'; readonly message: string };

// ---------------------------------------------------------------- validation

type Guard = (value: unknown) => boolean;

const maxId = 256;
const maxText = 4096;

const isString = (max: number): Guard => (v) => typeof v === 'string' && v.length <= max;
const isId: Guard = (v) => typeof v === 'string' && v.length > 0 && v.length <= maxId;
const isIndex: Guard = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1_000_000;
const isFiniteNumber: Guard = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isBoolean: Guard = (v) => typeof v === 'boolean';
const oneOf =
  (...values: readonly string[]): Guard =>
  (v) =>
    typeof v === 'string' && values.includes(v);
const isArrayOf =
  (item: Guard, max = 1000): Guard =>
  (v) =>
    Array.isArray(v) && v.length <= max && v.every(item);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** An object with exactly these keys (optional ones may be absent), each passing its guard. */
function shape(required: Record<string, Guard>, optional: Record<string, Guard> = {}): Guard {
  return (v) => {
    if (!isPlainObject(v)) return false;
    for (const key of Object.keys(v)) if (!(key in required) && !(key in optional)) return false;
    for (const [key, guard] of Object.entries(required)) if (!(key in v) || !guard(v[key])) return false;
    for (const [key, guard] of Object.entries(optional)) if (key in v && v[key] !== undefined && !guard(v[key])) return false;
    return true;
  };
}

const isFixAction: Guard = (v) => {
  if (!isPlainObject(v)) return false;
  switch (v.kind) {
    case 'rerun-request':
      return shape({ kind: isId, requestName: isString(maxId) })(v);
    case 'resend':
      return shape({ kind: isId })(v);
    case 'add-header':
      return shape({ kind: isId, name: isString(maxText), value: isString(maxText) })(v);
    case 'switch-host':
      return shape({ kind: isId, url: isString(maxText) })(v);
    case 'clear-cookie':
      return shape({ kind: isId, name: isString(maxText), domain: isString(maxText), path: isString(maxText) })(v);
    case 'remove-directive':
      return shape({ kind: isId, directive: isString(maxId) })(v);
    case 'remove-header':
      return shape({ kind: isId, name: isString(maxId) })(v);
    default:
      return false;
  }
};

const isTabId: Guard = oneOf(...tabIds);
const isBodyView: Guard = oneOf('empty', 'json', 'xml', 'html', 'text', 'image', 'binary');

const isRenderedSummary: Guard = shape({
  exchangeId: isId,
  statusText: isString(maxText),
  tabs: isArrayOf(shape({ id: isTabId, label: isString(maxId), count: isIndex }), tabIds.length),
  selectedTab: isTabId,
  bodyView: isBodyView,
  bodyViewPartial: isBoolean,
  counts: shape({
    requestHeaders: isIndex,
    responseHeaders: isIndex,
    cookiesSent: isIndex,
    cookiesStored: isIndex,
    cookiesRejected: isIndex,
    redirects: isIndex,
    sessionCookies: isIndex,
    sessionEvents: isIndex,
    findings: isIndex,
  }),
  renderMs: isFiniteNumber,
});

const webviewMessageShapes: Record<WebviewToHostMessage['type'], Guard> = {
  ready: shape({ type: isId }),
  rendered: shape({ type: isId, summary: isRenderedSummary }),
  resend: shape({ type: isId, exchangeId: isId }),
  copyCurl: shape({ type: isId, exchangeId: isId }),
  saveBody: shape({ type: isId, exchangeId: isId }),
  openBody: shape({ type: isId, exchangeId: isId }),
  jumpToRequest: shape({ type: isId, exchangeId: isId }),
  copyCookieValue: shape({ type: isId, exchangeId: isId, list: oneOf('sent', 'stored'), index: isIndex }),
  runFix: shape({ type: isId, exchangeId: isId, findingId: isId, action: isFixAction }),
  selectHistory: shape({ type: isId, exchangeId: isId }),
  error: shape({ type: isId, message: isString(maxText) }),
};

/** True only for a well-formed message of a known type, with no unknown fields. The host drops anything else. */
export function isWebviewToHostMessage(value: unknown): value is WebviewToHostMessage {
  if (!isPlainObject(value) || typeof value.type !== 'string') return false;
  if (!Object.prototype.hasOwnProperty.call(webviewMessageShapes, value.type)) return false;
  return webviewMessageShapes[value.type as WebviewToHostMessage['type']](value);
}

/** A light check of what reaches the webview (the host is trusted; this keeps stray window messages out). */
export function isHostToWebviewMessage(value: unknown): value is HostToWebviewMessage {
  if (!isPlainObject(value)) return false;
  switch (value.type) {
    case 'show': {
      const exchange = value.exchange;
      return (
        isPlainObject(exchange) &&
        isId(exchange.id) &&
        isPlainObject(exchange.request) &&
        Array.isArray(value.lifecycles) &&
        Array.isArray(value.jarCookies) &&
        Array.isArray(value.history) &&
        typeof value.now === 'number'
      );
    }
    case 'pending':
      return typeof value.label === 'string';
    case 'history':
      return Array.isArray(value.items);
    default:
      return false;
  }
}

/** Two fix actions are the same action (the host only runs the fix the exchange actually offered). */
export function sameFixAction(a: FixAction, b: FixAction): boolean {
  const keysA = Object.keys(a).sort();
  const keysB = Object.keys(b).sort();
  if (keysA.join() !== keysB.join()) return false;
  return keysA.every((key) => (a as unknown as Record<string, unknown>)[key] === (b as unknown as Record<string, unknown>)[key]);
}
