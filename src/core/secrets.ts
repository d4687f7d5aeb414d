// The one policy for secrets: which names carry credentials, how a secret value is shown, and the masked
// copy of an exchange that may be stored. Logs, the CLI's output, the panel, the doctor's evidence and
// stored history all use it. Pure TypeScript (no Node, no DOM): the webview bundles it through src/shared.
import type { CookieRecord, Exchange, ExchangeCookies, HeaderList } from './model/exchange';
import { formEncode } from './model/formEncode';

/**
 * Headers that always carry credentials. Names matching `secretNamePattern` (any `*token*`, `*secret*`,
 * `*password*`, `*csrf*`/`*xsrf*`, `*api-key*`, `*-key`) are secret too, and so are configured names
 * such as a custom CSRF header.
 */
const secretHeaderNames: readonly string[] = [
  'Authorization',
  'Proxy-Authorization',
  'Cookie',
  'Set-Cookie',
  'X-Auth-Token',
  'Api-Key',
  'X-API-Key',
  'X-CSRF-TOKEN',
  'X-XSRF-TOKEN',
];
const alwaysSecret = new Set(secretHeaderNames.map((name) => name.toLowerCase()));
const secretNamePattern = /token|secret|passw(?:or)?d|credential|csrf|xsrf|api[-_]?key|(?:^|[-_])key$/i;

/** True for a header, form field or JSON key whose name says it carries a credential; `extraNames` are configured ones. */
export function isSecretName(name: string, extraNames: readonly string[] = []): boolean {
  const lower = name.toLowerCase();
  return alwaysSecret.has(lower) || secretNamePattern.test(lower) || extraNames.some((extra) => extra.toLowerCase() === lower);
}

/** Shorter values are hidden entirely: showing their ends would reveal a meaningful share of them. */
const revealEndsFrom = 32;

/**
 * A secret as it may be shown: long values (32+ characters, e.g. session ids) keep their first and last four
 * characters, at most a quarter of them, so two values can be told apart; shorter ones become `••••••`
 * (length not shown).
 */
export function maskSecret(value: string): string {
  if (value === '') return '';
  return value.length >= revealEndsFrom ? `${value.slice(0, 4)}…${value.slice(-4)}` : '••••••';
}

/**
 * A header value with its secret parts masked: `Authorization` keeps its scheme (`Bearer ••••••`), `Cookie`
 * its names, `Set-Cookie` its name and attributes. Headers that are not secret come back unchanged.
 */
export function maskHeaderValue(name: string, value: string, extraNames: readonly string[] = []): string {
  if (!isSecretName(name, extraNames)) return value;
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const space = value.indexOf(' ');
    return space > 0 ? `${value.slice(0, space)} ${maskSecret(value.slice(space + 1).trim())}` : maskSecret(value);
  }
  if (lower === 'cookie') {
    return value
      .split(';')
      .map((pair) => {
        const equals = pair.indexOf('=');
        return equals < 0 ? pair : `${pair.slice(0, equals + 1)}${maskSecret(pair.slice(equals + 1))}`;
      })
      .join(';');
  }
  if (lower === 'set-cookie') {
    const semicolon = value.indexOf(';');
    const end = semicolon < 0 ? value.length : semicolon;
    const equals = value.indexOf('=');
    if (equals < 0 || equals > end) return maskSecret(value.slice(0, end)) + value.slice(end);
    return `${value.slice(0, equals + 1)}${maskSecret(value.slice(equals + 1, end))}${value.slice(end)}`;
  }
  return maskSecret(value);
}

/** Values shorter than this are not masked by value: replacing every `1` or `dev` would garble the output. */
const minMaskedValueLength = 4;

/**
 * Known secret values (private env values, process env, `.env`, cookies substituted into requests), masked
 * wherever they appear in text: as written, URL- or form-encoded, or escaped inside a JSON string.
 */
export class SecretValues {
  /** Encoded form → its masked form in the same encoding; longest first when masking. */
  private readonly replacements = new Map<string, string>();
  private ordered: [string, string][] | undefined;

  constructor(values: Iterable<string> = []) {
    for (const value of values) this.add(value);
  }

  add(value: string): void {
    if (value.length < minMaskedValueLength) return;
    const masked = maskSecret(value);
    for (const encode of encodings) {
      let encoded: string;
      try {
        encoded = encode(value);
      } catch {
        continue; // a lone surrogate has no URL encoding, so it cannot appear URL-encoded either
      }
      if (!this.replacements.has(encoded)) {
        this.replacements.set(encoded, encode(masked));
        this.ordered = undefined;
      }
    }
  }

  /** `text` with every known value replaced by its masked form. */
  mask(text: string): string {
    if (this.replacements.size === 0) return text;
    this.ordered ??= [...this.replacements].sort(([a], [b]) => b.length - a.length);
    let result = text;
    for (const [secret, masked] of this.ordered) if (result.includes(secret)) result = result.split(secret).join(masked);
    return result;
  }
}

const encodings: readonly ((text: string) => string)[] = [(text) => text, encodeURIComponent, encodeURI, formEncode, (text) => JSON.stringify(text).slice(1, -1)];

export interface RedactOptions {
  /** Values substituted into the request that must not be stored (see SecretValues). */
  readonly secrets?: SecretValues;
  /** Configured secret header names, e.g. a custom CSRF header. */
  readonly headerNames?: readonly string[];
  /** The response body is cut to this many bytes before it is masked. */
  readonly maxBodyBytes: number;
}

/**
 * The copy of an exchange that may be stored: secret headers and every cookie value masked, secret-named
 * fields of form and JSON bodies masked, known secret values masked everywhere, the response body cut to
 * `maxBodyBytes` (the script log too, in characters). Marked `redacted` (a redacted exchange comes back unchanged).
 */
export function redactExchange(exchange: Exchange, options: RedactOptions): Exchange {
  if (exchange.redacted) return exchange;
  const secrets = options.secrets ?? new SecretValues();
  const names = options.headerNames ?? [];
  const text = (value: string) => secrets.mask(value);
  const headers = (list: HeaderList): HeaderList => list.map(([name, value]) => [name, text(maskHeaderValue(name, value, names))] as const);
  const { request, response } = exchange;
  const requestType = headerOf(request.headers, 'content-type');
  return {
    ...exchange,
    redacted: true,
    request: {
      ...request,
      url: text(request.url),
      headers: headers(request.headers),
      ...(request.bodyText !== undefined ? { bodyText: text(maskSecretFields(request.bodyText, requestType)) } : {}),
    },
    ...(response
      ? {
          response: {
            ...response,
            url: text(response.url),
            headers: headers(response.headers),
            ...redactBody(response.body, options.maxBodyBytes, headerOf(response.headers, 'content-type'), secrets),
            truncated: response.truncated || response.body.length > options.maxBodyBytes,
          },
        }
      : {}),
    ...(exchange.error ? { error: { ...exchange.error, message: text(exchange.error.message) } } : {}),
    cookies: maskCookies(exchange.cookies, secrets),
    redirects: exchange.redirects.map((hop) => ({ ...hop, url: text(hop.url), location: text(hop.location), cookies: maskCookies(hop.cookies, secrets) })),
    sessionEvents: exchange.sessionEvents.map((event) => ({ ...event, url: text(event.url) })),
    findings: exchange.findings.map((finding) => ({ ...finding, message: text(finding.message), evidence: finding.evidence.map(text) })),
    ...(exchange.tests ? { tests: exchange.tests.map((result) => ({ ...result, name: text(result.name), ...(result.message !== undefined ? { message: text(result.message) } : {}) })) } : {}),
    ...(exchange.scriptLog ? { scriptLog: capLog(exchange.scriptLog.map(text), options.maxBodyBytes) } : {}),
  };
}

/** A script log cut to about `maxChars` characters, like a stored body: whole lines, then a line saying how many more there were. */
function capLog(lines: readonly string[], maxChars: number): readonly string[] {
  let used = 0;
  const kept = lines.findIndex((line) => (used += line.length) > maxChars);
  if (kept === -1) return lines;
  const omitted = lines.length - kept;
  return [...lines.slice(0, kept), `… ${omitted} more line${omitted === 1 ? '' : 's'} not stored`];
}

/** A jar cookie as it may be stored: its value masked. */
export function maskCookieRecord(cookie: CookieRecord): CookieRecord {
  return { ...cookie, value: maskSecret(cookie.value) };
}

function maskCookies(cookies: ExchangeCookies, secrets: SecretValues): ExchangeCookies {
  return {
    sent: cookies.sent.map((cookie) => ({ ...cookie, value: maskSecret(cookie.value) })),
    stored: cookies.stored.map(maskCookieRecord),
    rejected: cookies.rejected.map((rejected) => ({ ...rejected, url: secrets.mask(rejected.url), setCookie: maskHeaderValue('set-cookie', rejected.setCookie) })),
  };
}

function headerOf(headers: HeaderList, name: string): string {
  return headers.find(([key]) => key.toLowerCase() === name)?.[1] ?? '';
}

/** Text bodies are masked; a binary body is kept as it is. */
function redactBody(body: Uint8Array, maxBytes: number, contentType: string, secrets: SecretValues): { readonly body: Uint8Array } {
  const kept = body.subarray(0, maxBytes);
  let text: string;
  try {
    // `stream`: a character cut by the cap is left out instead of failing the decode.
    text = new TextDecoder('utf-8', { fatal: true }).decode(kept, { stream: kept.length < body.length });
  } catch {
    return { body: kept };
  }
  return { body: new TextEncoder().encode(secrets.mask(maskSecretFields(text, contentType))) };
}

// `"password": "…"` in JSON, `password=…` in a form body: the value of a secret-named field.
const jsonStringField = /"((?:[^"\\]|\\.)*)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
const formField = /(^|&)([^=&]*)=([^&]*)/g;

/** Masks the values of secret-named fields of a JSON or form-urlencoded body; other bodies are unchanged. */
export function maskSecretFields(body: string, contentType: string): string {
  if (/json/i.test(contentType)) {
    return body.replace(jsonStringField, (pair, key: string, colon: string, value: string) =>
      isSecretName(key) ? `"${key}"${colon}${JSON.stringify(maskSecret(jsonString(value)))}` : pair,
    );
  }
  if (/application\/x-www-form-urlencoded/i.test(contentType)) {
    // The mask is left unencoded: a stored body is read, never sent.
    return body.replace(formField, (pair, start: string, key: string, value: string) =>
      isSecretName(formDecode(key)) ? `${start}${key}=${maskSecret(formDecode(value))}` : pair,
    );
  }
  return body;
}

/** The text of a JSON string literal's inside (escapes resolved). */
function jsonString(literal: string): string {
  try {
    return JSON.parse(`"${literal}"`) as string;
  } catch {
    return literal;
  }
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** True when a value read from a redacted exchange is (or contains) a mask rather than what was sent or received. */
export function isMaskedValue(value: string): boolean {
  return value.includes('…') || value.includes('•');
}
