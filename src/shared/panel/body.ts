import type { Exchange } from '../../core/model/exchange';
import { headerValue } from '../../core/model/headers';
import { previewImageTypes, type BodyView, type PreviewImageType, type WireBody, type WireExchange } from '../protocol';

/** "application/json; charset=utf-8" → "application/json". */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export function isPreviewImageType(mediaType: string): mediaType is PreviewImageType {
  return (previewImageTypes as readonly string[]).includes(mediaType);
}

export type BodyKind = Exclude<BodyView, 'image'> | 'image';

const textTypes = new Set([
  'application/javascript', 'application/ecmascript', 'application/x-www-form-urlencoded', 'application/graphql',
  'application/yaml', 'application/x-yaml', 'application/csv', 'application/x-ndjson', 'application/sql',
]);

/** Which view suits a body of this media type. Unknown types are sniffed: valid UTF-8 without NUL is text. */
export function classifyBody(mediaType: string, bytes: Uint8Array): BodyKind {
  if (bytes.length === 0) return 'empty';
  if (isPreviewImageType(mediaType)) return 'image';
  if (mediaType === 'application/json' || mediaType === 'text/json' || mediaType.endsWith('+json')) return 'json';
  if (mediaType === 'text/html' || mediaType === 'application/xhtml+xml') return 'html';
  if (mediaType === 'application/xml' || mediaType === 'text/xml' || mediaType.endsWith('+xml')) return 'xml';
  if (mediaType.startsWith('text/') || textTypes.has(mediaType)) return 'text';
  if (mediaType === 'application/octet-stream' || mediaType.startsWith('image/') || mediaType.startsWith('audio/') || mediaType.startsWith('video/') || mediaType === 'application/pdf' || mediaType === 'application/zip') return 'binary';
  const text = decodeUtf8Strict(bytes.subarray(0, 64 * 1024));
  if (text === undefined || text.includes('\u0000')) return 'binary';
  const first = text.trimStart().charAt(0);
  return first === '{' || first === '[' ? 'json' : 'text';
}

function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  // The window may cut a multi-byte character at its end: allow up to 3 bytes less.
  for (let trim = 0; trim <= (bytes.length >= 64 * 1024 ? 3 : 0); trim++) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, bytes.length - trim));
    } catch {
      // try a shorter window
    }
  }
  return undefined;
}

const base64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (no Node Buffer: this module is shared with the browser). */
export function toBase64(bytes: Uint8Array): string {
  const chunks: string[] = [];
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += base64Alphabet[n >> 18] + base64Alphabet[(n >> 12) & 63] + base64Alphabet[(n >> 6) & 63] + base64Alphabet[n & 63];
    if (out.length >= 8192) {
      chunks.push(out);
      out = '';
    }
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += base64Alphabet[n >> 18] + base64Alphabet[(n >> 12) & 63] + '==';
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += base64Alphabet[n >> 18] + base64Alphabet[(n >> 12) & 63] + base64Alphabet[(n >> 6) & 63] + '=';
  }
  chunks.push(out);
  return chunks.join('');
}

export interface WireOptions {
  /** Longest text body sent to the webview, in bytes (the pretty view shows less anyway). */
  readonly maxTextBytes?: number;
  /** Longest image previewed, in bytes. */
  readonly maxImageBytes?: number;
}

export const defaultWireOptions: Required<WireOptions> = { maxTextBytes: 8 * 1024 * 1024, maxImageBytes: 4 * 1024 * 1024 };

/** The body as it crosses postMessage: text decoded, allowed images as base64, other bytes held back. */
export function wireBody(mediaType: string, bytes: Uint8Array, options: WireOptions = {}): WireBody {
  const limits = { ...defaultWireOptions, ...options };
  const kind = classifyBody(mediaType, bytes);
  switch (kind) {
    case 'empty':
      return { kind: 'empty' };
    case 'binary':
      return { kind: 'binary' };
    case 'image':
      return bytes.length <= limits.maxImageBytes && isPreviewImageType(mediaType)
        ? { kind: 'image', mediaType, base64: toBase64(bytes) }
        : { kind: 'binary' };
    default: {
      const cut = bytes.length > limits.maxTextBytes;
      return { kind: 'text', text: new TextDecoder('utf-8').decode(cut ? bytes.subarray(0, limits.maxTextBytes) : bytes), cut };
    }
  }
}

/** An Exchange in the JSON-safe form the webview receives. */
export function toWireExchange(exchange: Exchange, options: WireOptions = {}): WireExchange {
  const { response, ...rest } = exchange;
  if (!response) return rest;
  const { body, ...head } = response;
  const mediaType = mediaTypeOf(headerValue(response.headers, 'content-type'));
  return { ...rest, response: { ...head, mediaType, heldBytes: body.length, body: wireBody(mediaType, body, options) } };
}

/** Which view the webview uses for a wire body (JSON that fails to parse falls back to text there). */
export function bodyViewOf(mediaType: string, body: WireBody): BodyView {
  if (body.kind !== 'text') return body.kind;
  if (mediaType === 'application/json' || mediaType === 'text/json' || mediaType.endsWith('+json')) return 'json';
  if (mediaType === 'text/html' || mediaType === 'application/xhtml+xml') return 'html';
  if (mediaType === 'application/xml' || mediaType === 'text/xml' || mediaType.endsWith('+xml')) return 'xml';
  if (mediaType === '' || !(mediaType.startsWith('text/') || textTypes.has(mediaType))) {
    const first = body.text.trimStart().charAt(0);
    if (first === '{' || first === '[') return 'json';
  }
  return 'text';
}

/** File extension for saving or opening a body of this media type. */
export function extensionFor(mediaType: string): string {
  if (mediaType.endsWith('json')) return 'json';
  if (mediaType === 'text/html' || mediaType === 'application/xhtml+xml') return 'html';
  if (mediaType.endsWith('xml')) return 'xml';
  const known: Record<string, string> = {
    'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'application/pdf': 'pdf',
    'application/zip': 'zip', 'text/csv': 'csv', 'text/css': 'css', 'application/javascript': 'js', 'text/javascript': 'js',
    'application/yaml': 'yaml', 'application/x-yaml': 'yaml',
  };
  return known[mediaType] ?? (mediaType.startsWith('text/') ? 'txt' : 'bin');
}

/** VS Code language id for opening a body in an editor. */
export function languageFor(mediaType: string): string {
  const ext = extensionFor(mediaType);
  const languages: Record<string, string> = { json: 'json', html: 'html', xml: 'xml', css: 'css', js: 'javascript', yaml: 'yaml', csv: 'plaintext' };
  return languages[ext] ?? 'plaintext';
}
