// The messages between the response panel's host (src/vscode/panel) and its webview (src/webview).
// Imports nothing from Node or VS Code: both sides compile it. Every message from the webview is
// checked by `isWebviewToHostMessage` before the host acts on it (a webview is untrusted input).
import type { TokenEvent } from '../core/model/tokenEvent';
import { findingIds, type Exchange, type FindingId, type FixAction, type ResponseRecord, type SessionCookieLifecycle, type CookieRecord } from '../core/model/exchange';

// The webview reaches the model types through this module only (it may not import core).
export type { CookieRecord, Exchange, Finding, FindingId, FixAction, SessionCookieLifecycle } from '../core/model/exchange';
export type { TokenEvent } from '../core/model/tokenEvent';

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

export const tabIds = ['body', 'headers', 'cookies', 'redirects', 'session', 'tests'] as const;
export type TabId = (typeof tabIds)[number];

export const bodyViews = ['empty', 'json', 'xml', 'html', 'text', 'image', 'binary'] as const;
export type BodyView = (typeof bodyViews)[number];

// ---------------------------------------------------------------- host → webview

export interface ShowMessage {
  readonly type: 'show';
  readonly exchange: WireExchange;
  readonly lifecycles: readonly SessionCookieLifecycle[];
  /** Jar cookies at send time, to fill domain/path/expiry of the cookies that were sent. */
  readonly jarCookies: readonly CookieRecord[];
  /** The session's OAuth2 token lifetimes at send time (no token values). */
  readonly tokenEvents: readonly TokenEvent[];
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
    /** Auth configurations whose token lifetime the Session tab shows. */
    readonly tokens: number;
    readonly tokenEvents: number;
    readonly findings: number;
    readonly tests: number;
    readonly testsFailed: number;
    readonly scriptLogLines: number;
  };
  /** Milliseconds from receiving `show` to the DOM being built. */
  readonly renderMs: number;
}

export const cookieLists = ['sent', 'stored'] as const;
export type CookieList = (typeof cookieLists)[number];

export type WebviewToHostMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'rendered'; readonly summary: RenderedSummary }
  | { readonly type: 'resend'; readonly exchangeId: string }
  | { readonly type: 'copyCurl'; readonly exchangeId: string }
  | { readonly type: 'copyPython'; readonly exchangeId: string }
  | { readonly type: 'saveBody'; readonly exchangeId: string }
  | { readonly type: 'openBody'; readonly exchangeId: string }
  | { readonly type: 'jumpToRequest'; readonly exchangeId: string }
  | { readonly type: 'copyCookieValue'; readonly exchangeId: string; readonly list: CookieList; readonly index: number }
  | { readonly type: 'runFix'; readonly exchangeId: string; readonly findingId: FindingId; readonly action: FixAction }
  | { readonly type: 'selectHistory'; readonly exchangeId: string }
  | { readonly type: 'error'; readonly message: string };

// ---------------------------------------------------------------- validation
// The guards are derived from the types above: `Fields<T>` wants one guard per field of T, each proving that
// field's type, and the tables of tagged unions want one entry per variant. So a new message type, field,
// count key, tab id, body view or fix kind does not type-check until its guard exists.

/** Checks an untrusted value and, when true, narrows it to T. */
type Guard<T> = (value: unknown) => value is T;
/** One guard per field of T (an optional field's guard accepts undefined). */
type Fields<T> = { readonly [K in keyof T]-?: Guard<T[K]> };
/** The field guards of each variant of a union tagged by `Tag` (the tag itself excluded). */
type Variants<T, Tag extends keyof T> = { readonly [V in T[Tag] & string]: Fields<Omit<Extract<T, Readonly<Record<Tag, V>>>, Tag>> };

const maxId = 256;
const maxText = 4096;

const isString =
  (max: number): Guard<string> =>
  (v): v is string =>
    typeof v === 'string' && v.length <= max;
const isId: Guard<string> = (v): v is string => typeof v === 'string' && v.length > 0 && v.length <= maxId;
const isIndex: Guard<number> = (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1_000_000;
const isFiniteNumber: Guard<number> = (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isBoolean: Guard<boolean> = (v): v is boolean => typeof v === 'boolean';
const oneOf =
  <V extends string>(values: readonly V[]): Guard<V> =>
  (v): v is V =>
    typeof v === 'string' && (values as readonly string[]).includes(v);
const isArrayOf =
  <T>(item: Guard<T>, max = 1000): Guard<readonly T[]> =>
  (v): v is readonly T[] =>
    Array.isArray(v) && v.length <= max && v.every(item);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** An object with no fields but these, each passing its guard. */
function shape<T>(fields: Fields<T>): Guard<T> {
  const guards = Object.entries(fields) as [string, Guard<unknown>][];
  return (v): v is T => isPlainObject(v) && Object.keys(v).every((key) => Object.hasOwn(fields, key)) && guards.every(([key, guard]) => guard(v[key]));
}

/** A member of a union tagged by `tag`: a known tag, then exactly that variant's fields. */
function tagged<T, Tag extends keyof T & string>(tag: Tag, variants: Variants<T, Tag>): Guard<T> {
  const shapes = new Map(Object.entries(variants).map(([variant, fields]) => [variant, shape({ ...(fields as object), [tag]: isId })]));
  return (v): v is T => isPlainObject(v) && typeof v[tag] === 'string' && shapes.get(v[tag])?.(v) === true;
}

const isTabId = oneOf(tabIds);

const isFixAction = tagged<FixAction, 'kind'>('kind', {
  'rerun-request': { requestName: isString(maxId) },
  resend: {},
  'add-header': { name: isString(maxText), value: isString(maxText) },
  'switch-host': { url: isString(maxText) },
  'clear-cookie': { name: isString(maxText), domain: isString(maxText), path: isString(maxText) },
  'remove-directive': { directive: isString(maxId) },
  'remove-header': { name: isString(maxId) },
});

const isRenderedSummary = shape<RenderedSummary>({
  exchangeId: isId,
  statusText: isString(maxText),
  tabs: isArrayOf(shape<RenderedSummary['tabs'][number]>({ id: isTabId, label: isString(maxId), count: isIndex }), tabIds.length),
  selectedTab: isTabId,
  bodyView: oneOf(bodyViews),
  bodyViewPartial: isBoolean,
  counts: shape<RenderedSummary['counts']>({
    requestHeaders: isIndex,
    responseHeaders: isIndex,
    cookiesSent: isIndex,
    cookiesStored: isIndex,
    cookiesRejected: isIndex,
    redirects: isIndex,
    sessionCookies: isIndex,
    sessionEvents: isIndex,
    tokens: isIndex,
    tokenEvents: isIndex,
    findings: isIndex,
    tests: isIndex,
    testsFailed: isIndex,
    scriptLogLines: isIndex,
  }),
  renderMs: isFiniteNumber,
});

/** True only for a well-formed message of a known type, with no unknown fields. The host drops anything else. */
export const isWebviewToHostMessage = tagged<WebviewToHostMessage, 'type'>('type', {
  ready: {},
  rendered: { summary: isRenderedSummary },
  resend: { exchangeId: isId },
  copyCurl: { exchangeId: isId },
  copyPython: { exchangeId: isId },
  saveBody: { exchangeId: isId },
  openBody: { exchangeId: isId },
  jumpToRequest: { exchangeId: isId },
  copyCookieValue: { exchangeId: isId, list: oneOf(cookieLists), index: isIndex },
  runFix: { exchangeId: isId, findingId: oneOf(findingIds), action: isFixAction },
  selectHistory: { exchangeId: isId },
  error: { message: isString(maxText) },
});

// A light check of what reaches the webview (the host is trusted; this keeps stray window messages out).
const hostMessageChecks: { readonly [K in HostToWebviewMessage['type']]: (message: Record<string, unknown>) => boolean } = {
  show: (message) => {
    const exchange = message.exchange;
    return (
      isPlainObject(exchange) &&
      isId(exchange.id) &&
      isPlainObject(exchange.request) &&
      Array.isArray(message.lifecycles) &&
      Array.isArray(message.jarCookies) &&
      Array.isArray(message.tokenEvents) &&
      Array.isArray(message.history) &&
      typeof message.now === 'number'
    );
  },
  pending: (message) => typeof message.label === 'string',
  history: (message) => Array.isArray(message.items),
};

/** A message of a known type from the host, roughly well-formed. */
export function isHostToWebviewMessage(value: unknown): value is HostToWebviewMessage {
  if (!isPlainObject(value) || typeof value.type !== 'string' || !Object.hasOwn(hostMessageChecks, value.type)) return false;
  return hostMessageChecks[value.type as HostToWebviewMessage['type']](value);
}

/** Two fix actions are the same action (the host only runs the fix the exchange actually offered). */
export function sameFixAction(a: FixAction, b: FixAction): boolean {
  const keysA = Object.keys(a).sort();
  const keysB = Object.keys(b).sort();
  if (keysA.join() !== keysB.join()) return false;
  return keysA.every((key) => (a as unknown as Record<string, unknown>)[key] === (b as unknown as Record<string, unknown>)[key]);
}
