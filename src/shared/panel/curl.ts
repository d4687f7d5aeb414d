import type { Exchange } from '../../core/model/exchange';

/** POSIX shell single-quoting: safe for any byte sequence, newlines included. */
export function shellQuote(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_\-.,:/@%+=]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Headers curl computes itself, or that would be wrong when replayed. */
const droppedHeaders = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'expect']);

export interface CurlCommand {
  readonly command: string;
  /** False when the request had a body that was not recorded as text (binary), so it is missing. */
  readonly complete: boolean;
}

/**
 * The request as a cURL command for a POSIX shell. Secrets are kept: copying is a user action, and
 * the command must replay the same session (Cookie and Authorization headers included).
 */
export function buildCurl(request: Exchange['request'], options: { followRedirects?: boolean } = {}): CurlCommand {
  const parts: string[] = ['curl'];
  const method = request.method.toUpperCase();
  const body = request.bodyText;
  if (method === 'HEAD') parts.push('--head');
  else if (method !== 'GET' || body !== undefined) parts.push('-X', shellQuote(method));
  parts.push(shellQuote(request.url));

  let host: string | undefined;
  try {
    host = new URL(request.url).host.toLowerCase();
  } catch {
    host = undefined;
  }
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (droppedHeaders.has(lower)) continue;
    if (lower === 'host' && value.toLowerCase() === host) continue;
    if (lower === 'accept-encoding' && /\b(gzip|deflate|br)\b/i.test(value)) {
      parts.push('--compressed');
      continue;
    }
    parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  if (body !== undefined && body !== '') parts.push('--data-raw', shellQuote(body));
  if (options.followRedirects) parts.push('-L');
  // curl expands [1-20] and {a,b} in URLs into many requests unless globbing is off.
  if (/[[\]{}]/.test(request.url)) parts.push('-g');
  const complete = !(request.bodySize > 0 && (body === undefined || body === ''));
  return { command: joinArguments(parts), complete };
}

/** One argument pair per line with backslash continuations: readable, and still one command. */
function joinArguments(parts: readonly string[]): string {
  const lines: string[] = [];
  let line = parts[0] + ' ' + parts[1];
  let i = 2;
  // curl, [-X METHOD | --head], url on the first line
  if (parts[1] === '-X') {
    line += ' ' + parts[2] + ' ' + parts[3];
    i = 4;
  } else if (parts[1] === '--head') {
    line += ' ' + parts[2];
    i = 3;
  }
  lines.push(line);
  while (i < parts.length) {
    const flag = parts[i];
    if ((flag === '-H' || flag === '--data-raw') && i + 1 < parts.length) {
      lines.push(`  ${flag} ${parts[i + 1]}`);
      i += 2;
    } else {
      lines.push(`  ${flag}`);
      i += 1;
    }
  }
  return lines.join(' \\\n');
}
